package batch

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/veredicto/veredicto/engine"
)

// spyFile wraps the temporary file of an Output: it records the calls
// Commit makes, what the file held and whether the final name existed at
// the Sync, and fails the call named fail.
type spyFile struct {
	tempFile
	final         string
	fail          string
	calls         []string
	atSync        []byte
	visibleSynced bool
}

func (f *spyFile) call(name string) error {
	f.calls = append(f.calls, name)
	if name == f.fail {
		return errors.New(name + " failed")
	}
	return nil
}

func (f *spyFile) Chmod(m os.FileMode) error {
	if err := f.call("chmod"); err != nil {
		return err
	}
	return f.tempFile.Chmod(m)
}

func (f *spyFile) Sync() error {
	f.atSync, _ = os.ReadFile(f.Name())
	_, err := os.Stat(f.final)
	f.visibleSynced = err == nil
	if err := f.call("sync"); err != nil {
		return err
	}
	return f.tempFile.Sync()
}

func (f *spyFile) Close() error {
	err := f.call("close")
	if cerr := f.tempFile.Close(); err == nil {
		err = cerr
	}
	return err
}

// TestCommitSyncsBeforeRename: Commit writes everything, syncs the
// temporary file while the final name does not exist yet, closes it and
// only then renames it into place. When any of those steps fails, Commit
// returns the error and leaves neither the output nor the temporary file.
func TestCommitSyncsBeforeRename(t *testing.T) {
	for _, name := range []string{"out.jsonl", "out.jsonl.gz"} {
		dir := t.TempDir()
		path := filepath.Join(dir, name)
		o, err := CreateOutput(path, nil)
		if err != nil {
			t.Fatal(err)
		}
		spy := &spyFile{tempFile: o.tmp, final: path}
		o.tmp = spy
		o.WriteString(strings.Repeat("a line\n", 1000))
		if err := o.Commit(); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(spy.calls, []string{"chmod", "sync", "close"}) || spy.visibleSynced {
			t.Errorf("%s: calls %v, final name visible at sync %v; want chmod, sync, close before the rename", name, spy.calls, spy.visibleSynced)
		}
		got, _ := os.ReadFile(path)
		if !bytes.Equal(got, spy.atSync) || len(got) < 20 {
			t.Errorf("%s: %d bytes synced, %d in the output: the sync did not cover the whole output", name, len(spy.atSync), len(got))
		}
		if entries, _ := os.ReadDir(dir); len(entries) != 1 {
			t.Errorf("%s: files left %v", name, entries)
		}
	}
	for _, step := range []string{"chmod", "sync", "close"} {
		dir := t.TempDir()
		path := filepath.Join(dir, "out.jsonl")
		o, _ := CreateOutput(path, nil)
		o.tmp = &spyFile{tempFile: o.tmp, final: path, fail: step}
		o.WriteString("x\n")
		if err := o.Commit(); err == nil || !strings.Contains(err.Error(), step+" failed") {
			t.Errorf("%s failing: Commit returned %v", step, err)
		}
		if entries, _ := os.ReadDir(dir); len(entries) != 0 {
			t.Errorf("%s failing: files left %v", step, entries)
		}
	}
	// A rename that fails (the target is a directory) is an error too.
	dir := t.TempDir()
	path := filepath.Join(dir, "taken")
	if err := os.MkdirAll(filepath.Join(path, "x"), 0o755); err != nil {
		t.Fatal(err)
	}
	o, _ := CreateOutput(path, nil)
	o.WriteString("x\n")
	if err := o.Commit(); err == nil {
		t.Error("Commit over a directory succeeded")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("failed rename: files left %v", entries)
	}
}

// paddedLine is a JSON case document of exactly n bytes that no provider
// reads (an invalid record that still names its case).
func paddedLine(n int) string {
	head, tail := `{"case_id":"pad","x":"`, `"}`
	return head + strings.Repeat("y", n-len(head)-len(tail)) + tail
}

// TestLineLimitExactly: a line of exactly the limit is read whole (with
// \n or \r\n), one byte more is one too_long record naming its length, on
// the fast path (lines within the read buffer) and the slow one; every
// line yields exactly one record, in order.
func TestLineLimitExactly(t *testing.T) {
	p := loadPolicy(t, "testdata/onboarding.yaml")
	for _, limit := range []int{100, 1<<20 + 100} {
		lines := []string{paddedLine(limit), paddedLine(limit + 1), paddedLine(limit) + "\r", paddedLine(limit+1) + "\r", paddedLine(limit - 1), paddedLine(limit + 2)}
		in := strings.Join(lines, "\n") // the last without a line end
		if limit > 1<<20 {
			// An over-long last line that ends exactly at the end of a read
			// buffer's fill, without a line end.
			lines = append(lines, paddedLine(2<<20))
			in += "\n" + lines[len(lines)-1]
		}
		path := writeFile(t, t.TempDir(), "limit.jsonl", []byte(in))
		s, recs, _ := rescoreFiles(t, p, []string{path}, nil, limit, Options{Workers: 2})
		want := []string{KindInvalid, KindTooLong, KindInvalid, KindTooLong, KindInvalid, KindTooLong, KindTooLong}[:len(lines)]
		lengths := []int{0, limit + 1, 0, limit + 1, 0, limit + 2, 2 << 20}
		if len(recs) != len(want) || s.Cases != int64(len(want)) || s.Errors[KindTooLong] != int64(len(want)-3) || s.Errors[KindInvalid] != 3 {
			t.Fatalf("limit %d: %d records, summary %+v", limit, len(recs), s.Errors)
		}
		for i, r := range recs {
			if r.Line != i+1 || r.Error == nil || r.Error.Kind != want[i] {
				t.Errorf("limit %d, line %d: %+v, want %s", limit, i+1, r, want[i])
				continue
			}
			if want[i] == KindInvalid && r.CaseID != "pad" {
				t.Errorf("limit %d, line %d of %d bytes not read whole: %+v", limit, i+1, len(lines[i]), r)
			}
			if msg := fmt.Sprintf("line of %d bytes is longer than the limit of %d bytes", lengths[i], limit); want[i] == KindTooLong && r.Error.Message != msg {
				t.Errorf("limit %d, line %d: %q, want %q", limit, i+1, r.Error.Message, msg)
			}
		}
	}
}

// TestProgressTotals: the sizes behind the ETA: every regular file (stdin
// too, when it is one) counts; a pipe or a missing input makes the total
// unknown (-1).
func TestProgressTotals(t *testing.T) {
	dir := t.TempDir()
	a := writeFile(t, dir, "a", []byte("12345"))
	b := writeFile(t, dir, "b", []byte("123"))
	stdin, err := os.Open(b)
	if err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
	for _, tt := range []struct {
		names []string
		stdin io.Reader
		total int64
	}{
		{[]string{a, b}, nil, 8},
		{[]string{a, "-"}, stdin, 8},
		{[]string{"-"}, strings.NewReader("x"), -1},
		{[]string{a, filepath.Join(dir, "missing")}, nil, -1},
		{[]string{dir}, nil, -1},
	} {
		fs := OpenFiles(tt.names, tt.stdin, 0)
		if done, total := fs.Progress(); done != 0 || total != tt.total {
			t.Errorf("%v: progress %d of %d, want 0 of %d", tt.names, done, total, tt.total)
		}
		for {
			if _, err := fs.Next(); err != nil {
				break
			}
		}
		if done, _ := fs.Progress(); tt.total > 0 && done != tt.total {
			t.Errorf("%v: %d bytes read at the end, want %d", tt.names, done, tt.total)
		}
		fs.Close()
	}
}

// TestPipelineCounts: the pipeline reports every record it wrote, batch by
// batch, and writes nothing for batches without output, so a writer that
// fails on any call is not called.
func TestPipelineCounts(t *testing.T) {
	var recs []Record
	for i := range 3*batchLines + 5 {
		recs = append(recs, Record{Input: "mem", Line: i + 1, Doc: []byte("x")})
	}
	var written int
	pl := &pipeline{src: &Slice{Records: recs}, workers: []worker{silent{}, silent{}}, out: &failingWriter{}, aux: &failingWriter{},
		written: func(n int) { written += n }}
	if err := pl.run(context.Background()); err != nil || written != len(recs) {
		t.Errorf("run: %v, %d records reported written, want %d", err, written, len(recs))
	}
	// Without a counter the run goes on all the same.
	pl = &pipeline{src: &Slice{Records: recs}, workers: []worker{silent{}}}
	if err := pl.run(context.Background()); err != nil {
		t.Errorf("run without counter: %v", err)
	}
}

// silent is a worker whose records have no output.
type silent struct{}

func (silent) process(*batch) {}

// TestDiffChangesWriterFails: a changes output that fails ends the diff
// with its error.
func TestDiffChangesWriterFails(t *testing.T) {
	base := loadPolicy(t, "testdata/diff/base.yaml")
	cand := loadPolicy(t, "testdata/diff/candidate.yaml")
	_, err := Diff(context.Background(), OpenFiles([]string{"-"}, strings.NewReader(diffInput(t)), 0), base, cand, &failingWriter{}, Options{})
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("diff to a failing changes output: %v", err)
	}
}

// TestReasonKeysOrder: contributions sort by rule, then kind, then
// decision before shadow, so that two decisions compare by content.
func TestReasonKeysOrder(t *testing.T) {
	d := &engine.Decision{
		Reasons: []engine.Reason{{Rule: "b", Kind: "rule"}, {Rule: "a", Kind: "score"}, {Rule: "a", Kind: "indeterminate"}},
		Shadow:  []engine.Reason{{Rule: "a", Kind: "score"}, {Rule: "0", Kind: "rule"}},
	}
	got := reasonKeys(nil, d)
	want := []reasonKey{{"0", "rule", true}, {"a", "indeterminate", false}, {"a", "score", false}, {"a", "score", true}, {"b", "rule", false}}
	if !slices.Equal(got, want) {
		t.Errorf("keys %v, want %v", got, want)
	}
}

// TestSummaryFigures: thousands separators, percentages, the rate, and
// the summary text showing only the sections that have something.
func TestSummaryFigures(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 7: "7", 999: "999", 1000: "1,000", 12345: "12,345", 123456: "123,456", 1234567: "1,234,567", -1234: "-1,234", -999: "-999"} {
		if got := group(n); got != want {
			t.Errorf("group(%d) = %q, want %q", n, got, want)
		}
	}
	if pct(1, 3) != "33.3%" || pct(0, 0) != "0%" || pct(3, 3) != "100.0%" {
		t.Errorf("pct: %s %s %s", pct(1, 3), pct(0, 0), pct(3, 3))
	}
	if got := oneLine("\nsecond"); got != "" {
		t.Errorf("oneLine of a text starting with a line end = %q", got)
	}
	if got := oneLine("first\nsecond"); got != "first" {
		t.Errorf("oneLine = %q", got)
	}

	table := &ruleTable{index: map[string]int{}}
	c := newCounts(table)
	c.cases = 10
	c.outcomes[engine.Approve] = 10
	c.sources[sourceNow] = 10
	s := summarize(table, c, 2*time.Second)
	if s.CasesPerSecond != 5 || s.Elapsed != 2 || len(s.AsOfSources) != 1 || s.AsOfSources["now"] != 10 || len(s.Errors) != 0 {
		t.Errorf("summary %+v", s)
	}
	if s := summarize(table, c, 0); s.CasesPerSecond != 0 {
		t.Errorf("rate of a run of no time: %v", s.CasesPerSecond)
	}
	var text bytes.Buffer
	s.WriteText(&text)
	for _, want := range []string{"rescored 10 cases in 2s (5 cases/s", "approve 10 (100.0%)", "error 0 (0.0%)", "evaluated as of:  run start 10\n"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("summary text lacks %q:\n%s", want, text.String())
		}
	}
	for _, not := range []string{"errors:", "could not be read", "provider decision time"} {
		if strings.Contains(text.String(), not) {
			t.Errorf("summary text has %q:\n%s", not, text.String())
		}
	}
	c.sources[sourceNow] = 0
	c.errors[kindIndex(KindMalformed)] = 2
	s = summarize(table, c, 1500*time.Millisecond)
	s.UnreadableInputs, s.Unreadable = 1, []Failure{{Input: "in.gz", Line: 3, Error: "unexpected EOF"}}
	text.Reset()
	s.WriteText(&text)
	for _, want := range []string{"in 1.5s", "errors:  malformed 2\n", "1 input(s) could not be read to the end:\n  in.gz (read error record at its line 3): unexpected EOF\n"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("summary text lacks %q:\n%s", want, text.String())
		}
	}
	if strings.Contains(text.String(), "evaluated as of") || strings.Contains(text.String(), "too_long") {
		t.Errorf("summary text shows empty counts:\n%s", text.String())
	}
}

// TestDiffReportSections: the error and unreadable-input sections appear
// only when there is something to say, and the unknown-facts column only
// for a rule that sent cases to review.
func TestDiffReportSections(t *testing.T) {
	stat := func(review int64) *RuleStat {
		return &RuleStat{Kind: "rule", Outcome: "review", IndeterminateReview: review}
	}
	r := DiffReport{Cases: 4, AsOf: "original", Rules: []RuleDiff{
		{ID: "quiet", Base: stat(0), Candidate: stat(0)},
		{ID: "newly-unknown", Base: stat(0), Candidate: stat(2)},
		{ID: "gone", Base: stat(3)},
	}}
	var b bytes.Buffer
	r.WriteText(&b)
	text := b.String()
	for _, want := range []string{"  quiet          rule review     0          0       0\n", "0 → 2\n", "3 → -\n"} {
		if !strings.Contains(text, want) {
			t.Errorf("report lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "errors (both)") || strings.Contains(text, "could not be read") {
		t.Errorf("report shows empty sections:\n%s", text)
	}
	r.Errors = map[string]int64{KindMalformed: 2, KindEmpty: 0}
	r.UnreadableInputs, r.Unreadable = 1, []Failure{{Input: "a.gz", Line: 9, Error: "unexpected EOF"}}
	b.Reset()
	r.WriteText(&b)
	text = b.String()
	for _, want := range []string{"  errors (both): malformed 2\n", "1 input(s) could not be read to the end:\n  a.gz (read error record at its line 9): unexpected EOF\n"} {
		if !strings.Contains(text, want) {
			t.Errorf("report lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "empty 0") {
		t.Errorf("report lists a kind of no error:\n%s", text)
	}
}

// TestDiffChangesNameTheCase: a changed case read from an envelope names
// its case id in the changes output; a bare payload has none.
func TestDiffChangesNameTheCase(t *testing.T) {
	base := loadPolicy(t, "testdata/diff/base.yaml")
	cand := loadPolicy(t, "testdata/diff/candidate.yaml")
	sat := fixtureLine(t, "jaak/sat69b_found.json") // approve → review
	in := `{"case_id":"c-1","results":[{"provider":"jaak","kind":"sat69b","payload":` + sat + "}]}\n" + sat + "\n"
	var changes bytes.Buffer
	if _, err := Diff(context.Background(), OpenFiles([]string{"-"}, strings.NewReader(in), 0), base, cand, &changes, Options{}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(changes.String(), "\n"), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], `{"line":1,"case_id":"c-1","change":"outcome"`) || !strings.HasPrefix(lines[1], `{"line":2,"change":"outcome"`) {
		t.Errorf("changes:\n%s", changes.String())
	}
}
