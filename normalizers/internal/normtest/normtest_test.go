package normtest_test

import (
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/veredicto/veredicto/engine"
	"github.com/veredicto/veredicto/normalizers"
	"github.com/veredicto/veredicto/normalizers/internal/normtest"
)

// recorder is a testing.TB that keeps the errors it is given.
type recorder struct {
	testing.TB
	errs []string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

func facts(t *testing.T) *engine.Facts {
	cat, err := engine.NewCatalog([]engine.FactSpec{
		{Name: "t.b", Kind: engine.Bool, Provider: "t", Description: "b"},
		{Name: "t.n", Kind: engine.Number, Provider: "t", Description: "n"},
		{Name: "t.s", Kind: engine.String, Provider: "t", Description: "s"},
		{Name: "t.l", Kind: engine.List, Provider: "t", Description: "l"},
		{Name: "t.u", Kind: engine.Bool, Provider: "t", Description: "u"},
	})
	if err != nil {
		t.Fatal(err)
	}
	f := engine.NewFacts(cat)
	s := f.Sink("t")
	s.Bool(0, true)
	s.Number(1, 2)
	s.String(2, "x")
	s.List(3, []string{"a"})
	return f
}

// The assertions fail exactly when the facts are not as wanted, and say
// which fact is wrong.
func TestFactsAndSome(t *testing.T) {
	all := map[string]any{"t.b": true, "t.n": 2, "t.s": "x", "t.l": []string{"a"}}
	for _, tt := range []struct {
		name    string
		exact   bool
		want    map[string]any
		unknown []string
		errs    []string
	}{
		{"all as they are", true, all, []string{"t.u"}, nil},
		{"some of them", false, map[string]any{"t.n": 2.0}, []string{"t.u"}, nil},
		{"a known fact not wanted", true, map[string]any{"t.b": true, "t.n": 2, "t.s": "x"}, nil, []string{"t.l = [a], not expected to be known"}},
		{"a wrong value", false, map[string]any{"t.n": 3}, nil, []string{"t.n = 2 (number), want 3"}},
		{"a wrong type", false, map[string]any{"t.b": "true"}, nil, []string{"t.b = true (bool), want true"}},
		{"not in the catalog", false, map[string]any{"t.zz": 1}, []string{"t.yy"}, []string{"t.zz: not in the catalog", "t.yy: not in the catalog"}},
		{"known, wanted unknown", false, nil, []string{"t.u", "t.s"}, []string{"t.s = x, want unknown"}},
	} {
		r := &recorder{TB: t}
		if tt.exact {
			normtest.Facts(r, facts(t), tt.want, tt.unknown)
		} else {
			normtest.Some(r, facts(t), tt.want, tt.unknown)
		}
		if !slices.Equal(r.errs, tt.errs) {
			t.Errorf("%s: errors %q, want %q", tt.name, r.errs, tt.errs)
		}
	}
}

func TestEqual(t *testing.T) {
	for _, tt := range []struct {
		v    engine.Value
		w    any
		want bool
	}{
		{engine.BoolValue(true), true, true},
		{engine.BoolValue(true), false, false},
		{engine.NumberValue(1), true, false},
		{engine.NumberValue(2.5), 2.5, true},
		{engine.NumberValue(2.5), 2.0, false},
		{engine.NumberValue(2), 2, true},
		{engine.NumberValue(2.5), 2, false},
		{engine.StringValue("2"), 2, false},
		{engine.StringValue("a"), "a", true},
		{engine.StringValue("a"), "b", false},
		{engine.ListValue([]string{"a"}), "a", false},
		{engine.ListValue([]string{"a"}), []string{"a"}, true},
		{engine.ListValue([]string{"a"}), []string{"a", "b"}, false},
		{engine.StringValue("a"), []string{"a"}, false},
		{engine.BoolValue(true), nil, false},
		{engine.NumberValue(1), int64(1), false}, // a type the assertions do not take
		{engine.Value{}, false, false},
	} {
		if got := normtest.Equal(tt.v, tt.w); got != tt.want {
			t.Errorf("Equal(%v, %#v) = %v", tt.v, tt.w, got)
		}
	}
}

// warner is a provider that warns at a byte of its payload chosen by the
// test: its first and last, or just outside it.
type warner struct{ at string }

func (warner) Name() string { return "t" }
func (warner) Facts() []engine.FactSpec {
	return []engine.FactSpec{{Name: "t.b", Kind: engine.Bool, Provider: "t", Description: "b"}}
}
func (warner) Detect(normalizers.Shape) bool { return false }
func (w warner) Normalize(in []normalizers.Payload, out engine.Sink) error {
	p := in[0]
	switch w.at {
	case "edges":
		out.Warn(p.Offset, "w")
		out.Warn(p.Offset+len(p.Raw)-1, "w")
	case "before":
		out.Warn(p.Offset-1, "w")
	case "after":
		out.Warn(p.Offset+len(p.Raw), "w")
	}
	return nil
}

var asOf = time.Date(2025, 6, 17, 0, 0, 0, 0, time.UTC)

// A warning on the payload's first or last byte is inside it.
func FuzzWarningsInside(f *testing.F) {
	f.Add([]byte(`{"a": 1}`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`not JSON`)) // skipped
	normtest.Fuzz(f, warner{"edges"}, asOf)
}

// FuzzWarningOutside runs only as the child of TestFuzzFailsOnWarningOutside.
func FuzzWarningOutside(f *testing.F) {
	at := os.Getenv("NORMTEST_WARN_AT")
	if at == "" {
		f.Skip("run by TestFuzzFailsOnWarningOutside")
	}
	f.Add([]byte(`{"a": 1}`))
	normtest.Fuzz(f, warner{at}, asOf)
}

// A warning one byte before or after the payload fails the fuzz target.
func TestFuzzFailsOnWarningOutside(t *testing.T) {
	for _, at := range []string{"before", "after"} {
		cmd := exec.Command(os.Args[0], "-test.run=^FuzzWarningOutside$")
		cmd.Env = append(os.Environ(), "NORMTEST_WARN_AT="+at)
		out, err := cmd.CombinedOutput()
		if err == nil || !strings.Contains(string(out), `warning "w" at `) || !strings.Contains(string(out), "outside the payload") {
			t.Errorf("a warning %s the payload: %v\n%s", at, err, out)
		}
	}
}
