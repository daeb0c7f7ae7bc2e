package check_test

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/veredicto/veredicto/engine"
	"github.com/veredicto/veredicto/normalizers"
	"github.com/veredicto/veredicto/rules"
	"github.com/veredicto/veredicto/rules/check"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// render writes everything a report says, as `veredicto check --explain`
// would show it and more: every finding with its position, source line,
// ids and counterexample, the assumptions, the accepted risks, and the
// search nodes and searches spent.
func render(rep *check.Report) string {
	var b strings.Builder
	fmt.Fprintf(&b, "policy %s (%s): %d findings, %d errors\n", rep.Policy, rep.File, len(rep.Findings), rep.Errors())
	for _, f := range rep.Findings {
		b.WriteString(f.Snippet())
		fmt.Fprintf(&b, "\n   severity %s, rule %q, fact %q", f.Severity, f.Rule, f.Fact)
		if f.Reason != "" {
			fmt.Fprintf(&b, ", reason %q", f.Reason)
		}
		b.WriteString("\n")
		if f.Case != nil {
			if f.Case.Base != engine.None {
				fmt.Fprintf(&b, "   base outcome %s\n", f.Case.Base)
			}
			b.WriteString(f.Case.YAML(3))
		}
	}
	for _, a := range rep.Assumptions {
		fmt.Fprintf(&b, "assumed %s: %s\n", a.Fact, strings.Join(a.Values, " "))
	}
	for _, a := range rep.Accepted {
		fmt.Fprintf(&b, "accepted %s at %s: %s\n", strings.Join(a.Facts, ", "), a.Pos, a.Reason)
	}
	fmt.Fprintf(&b, "%d nodes in %d searches\n", rep.Nodes, rep.Searches)
	return b.String()
}

// golden compares got with testdata/golden/name, which go test -update
// rewrites.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("%s differs (go test -update rewrites it):\n%s", path, lineDiff(string(want), got))
	}
}

// lineDiff shows the first line where two texts differ.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return fmt.Sprintf("line %d:\n want %q\n got  %q", i+1, wl, gl)
		}
	}
	return ""
}

// TestReports: the whole report of each testdata policy, and of the diffs
// between them, is the one reviewed in testdata/golden: every finding, its
// position and message, its counterexample, and the work spent.
func TestReports(t *testing.T) {
	cat := check.TestCatalog
	for _, tc := range []struct {
		policy string
		opts   *check.Options
	}{
		{"approve_path", nil},
		{"no_path", nil},
		{"operators", nil},
		{"diff_base", nil},
		{"variety", nil},
		{"shapes", nil},
		{"blocks", nil},
		{"oneline", nil},
		{"budget", &check.Options{Budget: 20_000}},
	} {
		t.Run(tc.policy, func(t *testing.T) {
			_, rep := run(t, cat, filepath.Join("testdata", tc.policy+".yaml"), tc.opts)
			golden(t, tc.policy+".txt", render(rep))
		})
	}
	for _, pair := range [][2]string{{"diff_base", "diff_new"}, {"diff_more_base", "diff_more_new"}, {"diff_more_new", "diff_more_base"}} {
		t.Run(pair[0]+"-"+pair[1], func(t *testing.T) {
			base := load(t, cat, filepath.Join("testdata", pair[0]+".yaml"))
			p := load(t, cat, filepath.Join("testdata", pair[1]+".yaml"))
			rep, err := check.Diff(base, p, cat, nil)
			if err != nil {
				t.Fatal(err)
			}
			golden(t, "diff_"+pair[0]+"_"+pair[1]+".txt", render(rep))
		})
	}
}

// Policy and Diff refuse to analyse what they cannot: no policy, no
// catalog, a policy compiled against another catalog, no base.
func TestAnalysisErrors(t *testing.T) {
	cat := check.TestCatalog
	p := load(t, cat, "testdata/approve_path.yaml")
	other := load(t, normalizers.Catalog(), "../../policies/mx-onboarding.yaml")
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"no policy", second(check.Policy(nil, cat, nil)), "check: a policy and its catalog are required"},
		{"no catalog", second(check.Policy(p, nil, nil)), "check: a policy and its catalog are required"},
		{"another catalog", second(check.Policy(other, cat, nil)), "check: the policy was compiled against another catalog"},
		{"no base", second(check.Diff(nil, p, cat, nil)), "check: a base policy is required"},
		{"a base of another catalog", second(check.Diff(other, p, cat, nil)), "check: base: "},
		{"a new policy of another catalog", second(check.Diff(p, other, cat, nil)), "check: the policy was compiled against another catalog"},
	} {
		if tc.err == nil || !strings.HasPrefix(tc.err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.name, tc.err, tc.want)
		}
	}
}

func second(_ *check.Report, err error) error { return err }

// Without Options.Source the lines come from the policy's file; a policy
// with no file has findings without source lines.
func TestSourceLines(t *testing.T) {
	cat := check.TestCatalog
	src, err := os.ReadFile("testdata/approve_path.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p, err := rules.Compile("", src, cat)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := check.Policy(p, cat, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range rep.Findings {
		if f.Source != "" || f.Pos.File != "" {
			t.Errorf("a policy without a file: %s at %q", f.Source, f.Pos.File)
		}
	}
	rep, err = check.Policy(p, cat, &check.Options{Source: src})
	if err != nil {
		t.Fatal(err)
	}
	if f := byCode(rep, check.CodeApproveOnAdverse); len(f) != 1 || f[0].Source != "    when: t.primary ?? t.secondary" {
		t.Errorf("with Source: %+v", rep.Findings)
	}
	// A finding on the last line of a source without a final newline.
	src, err = os.ReadFile("testdata/oneline.yaml")
	if err != nil {
		t.Fatal(err)
	}
	src = []byte(strings.TrimSuffix(string(src), "\n"))
	p, err = rules.Compile("oneline.yaml", src, cat)
	if err != nil {
		t.Fatal(err)
	}
	rep, err = check.Policy(p, cat, &check.Options{Source: src})
	if err != nil {
		t.Fatal(err)
	}
	last := src[strings.LastIndex(string(src), "\n")+1:]
	if len(rep.Findings) != 2 || rep.Findings[0].Source != string(last) {
		t.Errorf("on the last line: %+v", rep.Findings)
	}
}
