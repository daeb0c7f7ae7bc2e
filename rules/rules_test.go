package rules

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/veredicto/veredicto/engine"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// TestErrorGolden compiles each broken policy in testdata/errors and
// compares every reported problem, with its snippet, to the golden file.
func TestErrorGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/errors/*.yaml")
	if len(files) == 0 {
		t.Fatal("no test policies")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			p, err := Load(f, testCatalog())
			if err == nil || p != nil {
				t.Fatalf("Load(%s) succeeded; want errors and no policy", f)
			}
			var list engine.ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("error is %T, want engine.ErrorList", err)
			}
			got := list.Snippets()
			golden := strings.TrimSuffix(f, ".yaml") + ".golden"
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./rules -update)", err)
			}
			if got != string(want) {
				t.Errorf("errors differ from %s:\n--- got\n%s--- want\n%s", golden, got, want)
			}
		})
	}
}

func TestErrorsAreSortedAndComplete(t *testing.T) {
	_, err := Load("testdata/errors/many.yaml", testCatalog())
	var list engine.ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("got %v", err)
	}
	codes := map[string]int{}
	for i, e := range list {
		codes[e.Code]++
		if i > 0 && (e.Pos.Line < list[i-1].Pos.Line || e.Pos.Line == list[i-1].Pos.Line && e.Pos.Column < list[i-1].Pos.Column) {
			t.Errorf("errors not sorted: %v before %v", list[i-1], e)
		}
	}
	for _, code := range []string{engine.CodeInvalid, engine.CodeDuplicate, engine.CodeUnknownFact, engine.CodeType, engine.CodeUnknownKey, engine.CodeMissing} {
		if codes[code] == 0 {
			t.Errorf("no %s error reported; got %v", code, codes)
		}
	}
}

func TestExprPositions(t *testing.T) {
	tests := []struct {
		name, src string
		line, col int
	}{
		{"plain", "policy: p\nversion: '1'\ndefault: review\nrules:\n  - id: a\n    description: d\n    when: veriff.status == 'x' && veriff.nope\n    outcome: reject\n    reason: r\n", 7, 35},
		{"double quoted", "policy: p\nversion: '1'\ndefault: review\nrules:\n  - id: a\n    description: d\n    when: \"veriff.nope\"\n    outcome: reject\n    reason: r\n", 7, 12},
		{"literal block", "policy: p\nversion: '1'\ndefault: review\nrules:\n  - id: a\n    description: d\n    when: |\n      veriff.document.expired &&\n        veriff.nope\n    outcome: reject\n    reason: r\n", 9, 9},
		{"folded block", "policy: p\nversion: '1'\ndefault: review\nrules:\n  - id: a\n    description: d\n    when: >\n      veriff.document.expired and\n      veriff.nope\n    outcome: reject\n    reason: r\n", 9, 7},
	}
	for _, tt := range tests {
		_, err := Compile("p.yaml", []byte(tt.src), testCatalog())
		var list engine.ErrorList
		if !errors.As(err, &list) || len(list) != 1 {
			t.Errorf("%s: got %v, want one error", tt.name, err)
			continue
		}
		if e := list[0]; e.Pos.Line != tt.line || e.Pos.Column != tt.col || e.Code != engine.CodeUnknownFact {
			t.Errorf("%s: error at %d:%d (%s), want %d:%d", tt.name, e.Pos.Line, e.Pos.Column, e.Msg, tt.line, tt.col)
		}
	}
}

// TestDerivedNamesInStrings: a string literal that spells a derived fact's
// name is not a reference to it (no false cycle), and a real reference is.
func TestDerivedNamesInStrings(t *testing.T) {
	src := []byte(`policy: p
version: "1"
default: review
derive:
  - name: pep
    description: d
    expr: '"pep" in veriff.risk_labels'
  - name: reason_pep
    description: d
    expr: 'veriff.status != "pep" && pep'
  - name: labels
    description: d
    expr: 'any(veriff.risk_labels, # == "reason_pep") || reason_pep'
rules:
  - id: r
    description: r
    when: labels
    outcome: reject
    reason: r
`)
	p, err := Compile("p.yaml", src, testCatalog())
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, d := range p.Derived {
		order = append(order, d.Name)
	}
	if strings.Join(order, " ") != "pep reason_pep labels" {
		t.Errorf("derived facts in order %v", order)
	}
	d := p.Evaluate(facts(t, map[string]engine.Value{"veriff.risk_labels": engine.ListValue([]string{"pep"}), "veriff.status": engine.StringValue("approved")}))
	if d.Outcome != engine.Reject {
		t.Errorf("outcome %s, want reject through pep → reason_pep → labels", d.Outcome)
	}
}

// TestNoHintsForCorrectPolicies: the shapes the hints look for, written
// correctly (a quoted reason with ": ", ==, a quoted word, a tab inside
// quoted text and a block scalar), compile without any problem.
func TestNoHintsForCorrectPolicies(t *testing.T) {
	src := "policy: kyc\nversion: \"1\"\ndefault: review\nrules:\n" +
		"  - id: declined\n" +
		"    description: \"Veriff: declined.\"\n" +
		"    when: veriff.status == \"declined\" && veriff.code != 9102\n" +
		"    outcome: reject\n" +
		"    reason: \"Declined: see the session\\t(Veriff).\"\n" +
		"  - id: review\n" +
		"    description: Veriff asks for a review.\n" +
		"    when: |\n" +
		"      veriff.status == \"review\" ||\n" +
		"      \tveriff.risk_score >= 0.5\n" +
		"    outcome: review\n" +
		"    reason: 'Review: {veriff.status}.'\n"
	if _, err := Compile("ok.yaml", []byte(src), testCatalog()); err != nil {
		t.Fatalf("a correct policy has problems: %v", err)
	}
}
