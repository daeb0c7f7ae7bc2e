package policytest

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/veredicto/veredicto/engine"
)

// WriteTest writes one test's result like go test -v: a failed test always,
// with each missed expectation at the test's position and the decision it
// got; a passed test only when verbose.
func WriteTest(w io.Writer, r *TestResult, verbose bool) {
	if r.Passed() {
		if verbose {
			fmt.Fprintf(w, "--- ok    %s (%s)\n", r.Test.Name, dur(r.Elapsed))
		}
		return
	}
	fmt.Fprintf(w, "--- FAIL  %s (%s)\n", r.Test.Name, dur(r.Elapsed))
	for _, f := range r.Failures {
		fmt.Fprintf(w, "    %s: %s\n", r.Test.Pos, f)
	}
	writeDecision(w, &r.Decision)
}

// writeDecision shows what a decision was, for a failed test.
func writeDecision(w io.Writer, d *engine.Decision) {
	fmt.Fprintf(w, "    got %s", d.Outcome)
	if d.DefaultApplied {
		fmt.Fprint(w, " (the policy's default: nothing fired)")
	}
	fmt.Fprintln(w)
	for _, r := range d.Reasons {
		fmt.Fprintf(w, "      [%s] %s (%s): %s\n", r.Outcome, r.Rule, r.Kind, r.Message)
	}
	for _, r := range d.Shadow {
		fmt.Fprintf(w, "      [shadow %s] %s (%s): %s\n", r.Outcome, r.Rule, r.Kind, r.Message)
	}
	if len(d.Missing) > 0 {
		fmt.Fprintf(w, "      missing: %s\n", strings.Join(d.Missing, ", "))
	}
	for _, wn := range d.Warnings {
		fmt.Fprintf(w, "      warning: %s: byte %d: %s\n", wn.Provider, wn.Offset, wn.Message)
	}
	if len(d.Skipped) > 0 {
		ids := make([]string, len(d.Skipped))
		for i, r := range d.Skipped {
			ids[i] = r.Rule
		}
		fmt.Fprintf(w, "      undecided, let pass: %s\n", strings.Join(ids, ", "))
	}
}

// WriteSummary writes a suite's line: ok or FAIL, the file, the tests that
// ran and how long they took.
func WriteSummary(w io.Writer, r *SuiteResult, filtered bool) {
	status := "ok  "
	counts := plural(len(r.Tests), "test")
	if n := r.Failed(); n > 0 {
		status = "FAIL"
		counts += fmt.Sprintf(", %d failed", n)
	}
	if filtered && len(r.Tests) < len(r.Suite.Tests) {
		counts += fmt.Sprintf(" of %d", len(r.Suite.Tests))
	}
	fmt.Fprintf(w, "%s  %s  %s  (%s)\n", status, r.Suite.File, counts, dur(r.Elapsed))
}

// WriteCoverage writes a policy's coverage and what no test exercised; with
// verbose, every item and how many tests it contributed to.
func WriteCoverage(w io.Writer, c *Coverage, verbose bool) {
	fmt.Fprintf(w, "coverage: %.1f%% of %s %s (%s): %d of %d exercised in %s\n",
		c.Percent(), c.Policy.Name, c.Policy.Version, c.Policy.File, c.Covered(), len(c.Items), plural(c.Tests, "test"))
	for _, it := range c.Items {
		switch {
		case it.Hits == 0:
			fmt.Fprintf(w, "    never %-8s %s\n", verb(it)+":", c.Label(it))
		case verbose:
			fmt.Fprintf(w, "    %-14s %s\n", plural(it.Hits, "test")+":", c.Label(it))
		}
	}
}

func verb(it CoverageItem) string {
	switch {
	case it.Kind == idRequirement.String():
		return "unmet"
	case it.Threshold >= 0:
		return "reached"
	}
	return "fired"
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// dur rounds a duration for people: microseconds below a millisecond, else
// milliseconds with two decimals.
func dur(d time.Duration) string {
	if d < time.Millisecond {
		return d.Round(time.Microsecond).String()
	}
	return d.Round(10 * time.Microsecond).String()
}
