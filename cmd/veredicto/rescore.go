package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"runtime/pprof"
	"strings"
	"syscall"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/veredicto/veredicto/cmd/internal/batch"
	"github.com/veredicto/veredicto/cmd/internal/store"
)

func init() { extraCommands = append(extraCommands, newRescore) }

// Exit codes of rescore and diff (see their help).
const (
	exitChanged     = 1   // diff --fail-on-change: some outcome changed
	exitUsage       = 2   // bad flags, arguments or policy
	exitIO          = 4   // an input could not be read, or the output written
	exitInterrupted = 130 // SIGINT or SIGTERM
)

// batchFlags are the flags rescore and diff share.
type batchFlags struct {
	workers    int
	asOf       string
	quiet      bool
	store      string
	cpuProfile string
}

func (f *batchFlags) register(cmd *cobra.Command) {
	cmd.Flags().IntVarP(&f.workers, "workers", "w", 0, "cases decided in parallel (default: the number of CPUs)")
	cmd.Flags().StringVar(&f.asOf, "as-of", "original", "evaluation time: original (each case's provider decision time, else its envelope's as_of, else the start of the run), now, or an RFC 3339 time or date")
	cmd.Flags().BoolVarP(&f.quiet, "quiet", "q", false, "no progress bar and no summary on stderr")
	cmd.Flags().StringVar(&f.store, "store", "", "read the cases of a store (sqlite:PATH or postgres://...) instead of INPUT files, ordered by case id")
	cmd.Flags().StringVar(&f.cpuProfile, "cpuprofile", "", "write a CPU profile of the run to this file (go tool pprof)")
	_ = cmd.Flags().MarkHidden("cpuprofile")
	cmd.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return exitError{code: exitUsage, msg: err.Error()} })
}

// options turns the flags into batch options; the progress bar goes to
// stderr only when it is a terminal.
func (f *batchFlags) options(cmd *cobra.Command, inputs []string) (batch.Options, error) {
	asOf, err := batch.ParseAsOf(f.asOf)
	if err != nil {
		return batch.Options{}, exitError{code: exitUsage, msg: err.Error()}
	}
	if f.workers < 0 {
		return batch.Options{}, exitError{code: exitUsage, msg: "--workers: want a positive number"}
	}
	opts := batch.Options{Workers: f.workers, AsOf: asOf, NameInputs: len(inputs) > 1}
	if errw := cmd.ErrOrStderr(); !f.quiet {
		if file, ok := errw.(*os.File); ok && term.IsTerminal(int(file.Fd())) {
			opts.Progress = errw
		}
	}
	return opts, nil
}

// inputsOf returns the input arguments, stdin when there are none. Stdin
// may be named once only; --store takes no inputs.
// outputNotInput refuses an output file that is one of the inputs (the
// same file by device and inode, whatever the path says): renaming the
// decisions into place would destroy the stored cases.
func outputNotInput(out string, inputs []string) error {
	if out == "" || out == "-" {
		return nil
	}
	oi, err := os.Stat(out)
	if err != nil {
		return nil // a new file cannot be an input
	}
	for _, in := range inputs {
		if ii, err := os.Stat(in); err == nil && os.SameFile(oi, ii) {
			return exitError{code: exitUsage, msg: fmt.Sprintf("rescore: --out %s is the input %s: refusing to overwrite the cases with their decisions", out, in)}
		}
	}
	return nil
}

func (f *batchFlags) inputsOf(args []string) ([]string, error) {
	if f.store != "" {
		if len(args) > 0 {
			return nil, exitError{code: exitUsage, msg: "--store reads the store's cases: give no INPUT files"}
		}
		return []string{"store"}, nil
	}
	if len(args) == 0 {
		return []string{"-"}, nil
	}
	stdin := 0
	for _, a := range args {
		if a == "-" {
			stdin++
		}
	}
	if stdin > 1 {
		return nil, exitError{code: exitUsage, msg: "stdin (-) given more than once"}
	}
	return args, nil
}

// source opens the records to decide: the input files, or the cases of a
// store. close releases them.
func (f *batchFlags) source(ctx context.Context, cmd *cobra.Command, inputs []string) (src batch.Source, close func(), err error) {
	if f.store == "" {
		// A mistyped name is said at once, not after the other inputs
		// have been decided (which may take hours); the run goes on, and
		// the output holds a read error record for it.
		for _, in := range inputs {
			if in == "-" {
				continue
			}
			if fi, err := os.Stat(in); err != nil || fi.IsDir() {
				why := "a directory"
				if err != nil {
					why = errors.Unwrap(err).Error()
				}
				fmt.Fprintf(cmd.ErrOrStderr(), "veredicto: input %s cannot be read (%s): the other inputs are decided, the output has a read error record for it, and the exit status will be %d\n", in, why, exitIO)
			}
		}
		files := batch.OpenFiles(inputs, cmd.InOrStdin(), 0)
		return files, func() { files.Close() }, nil
	}
	if path, ok := strings.CutPrefix(f.store, "sqlite:"); ok {
		// Opening creates a missing file: a mistyped path would look like
		// an empty store.
		if _, err := os.Stat(strings.TrimPrefix(path, "//")); err != nil {
			return nil, nil, exitError{code: exitIO, msg: "--store: " + err.Error()}
		}
	}
	st, err := store.Open(ctx, f.store)
	if err != nil {
		return nil, nil, exitError{code: exitIO, msg: oneLine(err.Error())}
	}
	seq := func(yield func([]byte, error) bool) {
		for rec, err := range st.Cases(ctx) {
			if !yield(rec.Envelope, err) {
				return
			}
		}
	}
	cases := batch.FromSeq("store", seq)
	return cases, func() { cases.Close(); st.Close() }, nil
}

// start prepares the process for a batch run: the garbage collector runs
// less often (a heap of up to 64 MiB before it does; live memory stays far
// below), unless GOGC or GOMEMLIMIT say otherwise, which saves about a
// tenth of the CPU time; and the CPU profile starts when asked for. The
// returned function stops the profile.
func (f *batchFlags) start() (stop func(), err error) {
	if os.Getenv("GOGC") == "" && os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(64 << 20)
		debug.SetGCPercent(400)
	}
	if f.cpuProfile == "" {
		return func() {}, nil
	}
	file, err := os.Create(f.cpuProfile)
	if err != nil {
		return nil, exitError{code: exitIO, msg: err.Error()}
	}
	if err := pprof.StartCPUProfile(file); err != nil {
		file.Close()
		return nil, exitError{code: exitIO, msg: err.Error()}
	}
	return func() { pprof.StopCPUProfile(); file.Close() }, nil
}

// interruptible returns a context that ends on SIGINT or SIGTERM.
func interruptible(cmd *cobra.Command) (context.Context, context.CancelFunc) {
	ctx := cmd.Context()
	if ctx == nil {
		ctx = context.Background()
	}
	return signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
}

// runError maps the error that ended a run to an exit code.
func runError(err error, what string, cases int64) error {
	if errors.Is(err, context.Canceled) {
		return exitError{code: exitInterrupted, msg: fmt.Sprintf("interrupted after %d cases; no output file was written", cases)}
	}
	return exitError{code: exitIO, msg: fmt.Sprintf("%s: %s", what, oneLine(err.Error()))}
}

// unreadable is the error of a run whose inputs could not all be read to
// the end: it names each, with why.
func unreadable(fs []batch.Failure, then string) error {
	parts := make([]string, len(fs))
	for i, f := range fs {
		parts[i] = f.Input + " (" + f.Error + ")"
	}
	return exitError{code: exitIO, msg: fmt.Sprintf("%d input(s) could not be read to the end: %s; %s", len(fs), strings.Join(parts, ", "), then)}
}

// writeJSONFile writes v as indented JSON to path, atomically.
func writeJSONFile(path string, v any, stdout io.Writer) error {
	out, err := batch.CreateOutput(path, stdout)
	if err != nil {
		return exitError{code: exitIO, msg: err.Error()}
	}
	enc := json.NewEncoder(out)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		out.Abort()
		return exitError{code: exitIO, msg: err.Error()}
	}
	if err := out.Commit(); err != nil {
		return exitError{code: exitIO, msg: err.Error()}
	}
	return nil
}

func newRescore() *cobra.Command {
	var bf batchFlags
	var policy, outPath, summaryPath string
	cmd := &cobra.Command{
		Use:   "rescore --policy FILE [INPUT ...]",
		Short: "Decide stored cases again: JSONL in, one decision per line out, in order",
		Long: `Decide again every case of the JSONL INPUTs (standard input when none or
"-"; gzip-compressed inputs are read transparently), one case per line: a bare
provider payload or an envelope. Several inputs are read one after the other.
With --store, the cases kept by "veredicto serve" are decided instead, as
envelopes of all their results, in case id order.

The output has exactly one JSON line per input line, in input order, with the
line number (and the input's name when there are several):

  {"line":1,"case_id":"app-1","as_of_source":"event","decision":{...}}
  {"line":2,"error":{"kind":"malformed","provider":"veriff","offset":120,"message":"..."}}

A line that is not a case (empty, too long, malformed or invalid JSON) gets an
error record and the run goes on. as_of_source says what time the case was
evaluated as of: event (the providers' own decision time), envelope (its
as_of), now (the start of the run) or given (--as-of TIME).

A progress bar is drawn on stderr when it is a terminal, and a summary is
printed there at the end (outcomes, errors by kind, rules fired, throughput);
--summary also writes it as JSON.

Exit codes: 0 every line was processed (error records included); 2 bad flags
or policy; 4 an input could not be read to the end, or the output could not be
written; 130 interrupted.`,
		Example: `  veredicto rescore --policy policies/mx-onboarding.yaml fixtures/sample/cases.jsonl
  veredicto rescore -p policies/mx-onboarding.yaml --as-of 2026-01-01 --out decisions.jsonl.gz fixtures/sample/*.jsonl
  veredicto rescore -p policies/mx-onboarding.yaml --summary summary.json < fixtures/sample/cases.jsonl > decisions.jsonl`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if policy == "" {
				return exitError{code: exitUsage, msg: "rescore: --policy is required"}
			}
			inputs, err := bf.inputsOf(args)
			if err != nil {
				return err
			}
			opts, err := bf.options(cmd, inputs)
			if err != nil {
				return err
			}
			if err := outputNotInput(outPath, inputs); err != nil {
				return err
			}
			p, err := loadPolicy(policy, cmd.ErrOrStderr())
			if err != nil {
				return usage(err)
			}
			out, err := batch.CreateOutput(outPath, cmd.OutOrStdout())
			if err != nil {
				return exitError{code: exitIO, msg: err.Error()}
			}
			ctx, stop := interruptible(cmd)
			defer stop()
			src, closeSrc, err := bf.source(ctx, cmd, inputs)
			if err != nil {
				out.Abort()
				return err
			}
			defer closeSrc()
			stopProfile, err := bf.start()
			if err != nil {
				out.Abort()
				return err
			}
			defer stopProfile()

			s, runErr := batch.Rescore(ctx, src, p, out, opts)
			if runErr != nil {
				out.Abort()
				return runError(runErr, "rescore", s.Cases)
			}
			if err := out.Commit(); err != nil {
				return exitError{code: exitIO, msg: "writing the output: " + err.Error()}
			}
			if !bf.quiet {
				s.WriteText(cmd.ErrOrStderr())
			}
			if summaryPath != "" {
				if err := writeJSONFile(summaryPath, &s, cmd.OutOrStdout()); err != nil {
					return err
				}
			}
			if s.UnreadableInputs > 0 {
				return unreadable(s.Unreadable, "the output has a read error record for each")
			}
			return nil
		},
	}
	bf.register(cmd)
	cmd.Flags().StringVarP(&policy, "policy", "p", "", "policy file (required)")
	cmd.Flags().StringVarP(&outPath, "out", "o", "", "write the decisions to this file (atomically; .gz compresses) instead of stdout")
	cmd.Flags().StringVar(&summaryPath, "summary", "", "also write the summary as JSON to this file")
	return cmd
}
