package server

import (
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func testPolicies(t *testing.T, src string, allowShrink bool) (*policies, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "policy.yaml")
	write(t, path, src)
	p, err := newPolicies(path, allowShrink, slog.New(slog.NewTextHandler(io.Discard, nil)), newMetrics())
	if err != nil {
		t.Fatal(err)
	}
	return p, path
}

func write(t *testing.T, path, src string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
}

func small(t *testing.T) string {
	b, err := os.ReadFile("testdata/small.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestReloadWaitsForAStableFile: a file written in place in two chunks is
// polled between them. The first chunk is a valid policy, but it is never
// loaded: a polled change is loaded only when the next poll reads the same
// bytes.
func TestReloadWaitsForAStableFile(t *testing.T) {
	full := small(t)
	p, path := testPolicies(t, full, false)
	v2 := strings.Replace(full, `version: "1"`, `version: "2"`, 1)
	i := strings.Index(v2, "\n  - id: ")
	if i < 0 {
		t.Fatal("the test policy has no second rule to cut at")
	}
	write(t, path, v2[:i+1]) // a valid prefix
	if err := p.reload(false); err != nil {
		t.Fatal(err)
	}
	if v := p.current().Version; v != "1" {
		t.Fatalf("the half-written file was loaded (version %s)", v)
	}
	write(t, path, v2) // the writer finishes
	if err := p.reload(false); err != nil || p.current().Version != "1" {
		t.Fatalf("loaded at the first sight of the new content: %v, version %s", err, p.current().Version)
	}
	if err := p.reload(false); err != nil || p.current().Version != "2" {
		t.Fatalf("a stable file was not loaded: %v, version %s", err, p.current().Version)
	}
	// An explicit reload (SIGHUP) loads at once.
	write(t, path, strings.Replace(full, `version: "1"`, `version: "3"`, 1))
	if err := p.reload(true); err != nil || p.current().Version != "3" {
		t.Fatalf("a forced reload: %v, version %s", err, p.current().Version)
	}
}

// TestReloadRefusesAShrunkPolicy: a policy that keeps fewer than half of
// the rules is refused unless allowed; exactly half is accepted.
func TestReloadRefusesAShrunkPolicy(t *testing.T) {
	rule := func(i int) string {
		return "  - id: r" + strings.Repeat("x", i) + "\n    description: d\n    when: veriff.status == \"declined\"\n    outcome: reject\n    reason: r\n"
	}
	policy := func(version string, n int) string {
		s := "policy: p\nversion: \"" + version + "\"\ndefault: review\nrules:\n"
		for i := 0; i < n; i++ {
			s += rule(i)
		}
		return s
	}
	for _, tt := range []struct {
		rules       int
		allowShrink bool
		loaded      bool
	}{
		{5, false, true}, // 5 of 10: half is kept
		{4, false, false},
		{4, true, true},
		{1, false, false},
	} {
		p, path := testPolicies(t, policy("1", 10), tt.allowShrink)
		write(t, path, policy("2", tt.rules))
		err := p.reload(true)
		if got := p.current().Version == "2"; got != tt.loaded {
			t.Errorf("%d of 10 rules (allow %v): loaded %v, want %v (%v)", tt.rules, tt.allowShrink, got, tt.loaded, err)
		}
		if !tt.loaded && (err == nil || !strings.Contains(err.Error(), "--allow-shrink")) {
			t.Errorf("%d of 10 rules: error %v", tt.rules, err)
		}
	}
}
