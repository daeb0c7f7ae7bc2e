package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/veredicto/veredicto/engine"
	"github.com/veredicto/veredicto/normalizers"
	"github.com/veredicto/veredicto/rules/check"
	"github.com/veredicto/veredicto/rules/policytest"
)

func newCheck() *cobra.Command {
	var base string
	var format *outputFormat
	var explain, verbose bool
	var budget int
	cmd := &cobra.Command{
		Use:   "check [--base OLD.yaml] POLICY|DIR ...",
		Short: "Prove a policy cannot approve on adverse evidence; with --base, list the cases whose outcome changes",
		Long: `Analyse policies without any stored case. For every fact with an adverse value
(its polarity in the catalog: veredicto facts shows it), check searches for a
case the policy approves while the fact is adverse, and reports each as an
error at the approving rule with a counterexample: the smallest set of facts
found, printed as a test to paste under tests: of a *.test.yaml suite (which
needs an as_of). A fact the policy lists under informational: is an accepted
risk, not an error. Warnings name rules that can never fire, rules a stricter
rule always overrides, and score thresholds no terms reach.

Numbers range over the literals the policy compares them with, each +-δ, and
their documented limit; free strings over the literals and "other"; --explain
prints these assumptions and every accepted risk.

A DIR stands for every policy under it, as for validate. With --base
OLD.yaml and one POLICY, check compares the two and lists each
class of cases whose outcome changes, with a counterexample.

A policy that does not load is reported as validate reports it (with
--format json, under "unloaded") and the other policies are checked.

Exit status: 0 no errors; 1 an approval on adverse evidence was found; 2 a
policy does not load (even if another approves on adverse evidence) or the
command line is wrong.`,
		Example: `  veredicto check policies/mx-onboarding.yaml
  veredicto check --explain policies/mx-onboarding.yaml
  veredicto check --format json policies/*.yaml
  veredicto check --base cmd/veredicto/testdata/check/onboarding.yaml cmd/veredicto/testdata/check/confirmed.yaml`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := format.check(cmd); err != nil {
				return err
			}
			args, err := policyFiles(args)
			if err != nil {
				return exitError{code: exitUsage, msg: err.Error()}
			}
			if base != "" && len(args) != 1 {
				return exitError{code: 2, msg: "--base compares one POLICY with the base"}
			}
			if budget < 0 {
				return exitError{code: 2, msg: "--budget: want a positive number of search nodes"}
			}
			out, stderr := cmd.OutOrStdout(), cmd.ErrOrStderr()
			cat := normalizers.Catalog()
			var reports []*check.Report
			var took []time.Duration
			// A policy that does not load is reported, as validate does,
			// and the others are checked all the same.
			var unloaded []validation
			tried := 0
			load := func(path string) *engine.Policy {
				tried++
				p, v := loadValidation(path, cat)
				if p == nil {
					unloaded = append(unloaded, v)
					if format.value == "text" {
						v.writeText(out, stderr)
					}
				}
				return p
			}
			var bp *engine.Policy
			if base != "" {
				if bp = load(base); bp == nil {
					args = nil
				}
			}
			for _, path := range args {
				if policytest.IsSuiteFile(path) {
					fmt.Fprintf(stderr, "skip %s: a test suite (run veredicto test %s)\n", path, path)
					continue
				}
				p := load(path)
				if p == nil {
					continue
				}
				opts := &check.Options{Budget: budget}
				start := time.Now()
				var rep *check.Report
				if bp != nil {
					rep, err = check.Diff(bp, p, cat, opts)
				} else {
					rep, err = check.Policy(p, cat, opts)
				}
				if err != nil {
					return err
				}
				reports = append(reports, rep)
				took = append(took, time.Since(start))
			}
			errs := 0
			for _, r := range reports {
				errs += r.Errors()
			}
			if format.value == "json" {
				enc := json.NewEncoder(out)
				enc.SetIndent("", "  ")
				if err := enc.Encode(struct {
					Reports  []*check.Report `json:"reports"`
					Errors   int             `json:"errors"`
					Unloaded []validation    `json:"unloaded,omitempty"`
				}{reports, errs, unloaded}); err != nil {
					return err
				}
			} else {
				for i, r := range reports {
					printCheck(out, r, explain, verbose, took[i])
				}
			}
			msg := ""
			if errs > 0 {
				msg = fmt.Sprintf("%d approval(s) on adverse evidence", errs)
			}
			if len(unloaded) > 0 {
				if msg != "" {
					msg += "; "
				}
				msg += fmt.Sprintf("%d of %d policies did not load", len(unloaded), tried)
				return exitError{code: exitUsage, msg: msg}
			}
			if errs > 0 {
				return exitError{code: 1, msg: msg}
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&base, "base", "", "compare POLICY with this base policy: list the cases whose outcome changes")
	f.BoolVar(&explain, "explain", false, "also print every accepted risk and the values assumed for numbers and free strings")
	f.BoolVarP(&verbose, "verbose", "v", false, "also print the search's size and time")
	format = addFormat(cmd, " (stable codes: approve-on-adverse, accepted-risk, unused-fact, unreachable-rule, shadowed-rule, unreachable-threshold, incomplete, outcome-change)", "text", "json")
	f.IntVar(&budget, "budget", 0, fmt.Sprintf("search nodes per policy (default %d); a search that runs out reports incomplete", check.DefaultBudget))
	return cmd
}

// printCheck renders a report for people: every finding with its source
// line and caret, counterexamples as suite tests, then a summary.
func printCheck(w io.Writer, r *check.Report, explain, verbose bool, took time.Duration) {
	counts := map[check.Severity]int{}
	accepted := 0
	for _, f := range r.Findings {
		counts[f.Severity]++
		if f.Code == check.CodeAcceptedRisk {
			accepted++
			if !explain {
				continue
			}
		}
		fmt.Fprintln(w, f.Snippet())
		if f.Case != nil && f.Severity != check.Info || f.Case != nil && explain {
			fmt.Fprintln(w, "   counterexample (paste under tests: of a suite with an as_of):")
			fmt.Fprint(w, f.Case.YAML(4))
		}
	}
	if explain {
		for _, a := range r.Accepted {
			fmt.Fprintf(w, "%s: accepted as informational: %s\n   reason: %s\n", a.Pos, strings.Join(a.Facts, ", "), a.Reason)
		}
		if len(r.Assumptions) > 0 {
			fmt.Fprintln(w, "values assumed for numbers and free strings (the literals the policy compares them with, ±δ, and documented limits):")
			for _, a := range r.Assumptions {
				fmt.Fprintf(w, "   %s: %s\n", a.Fact, strings.Join(a.Values, ", "))
			}
		}
	}
	fmt.Fprintf(w, "%s: %d error(s), %d warning(s), %d note(s)", r.File, counts[check.Error], counts[check.Warning], counts[check.Info])
	if accepted > 0 && !explain {
		fmt.Fprintf(w, ", %d accepted risk(s) (--explain lists them)", accepted)
	}
	fmt.Fprintln(w)
	if verbose {
		fmt.Fprintf(w, "%s: %d searches, %d nodes, %s\n", r.File, r.Searches, r.Nodes, took.Round(time.Microsecond))
	}
}
