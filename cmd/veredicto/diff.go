package main

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/veredicto/veredicto/cmd/internal/batch"
)

func init() { extraCommands = append(extraCommands, newDiff) }

func newDiff() *cobra.Command {
	var bf batchFlags
	var basePath, candPath, changesPath string
	var failOnChange bool
	var format *outputFormat
	cmd := &cobra.Command{
		Use:   "diff --base OLD.yaml --candidate NEW.yaml [INPUT ...]",
		Short: "What would change if NEW replaced OLD, on the same stored cases",
		Long: `Decide every case of the JSONL INPUTs (as for rescore: standard input when
none, gzip read transparently; or the cases of --store) under both policies,
reading each case once, and report the impact of replacing the base policy
with the candidate:

  - the outcome transition matrix (approve→reject, review→approve, ...), with
    the error records, which are the same under both policies;
  - how many cases each rule, score and requirement fired for under each
    policy and the difference, shadow rules included;
  - with --changes FILE, one JSON line per changed case, in input order, with
    both decisions: {"line":..,"case_id":..,"change":"outcome"|"reasons",
    "base":{...},"candidate":{...}}. "reasons" marks a case whose outcome stayed
    the same but whose contributing rules changed.

The report goes to stdout (--format json for JSON); the progress bar to stderr when
it is a terminal.

Exit codes: 0 done (and, with --fail-on-change, no outcome changed); 1 with
--fail-on-change, at least one case's outcome changed; 2 bad flags or
policies; 4 an input could not be read to the end, or an output could not be
written; 130 interrupted.`,
		Example: `  veredicto diff --base cmd/internal/batch/testdata/diff/base.yaml --candidate cmd/internal/batch/testdata/diff/candidate.yaml fixtures/sample/cases.jsonl
  veredicto diff --base policies/mx-onboarding.yaml --candidate policies/mx-onboarding.yaml --changes changed.jsonl --fail-on-change fixtures/sample/cases.jsonl`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := format.check(cmd); err != nil {
				return err
			}
			if basePath == "" || candPath == "" {
				return exitError{code: exitUsage, msg: "diff: --base and --candidate are required"}
			}
			inputs, err := bf.inputsOf(args)
			if err != nil {
				return err
			}
			opts, err := bf.options(cmd, inputs)
			if err != nil {
				return err
			}
			base, err := loadPolicy(basePath, cmd.ErrOrStderr())
			if err != nil {
				return usage(err)
			}
			cand, err := loadPolicy(candPath, cmd.ErrOrStderr())
			if err != nil {
				return usage(err)
			}
			var changes *batch.Output
			if changesPath != "" {
				if changes, err = batch.CreateOutput(changesPath, cmd.OutOrStdout()); err != nil {
					return exitError{code: exitIO, msg: err.Error()}
				}
			}
			ctx, stop := interruptible(cmd)
			defer stop()
			src, closeSrc, err := bf.source(ctx, cmd, inputs)
			if err != nil {
				if changes != nil {
					changes.Abort()
				}
				return err
			}
			defer closeSrc()
			stopProfile, err := bf.start()
			if err != nil {
				if changes != nil {
					changes.Abort()
				}
				return err
			}
			defer stopProfile()

			var changesW io.Writer // nil: the changed cases are only counted
			if changes != nil {
				changesW = changes
			}
			r, runErr := batch.Diff(ctx, src, base, cand, changesW, opts)
			if runErr != nil {
				if changes != nil {
					changes.Abort()
				}
				return runError(runErr, "diff", r.Cases)
			}
			if changes != nil {
				if err := changes.Commit(); err != nil {
					return exitError{code: exitIO, msg: "writing --changes: " + err.Error()}
				}
			}
			out := cmd.OutOrStdout()
			if format.value == "json" {
				for _, w := range r.Warnings { // the text report starts with them
					fmt.Fprintln(cmd.ErrOrStderr(), "veredicto: warning: "+w)
				}
				enc := json.NewEncoder(out)
				enc.SetIndent("", "  ")
				if err := enc.Encode(&r); err != nil {
					return exitError{code: exitIO, msg: err.Error()}
				}
			} else if err := r.WriteText(out); err != nil {
				return exitError{code: exitIO, msg: err.Error()}
			}
			if r.UnreadableInputs > 0 {
				return unreadable(r.Unreadable, "the report covers the rest")
			}
			if failOnChange && r.OutcomeChanged > 0 {
				return exitError{code: exitChanged, msg: fmt.Sprintf("%d case(s) change outcome", r.OutcomeChanged)}
			}
			return nil
		},
	}
	bf.register(cmd)
	cmd.Flags().StringVar(&basePath, "base", "", "the policy in force (required)")
	cmd.Flags().StringVar(&candPath, "candidate", "", "the policy that would replace it (required)")
	cmd.Flags().StringVar(&changesPath, "changes", "", "write the changed cases, with both decisions, to this JSONL file (.gz compresses)")
	cmd.Flags().BoolVar(&failOnChange, "fail-on-change", false, "exit with code 1 when any case's outcome changes (for CI)")
	format = addFormat(cmd, "", "text", "json")
	format.alias(cmd, "json", "json")
	return cmd
}

// usage gives a policy that does not load the usage exit code, so that it
// cannot be mistaken for "outcomes changed".
func usage(err error) error {
	if ee, ok := err.(exitError); ok {
		ee.code = exitUsage
		return ee
	}
	return exitError{code: exitUsage, msg: oneLine(err.Error())}
}
