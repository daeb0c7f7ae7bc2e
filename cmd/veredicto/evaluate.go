package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"

	"github.com/spf13/cobra"

	"github.com/veredicto/veredicto/engine"
	"github.com/veredicto/veredicto/normalizers"
)

func newEvaluate() *cobra.Command {
	var policy, asOf string
	var trace bool
	var format *outputFormat
	cmd := &cobra.Command{
		Use:   "evaluate --policy FILE [CASE ...]",
		Short: "Decide cases and print the decisions (JSON lines, or text with --format text)",
		Long: `Decide each CASE file (or the case on standard input when none is given).
A case is a bare provider payload, whose provider is told from its shape, or
an envelope {"case_id": ..., "results": [{"provider": ..., "payload": ...}]}.

Each decision is one line of JSON (JSONL), however many cases there are;
pipe it through jq to read it. --format text prints the decision for people,
and --trace adds every rule's result to either format.

A CASE that cannot be read or decided is reported on stderr and the others
are still decided. Exit status: 0 every case was decided; 1 a case could not
be; 2 the policy has problems.`,
		Example: `  veredicto evaluate --policy policies/mx-onboarding.yaml fixtures/cases/mx_ofac_hit.json
  veredicto evaluate -p policies/mx-onboarding.yaml --format text --trace fixtures/cases/mx_ofac_hit.json
  veredicto evaluate -p policies/mx-onboarding.yaml --as-of 2025-06-17 fixtures/cases/*.json`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := format.check(cmd); err != nil {
				return err
			}
			p, err := loadPolicy(policy, cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			at, err := parseAsOf(asOf)
			if err != nil {
				return err
			}
			if len(args) == 0 {
				args = []string{"-"}
			}
			out := bufio.NewWriter(cmd.OutOrStdout())
			defer out.Flush()
			facts := engine.NewFacts(normalizers.Catalog())
			var opts []engine.EvalOption
			if trace {
				opts = append(opts, engine.WithTrace())
			}
			failed, decided := 0, 0
			for _, name := range args {
				source := name
				if name == "-" {
					source = "stdin"
				}
				doc, err := readInput(name, cmd.InOrStdin())
				var pe *fs.PathError
				if errors.As(err, &pe) {
					err = fmt.Errorf("%s: %w", pe.Path, pe.Err) // not "open nope.json: ..."
				}
				if err == nil {
					if err = normalizers.Normalize(doc, facts, normalizers.Options{AsOf: at}); err != nil {
						err = caseError(source, err)
					}
				}
				if err != nil {
					// Report it in its place among the decisions, and go on.
					out.Flush()
					fmt.Fprintln(cmd.ErrOrStderr(), "veredicto: "+oneLine(err.Error()))
					failed++
					continue
				}
				d := p.Evaluate(facts, opts...)
				if format.value == "text" {
					if decided > 0 {
						fmt.Fprintln(out)
					}
					if len(args) > 1 {
						fmt.Fprintf(out, "== %s\n", source)
					}
					if err := d.Explain(out); err != nil {
						return err
					}
					writeTrace(out, &d)
				} else {
					out.Write(d.AppendJSON(nil))
					out.WriteByte('\n')
				}
				decided++
			}
			switch {
			case failed > 0 && len(args) == 1:
				return exitError{code: 1} // its error says it all
			case failed > 0:
				return exitError{code: 1, msg: fmt.Sprintf("%d of %d cases could not be decided (above)", failed, len(args))}
			}
			return nil
		},
	}
	cmd.Flags().StringVarP(&policy, "policy", "p", "", "policy file (required)")
	cmd.Flags().StringVar(&asOf, "as-of", "", "evaluation time: RFC 3339 or YYYY-MM-DD (default: the envelope's as_of, else now)")
	format = addFormat(cmd, " (text: the decision explained for people)", "json", "text")
	format.alias(cmd, "explain", "text")
	cmd.Flags().BoolVar(&trace, "trace", false, "record every rule's result in the decision")
	_ = cmd.MarkFlagRequired("policy")
	return cmd
}

// writeTrace prints a traced decision's result of every rule, requirement
// and score, for --format text.
func writeTrace(w io.Writer, d *engine.Decision) {
	if len(d.Trace) == 0 {
		return
	}
	fmt.Fprintln(w, "\nTrace (every rule, requirement and score):")
	width := 0
	for _, t := range d.Trace {
		width = max(width, len(t.ID))
	}
	for _, t := range d.Trace {
		fmt.Fprintf(w, "  %-*s  %s\n", width, t.ID, t.Result)
	}
}
