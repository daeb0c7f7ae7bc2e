package main

import (
	"fmt"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/veredicto/veredicto/cmd/internal/batch"
	"github.com/veredicto/veredicto/cmd/internal/gen"
)

func init() { extraCommands = append(extraCommands, newGenerate) }

func newGenerate() *cobra.Command {
	var seed uint64
	var count int
	var mix, outPath string
	var malformed float64
	var quiet bool
	cmd := &cobra.Command{
		Use:   "generate [--seed N] [--count N] [--mix single|full|mixed] [--malformed 0.01] [--out FILE]",
		Short: "Generate synthetic stored cases (JSONL) for demos and benchmarks",
		Long: `Generate synthetic stored results of the five providers as JSONL, one case per
line: bare provider payloads (--mix single), full Mexican case envelopes with
results of every provider (--mix full), or both and partial cases (mixed).

The applicants are synthetic (CURPs built by RENAPO's rules, a few with a wrong
check digit); most cases are clean and the others carry flaws that a policy
reviews or rejects: declined, pending and abandoned sessions, API error bodies,
sanctions hits, CURPs RENAPO does not know, inactive INE credentials, Trully
threats, rejected Preventor flows... Payloads take the awkward shapes the
providers send (nulls, additionalVerifiedData as object or array, numbers as
strings, in-progress webhooks), and --malformed of the lines are broken.

The output depends only on the flags: the same seed gives the same bytes.
--out writes a file atomically (.gz compresses); a line count by kind goes to
stderr.`,
		Example: `  veredicto generate --seed 1 --count 1000 --out cases.jsonl
  veredicto generate --seed 7 --count 2000 --mix full --malformed 0 --out full.jsonl.gz`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			m, err := gen.ParseMix(mix)
			if err != nil {
				return exitError{code: exitUsage, msg: err.Error()}
			}
			if count < 0 || malformed < 0 || malformed > 1 {
				return exitError{code: exitUsage, msg: "--count must be >= 0 and --malformed between 0 and 1"}
			}
			out, err := batch.CreateOutput(outPath, cmd.OutOrStdout())
			if err != nil {
				return exitError{code: exitIO, msg: err.Error()}
			}
			g, err := gen.Generate(out, gen.Config{Seed: seed, Count: count, Mix: m, Malformed: malformed})
			if err != nil {
				out.Abort()
				return exitError{code: exitIO, msg: err.Error()}
			}
			if err := out.Commit(); err != nil {
				return exitError{code: exitIO, msg: err.Error()}
			}
			if !quiet {
				kinds := make([]string, 0, len(g.Counts))
				for k := range g.Counts {
					kinds = append(kinds, k)
				}
				sort.Strings(kinds)
				parts := make([]string, len(kinds))
				for i, k := range kinds {
					parts[i] = fmt.Sprintf("%s %d", k, g.Counts[k])
				}
				fmt.Fprintf(cmd.ErrOrStderr(), "generated %d lines (seed %d, mix %s): %s\n", count, seed, m, strings.Join(parts, ", "))
			}
			return nil
		},
	}
	cmd.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return exitError{code: exitUsage, msg: err.Error()} })
	cmd.Flags().Uint64Var(&seed, "seed", 1, "random seed: the same seed gives the same output")
	cmd.Flags().IntVarP(&count, "count", "n", 1000, "number of lines")
	cmd.Flags().StringVar(&mix, "mix", "mixed", "single (bare payloads), full (five-provider envelopes) or mixed")
	cmd.Flags().Float64Var(&malformed, "malformed", 0.01, "share of malformed lines, 0 to 1")
	cmd.Flags().StringVarP(&outPath, "out", "o", "", "write to this file (atomically; .gz compresses) instead of stdout")
	cmd.Flags().BoolVarP(&quiet, "quiet", "q", false, "no line count on stderr")
	return cmd
}
