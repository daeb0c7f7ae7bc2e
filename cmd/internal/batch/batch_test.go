package batch

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/veredicto/veredicto/engine"
	"github.com/veredicto/veredicto/fixtures"
	"github.com/veredicto/veredicto/normalizers"
	"github.com/veredicto/veredicto/rules"
)

func loadPolicy(t testing.TB, path string) *engine.Policy {
	t.Helper()
	p, err := rules.Load(path, normalizers.Catalog())
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return p
}

// fixtureLine returns one embedded fixture as a compact JSON line.
func fixtureLine(t testing.TB, name string) string {
	t.Helper()
	raw, err := fixtures.Read(name)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, raw); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// testReason and testDecision decode the decisions of the output
// (engine.Value is not decoded from JSON).
type testReason struct {
	Rule    string         `json:"rule"`
	Kind    string         `json:"kind"`
	Outcome engine.Outcome `json:"outcome"`
	Message string         `json:"message"`
	Facts   []struct {
		Name  string `json:"name"`
		Value any    `json:"value"`
	} `json:"facts"`
	Missing []string `json:"missing"`
}

type testDecision struct {
	CaseID      string           `json:"case_id"`
	Outcome     engine.Outcome   `json:"outcome"`
	Policy      engine.PolicyRef `json:"policy"`
	EvaluatedAt time.Time        `json:"evaluated_at"`
	Reasons     []testReason     `json:"reasons"`
	Shadow      []testReason     `json:"shadow"`
	Skipped     []struct {
		Rule string `json:"rule"`
	} `json:"skipped"`
	Providers []string `json:"providers"`
}

// outRecord is an output line, decoded.
type outRecord struct {
	Input      string        `json:"input"`
	Line       int           `json:"line"`
	CaseID     string        `json:"case_id"`
	AsOfSource string        `json:"as_of_source"`
	Decision   *testDecision `json:"decision"`
	Error      *struct {
		Kind     string `json:"kind"`
		Provider string `json:"provider"`
		Offset   *int   `json:"offset"`
		Message  string `json:"message"`
	} `json:"error"`
}

// decode reads output lines; every line must be one JSON object with
// either a decision or an error.
func decode(t *testing.T, out []byte) []outRecord {
	t.Helper()
	var recs []outRecord
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 64<<20)
	for sc.Scan() {
		var r outRecord
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("output line %d is not JSON: %v\n%.300s", len(recs)+1, err, sc.Bytes())
		}
		if (r.Decision == nil) == (r.Error == nil) {
			t.Fatalf("output line %d has neither or both of decision and error: %.300s", len(recs)+1, sc.Bytes())
		}
		recs = append(recs, r)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return recs
}

func writeFile(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func rescoreFiles(t *testing.T, p *engine.Policy, names []string, stdin io.Reader, maxLine int, opts Options) (Summary, []outRecord, *Files) {
	t.Helper()
	src := OpenFiles(names, stdin, maxLine)
	defer src.Close()
	var out bytes.Buffer
	s, err := Rescore(context.Background(), src, p, &out, opts)
	if err != nil {
		t.Fatalf("Rescore: %v", err)
	}
	return s, decode(t, out.Bytes()), src
}

// TestHostileInput: every input line, whatever it holds, yields exactly one
// output line, in order, with the right error kind for the bad ones.
func TestHostileInput(t *testing.T) {
	p := loadPolicy(t, "testdata/onboarding.yaml")
	huge := `{"case_id":"huge","results":[{"provider":"veriff","payload":{"status":"success","verification":null,"pad":"` + strings.Repeat("x", 20000) + `"}}]}`
	lines := []struct {
		text string
		kind string // expected error kind; "" for a decision
	}{
		{fixtureLine(t, "cases/mx_full_approved.json"), ""},
		{"", KindEmpty},
		{"   \t ", KindEmpty},
		{`{"status":"success","verification":{"id":"x",}}`, KindMalformed}, // trailing comma
		{fixtureLine(t, "veriff/declined_pep.json")[:400], KindMalformed},  // truncated
		{huge, KindTooLong},
		{"\x00\x01\x02\xff\xfe binary", KindMalformed},
		{"[1,2,3]", KindInvalid},
		{`"a string"`, KindInvalid},
		{"42", KindInvalid},
		{"null", KindInvalid},
		{`{"hello":"world"}`, KindInvalid},
		{`{"case_id":"bad-provider","results":[{"provider":"verif","payload":{}}]}`, KindInvalid},
		{strings.Repeat("[", 10000), KindMalformed},
		{fixtureLine(t, "jaak/ofac_found.json") + "\r", ""}, // CRLF
		{fixtureLine(t, "trully/no_threat.json"), ""},
		{fixtureLine(t, "preventor/completed.json"), ""},
		{fixtureLine(t, "veriff_ine/inactive.json"), ""},
		{`{"text":"` + "\xc3\x28 invalid utf-8 \u2028" + `"}`, KindInvalid},
		{fixtureLine(t, "veriff/pending_decision.json"), ""}, // last line, no newline
	}
	var in bytes.Buffer
	for i, l := range lines {
		in.WriteString(l.text)
		if i < len(lines)-1 {
			in.WriteByte('\n')
		}
	}
	path := writeFile(t, t.TempDir(), "hostile.jsonl", in.Bytes())
	for _, workers := range []int{1, 2, 7} {
		s, recs, _ := rescoreFiles(t, p, []string{path}, nil, 16<<10, Options{Workers: workers})
		if len(recs) != len(lines) {
			t.Fatalf("workers=%d: %d lines in, %d out", workers, len(lines), len(recs))
		}
		for i, r := range recs {
			if r.Line != i+1 {
				t.Errorf("workers=%d: output %d has line %d", workers, i+1, r.Line)
			}
			got := ""
			if r.Error != nil {
				got = r.Error.Kind
				if r.Error.Message == "" || strings.Contains(r.Error.Message, "\n") {
					t.Errorf("line %d: error message %q is not one line", i+1, r.Error.Message)
				}
			}
			if got != lines[i].kind {
				t.Errorf("workers=%d line %d: error kind %q, want %q (%+v)", workers, i+1, got, lines[i].kind, r.Error)
			}
		}
		if s.Cases != int64(len(lines)) || s.Decided+s.ErrorCount() != s.Cases {
			t.Errorf("summary: %d cases, %d decided, %d errors", s.Cases, s.Decided, s.ErrorCount())
		}
	}
	// The malformed line names its byte offset; the bad provider its place.
	_, recs, _ := rescoreFiles(t, p, []string{path}, nil, 16<<10, Options{})
	if e := recs[3].Error; e.Offset == nil || *e.Offset != 45 || e.Provider != "veriff" {
		t.Errorf("trailing comma: %+v, want veriff at byte 45", e)
	}
	if e := recs[12].Error; !strings.Contains(e.Message, `did you mean veriff`) || recs[12].CaseID != "bad-provider" {
		t.Errorf("bad provider: %+v (case %q)", e, recs[12].CaseID)
	}
	if e := recs[5].Error; !strings.Contains(e.Message, "longer than the limit of 16384 bytes") {
		t.Errorf("huge line: %+v", e)
	}
}

// TestLongLines: lines longer than the read buffer are read whole up to the
// limit; one past the limit is an error record and reading goes on.
func TestLongLines(t *testing.T) {
	p := loadPolicy(t, "testdata/onboarding.yaml")
	pad := func(n int) string {
		return `{"case_id":"long","results":[{"provider":"veriff_ine","payload":{"active":true,"documentState":"` + strings.Repeat("y", n) + `"}}]}`
	}
	short := fixtureLine(t, "jaak/ofac_found.json")
	const limit = 3 << 20
	ok, over := pad(limit-200), pad(limit+5)
	in := short + "\n" + ok + "\n" + over + "\n" + short + "\n" + over
	path := writeFile(t, t.TempDir(), "long.jsonl", []byte(in))
	_, recs, _ := rescoreFiles(t, p, []string{path}, nil, limit, Options{Workers: 2})
	want := []string{"", "", KindTooLong, "", KindTooLong}
	if len(recs) != len(want) {
		t.Fatalf("%d records, want %d", len(recs), len(want))
	}
	for i, r := range recs {
		got := ""
		if r.Error != nil {
			got = r.Error.Kind
		}
		if got != want[i] || r.Line != i+1 {
			t.Errorf("line %d (%d): %q, want %q", i+1, r.Line, got, want[i])
		}
	}
	if recs[1].CaseID != "long" {
		t.Errorf("the 3 MiB line was not read whole: %+v", recs[1])
	}
}

// TestOrdering: with many workers and batches finishing out of order, the
// output is still in input order.
func TestOrdering(t *testing.T) {
	p := loadPolicy(t, "testdata/onboarding.yaml")
	small := fixtureLine(t, "veriff_ine/active.json")
	big := fixtureLine(t, "cases/mx_ofac_hit.json")
	var recs []Record
	for i := range 5000 {
		doc := small
		if i%7 == 0 {
			// a slow case: a full envelope, renamed
			doc = strings.Replace(big, `"case_id":"`, `"case_id":"c`+fmt.Sprint(i)+`-`, 1)
		}
		if i%13 == 0 {
			doc = "{bad"
		}
		recs = append(recs, Record{Input: "mem", Line: i + 1, Doc: []byte(doc)})
	}
	var out bytes.Buffer
	s, err := Rescore(context.Background(), &Slice{Records: recs}, p, &out, Options{Workers: 8})
	if err != nil {
		t.Fatal(err)
	}
	got := decode(t, out.Bytes())
	if len(got) != len(recs) || s.Cases != int64(len(recs)) {
		t.Fatalf("%d out, %d in (summary %d)", len(got), len(recs), s.Cases)
	}
	for i, r := range got {
		if r.Line != i+1 {
			t.Fatalf("output %d is line %d", i+1, r.Line)
		}
		if i%7 == 0 && i%13 != 0 && !strings.HasPrefix(r.CaseID, fmt.Sprintf("c%d-", i)) {
			t.Fatalf("line %d has case %q", i+1, r.CaseID)
		}
	}
}

func gzipBytes(t *testing.T, data []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write(data)
	zw.Close()
	return b.Bytes()
}

// TestInputs: several inputs (plain, gzip with and without .gz, stdin) are
// read one after the other, records name their input, line numbers restart
// per input; a missing or truncated input is one read error record.
func TestInputs(t *testing.T) {
	p := loadPolicy(t, "testdata/onboarding.yaml")
	dir := t.TempDir()
	a := fixtureLine(t, "jaak/ofac_found.json")
	b := fixtureLine(t, "veriff/declined_pep.json")
	plain := writeFile(t, dir, "a.jsonl", []byte(a+"\n"+b+"\n"))
	gz := writeFile(t, dir, "b.jsonl.gz", gzipBytes(t, []byte(b+"\n"+a+"\n"+a+"\n")))
	noExt := writeFile(t, dir, "c.data", gzipBytes(t, []byte(a+"\n")))
	full := gzipBytes(t, []byte(strings.Repeat(b+"\n", 2000)))
	truncated := writeFile(t, dir, "d.jsonl.gz", full[:len(full)/2])
	missing := filepath.Join(dir, "missing.jsonl")
	stdin := strings.NewReader(b + "\n" + b + "\n")

	names := []string{plain, gz, noExt, "-", missing, truncated, plain}
	s, recs, src := rescoreFiles(t, p, names, stdin, 0, Options{Workers: 3, NameInputs: true})
	type key struct {
		input string
		line  int
	}
	var got []key
	for _, r := range recs {
		got = append(got, key{r.Input, r.Line})
	}
	want := []key{{plain, 1}, {plain, 2}, {gz, 1}, {gz, 2}, {gz, 3}, {noExt, 1}, {"stdin", 1}, {"stdin", 2}, {missing, 1}}
	if !slices.Equal(got[:len(want)], want) {
		t.Fatalf("records %v,\nwant first %v", got, want)
	}
	if e := recs[8].Error; e == nil || e.Kind != KindRead || !strings.Contains(e.Message, "no such file") {
		t.Errorf("missing input: %+v", recs[8].Error)
	}
	// The truncated gzip gives decisions up to where it breaks, then one read
	// error record; the last input is read in full after it.
	var tr []outRecord
	for _, r := range recs[len(want):] {
		if r.Input == truncated {
			tr = append(tr, r)
		}
	}
	last := tr[len(tr)-1]
	if last.Error == nil || last.Error.Kind != KindRead || last.Line != len(tr) || len(tr) < 10 || len(tr) >= 2000 {
		t.Errorf("truncated gzip: %d records, last %+v", len(tr), last.Error)
	}
	if tail := recs[len(recs)-2:]; tail[0].Input != plain || tail[0].Line != 1 || tail[1].Line != 2 || tail[1].Decision == nil {
		t.Errorf("the input after the broken ones: %+v", tail)
	}
	if src.Failed() != 2 || s.UnreadableInputs != 2 || s.Errors[KindRead] != 2 {
		t.Errorf("failed inputs %d, summary %d, read errors %d; want 2", src.Failed(), s.UnreadableInputs, s.Errors[KindRead])
	}
	// Without NameInputs records carry no input.
	_, recs, _ = rescoreFiles(t, p, []string{plain}, nil, 0, Options{})
	if recs[0].Input != "" {
		t.Errorf("single input named %q", recs[0].Input)
	}
}

// TestAsOf: original evaluates as of the provider's decision time, else the
// envelope's as_of, else the start of the run; now and a fixed time apply
// to every case, and time-relative facts follow.
func TestAsOf(t *testing.T) {
	p := loadPolicy(t, "testdata/onboarding.yaml")
	// validUntil 2024-06-30, decisionTime 2025-04-01T12:30:00.250+02:00
	veriff := fixtureLine(t, "veriff/adv_array_multi.json")
	jaak := fixtureLine(t, "jaak/ofac_not_found.json")
	envelope := `{"case_id":"e1","as_of":"2023-03-04T05:06:07Z","results":[{"provider":"jaak","kind":"ofac","payload":` + jaak + `}]}`
	in := []byte(veriff + "\n" + envelope + "\n" + jaak + "\n" + jaak + "\n")
	path := writeFile(t, t.TempDir(), "asof.jsonl", in)
	expired := func(d *testDecision) bool {
		for _, r := range d.Reasons {
			if r.Rule == "document-expired" {
				return true
			}
		}
		return false
	}

	before := time.Now()
	s, recs, _ := rescoreFiles(t, p, []string{path}, nil, 0, Options{})
	after := time.Now()
	decisionTime := time.Date(2025, 4, 1, 10, 30, 0, 250e6, time.UTC)
	if r := recs[0]; r.AsOfSource != "event" || !r.Decision.EvaluatedAt.Equal(decisionTime) || !expired(r.Decision) {
		t.Errorf("original, veriff: %s at %v, expired %v", r.AsOfSource, r.Decision.EvaluatedAt, expired(r.Decision))
	}
	if r := recs[1]; r.AsOfSource != "envelope" || !r.Decision.EvaluatedAt.Equal(time.Date(2023, 3, 4, 5, 6, 7, 0, time.UTC)) {
		t.Errorf("original, envelope: %s at %v", r.AsOfSource, r.Decision.EvaluatedAt)
	}
	now := recs[2].Decision.EvaluatedAt
	if recs[2].AsOfSource != "now" || now.Before(before) || now.After(after) || !recs[3].Decision.EvaluatedAt.Equal(now) {
		t.Errorf("original, bare: %s at %v and %v; want one instant of the run", recs[2].AsOfSource, now, recs[3].Decision.EvaluatedAt)
	}
	if s.AsOfSources["event"] != 1 || s.AsOfSources["envelope"] != 1 || s.AsOfSources["now"] != 2 || s.AsOf != "original" {
		t.Errorf("summary as of %v (%s)", s.AsOfSources, s.AsOf)
	}

	fixed := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	_, recs, _ = rescoreFiles(t, p, []string{path}, nil, 0, Options{AsOf: AsOf{Mode: AsOfFixed, At: fixed}})
	for _, r := range recs {
		if r.AsOfSource != "given" || !r.Decision.EvaluatedAt.Equal(fixed) {
			t.Errorf("fixed: line %d %s at %v", r.Line, r.AsOfSource, r.Decision.EvaluatedAt)
		}
	}
	if expired(recs[0].Decision) {
		t.Error("as of 2024-01-01 the document (valid until 2024-06-30) is not expired")
	}

	_, recs, _ = rescoreFiles(t, p, []string{path}, nil, 0, Options{AsOf: AsOf{Mode: AsOfNow}})
	for _, r := range recs {
		if r.AsOfSource != "now" || !r.Decision.EvaluatedAt.Equal(recs[0].Decision.EvaluatedAt) || r.Decision.EvaluatedAt.Before(after) {
			t.Errorf("now: line %d %s at %v", r.Line, r.AsOfSource, r.Decision.EvaluatedAt)
		}
	}

	for _, tc := range []struct {
		in   string
		want AsOf
	}{
		{"", AsOf{}}, {"original", AsOf{}}, {"now", AsOf{Mode: AsOfNow}},
		{"2024-01-01", AsOf{Mode: AsOfFixed, At: fixed}},
		{"2024-01-01T02:00:00+02:00", AsOf{Mode: AsOfFixed, At: fixed}},
	} {
		got, err := ParseAsOf(tc.in)
		if err != nil || got.Mode != tc.want.Mode || !got.At.Equal(tc.want.At) {
			t.Errorf("ParseAsOf(%q) = %v, %v", tc.in, got, err)
		}
	}
	if _, err := ParseAsOf("yesterday"); err == nil {
		t.Error("ParseAsOf(yesterday) succeeded")
	}
}

// TestSummaryCounts: the summary agrees with the output records.
func TestSummaryCounts(t *testing.T) {
	p := loadPolicy(t, "testdata/onboarding.yaml")
	var in bytes.Buffer
	for _, name := range fixtures.Glob("*/*.json") {
		in.WriteString(fixtureLine(t, name) + "\n")
	}
	in.WriteString("\n{\n[]\n")
	s, recs, _ := rescoreFiles(t, p, []string{"-"}, &in, 0, Options{Workers: 2})
	outcomes := map[string]int64{}
	errs := map[string]int64{}
	fired := map[string]int64{}
	undecided := map[string]int64{}
	for _, r := range recs {
		if r.Error != nil {
			errs[r.Error.Kind]++
			continue
		}
		outcomes[r.Decision.Outcome.String()]++
		for _, s := range r.Decision.Skipped {
			undecided[s.Rule]++
		}
		for _, rs := range [][]testReason{r.Decision.Reasons, r.Decision.Shadow} {
			for _, reason := range rs {
				if reason.Kind == engine.KindIndeterminate {
					undecided[reason.Rule]++
				} else {
					fired[reason.Rule]++
				}
			}
		}
	}
	for _, o := range []string{"approve", "review", "reject"} {
		if s.Outcomes[o] != outcomes[o] || outcomes[o] == 0 {
			t.Errorf("%s: summary %d, output %d", o, s.Outcomes[o], outcomes[o])
		}
	}
	if !mapsEqual(s.Errors, errs) || errs[KindEmpty] != 1 || errs[KindMalformed] != 1 || errs[KindInvalid] != 1 {
		t.Errorf("errors: summary %v, output %v", s.Errors, errs)
	}
	var shadowFired bool
	for _, r := range s.Rules {
		if r.Fired != fired[r.ID] || r.Indeterminate != undecided[r.ID] {
			t.Errorf("rule %s: summary %d/%d, output %d/%d", r.ID, r.Fired, r.Indeterminate, fired[r.ID], undecided[r.ID])
		}
		shadowFired = shadowFired || (r.Shadow && r.Fired > 0)
	}
	if !shadowFired || len(s.Rules) != 16 {
		t.Errorf("shadow rules not counted, or rules missing: %+v", s.Rules)
	}
	var text bytes.Buffer
	s.WriteText(&text)
	for _, want := range []string{fmt.Sprintf("rescored %d cases", len(fixtures.Glob("*/*.json"))+3), "malformed 1", "high-risk-score", "rule (shadow)"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("summary text lacks %q:\n%s", want, text.String())
		}
	}
}

func mapsEqual(a, b map[string]int64) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// blockingWriter blocks every write until released.
type blockingWriter struct {
	release chan struct{}
	n       atomic.Int64
}

func (w *blockingWriter) Write(p []byte) (int, error) {
	<-w.release
	w.n.Add(int64(len(p)))
	return len(p), nil
}

// countingSource yields the same document forever, counting.
type countingSource struct {
	doc  []byte
	read atomic.Int64
	max  atomic.Int64
}

func newCounting(doc []byte, max int64) *countingSource {
	s := &countingSource{doc: doc}
	s.max.Store(max)
	return s
}

func (s *countingSource) Next() (Record, error) {
	n := s.read.Add(1)
	if n > s.max.Load() {
		return Record{}, io.EOF
	}
	return Record{Input: "gen", Line: int(n), Doc: s.doc}, nil
}

// TestBackpressure: when the output stalls, the pipeline stops reading: at
// most its fixed number of batches are in flight, so memory stays bounded
// however large the input.
func TestBackpressure(t *testing.T) {
	p := loadPolicy(t, "testdata/onboarding.yaml")
	src := newCounting([]byte(fixtureLine(t, "veriff_ine/active.json")), 1_000_000)
	w := &blockingWriter{release: make(chan struct{})}
	done := make(chan error)
	go func() {
		_, err := Rescore(context.Background(), src, p, w, Options{Workers: 2})
		done <- err
	}()
	time.Sleep(500 * time.Millisecond)
	read := src.read.Load()
	if limit := int64((3*2 + 2 + 1) * batchLines); read > limit {
		t.Errorf("read %d records while the output was blocked; want at most %d", read, limit)
	}
	src.max.Store(read + 1000) // end the input soon
	close(w.release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

type failingWriter struct{ after int }

func (w *failingWriter) Write(p []byte) (int, error) {
	if w.after <= 0 {
		return 0, errors.New("disk full")
	}
	w.after--
	return len(p), nil
}

// TestStops: a failing output or a cancelled context ends the run with
// the error, without hanging.
func TestStops(t *testing.T) {
	p := loadPolicy(t, "testdata/onboarding.yaml")
	doc := []byte(fixtureLine(t, "jaak/ofac_found.json"))
	_, err := Rescore(context.Background(), newCounting(doc, 1_000_000), p, &failingWriter{after: 3}, Options{})
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("failing writer: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() { time.Sleep(100 * time.Millisecond); cancel() }()
	s, err := Rescore(ctx, newCounting(doc, 1<<40), p, io.Discard, Options{})
	if !errors.Is(err, context.Canceled) || s.Cases == 0 {
		t.Errorf("cancelled: %v after %d cases", err, s.Cases)
	}
	src := newCounting(doc, 1_000_000)
	_, err = Rescore(context.Background(), src, p, &failingWriter{}, Options{})
	if err == nil || src.read.Load() >= src.max.Load() {
		t.Errorf("after a write failure the run should stop reading: %v, read %d", err, src.read.Load())
	}
}

// TestSeqSource: an iterator (as a store provides) feeds the pipeline; its
// error ends the run.
func TestSeqSource(t *testing.T) {
	p := loadPolicy(t, "testdata/onboarding.yaml")
	doc := []byte(fixtureLine(t, "cases/mx_full_approved.json"))
	seq := func(fail error) func(yield func([]byte, error) bool) {
		return func(yield func([]byte, error) bool) {
			for range 300 {
				if !yield(doc, nil) {
					return
				}
			}
			if fail != nil {
				yield(nil, fail)
			}
		}
	}
	src := FromSeq("store", seq(nil))
	defer src.Close()
	var out bytes.Buffer
	s, err := Rescore(context.Background(), src, p, &out, Options{NameInputs: true})
	if err != nil || s.Cases != 300 || s.Outcomes["approve"] != 300 {
		t.Fatalf("%v, %+v", err, s.Outcomes)
	}
	recs := decode(t, out.Bytes())
	if recs[299].Line != 300 || recs[0].Input != "store" {
		t.Errorf("records: %+v", recs[299])
	}
	src = FromSeq("store", seq(errors.New("connection lost")))
	defer src.Close()
	s, err = Rescore(context.Background(), src, p, io.Discard, Options{})
	if err == nil || !strings.Contains(err.Error(), "connection lost") || s.Cases != 300 {
		t.Errorf("failing iterator: %v after %d", err, s.Cases)
	}
}

// TestOutput: a file output appears only on Commit; Abort leaves nothing;
// .gz is compressed.
func TestOutput(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.jsonl.gz")
	o, err := CreateOutput(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	o.WriteString("hello\n")
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("output visible before Commit: %v", err)
	}
	if err := o.Commit(); err != nil {
		t.Fatal(err)
	}
	f, _ := os.Open(path)
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(zr)
	f.Close()
	if string(got) != "hello\n" {
		t.Errorf("got %q", got)
	}
	o, _ = CreateOutput(filepath.Join(dir, "aborted.jsonl"), nil)
	o.WriteString("partial")
	o.Abort()
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("files left: %v", entries)
	}
	var stdout bytes.Buffer
	o, _ = CreateOutput("-", &stdout)
	o.WriteString("x")
	o.Commit()
	if stdout.String() != "x" {
		t.Errorf("stdout got %q", stdout.String())
	}
}

// TestConcurrentRuns: runs share compiled policies safely (go test -race).
func TestConcurrentRuns(t *testing.T) {
	p := loadPolicy(t, "testdata/onboarding.yaml")
	doc := []byte(fixtureLine(t, "cases/mx_ofac_hit.json"))
	var wg sync.WaitGroup
	for range 3 {
		wg.Go(func() {
			s, err := Rescore(context.Background(), newCounting(doc, 500), p, io.Discard, Options{Workers: 3})
			if err != nil || s.Outcomes["reject"] != 500 {
				t.Errorf("%v %+v", err, s.Outcomes)
			}
		})
	}
	wg.Wait()
}

// TestPanicIsARecord: a panic while deciding a case (here: a worker
// without a policy, so Evaluate dereferences nil) becomes an internal error
// record for that line; the other lines are decided.
func TestPanicIsARecord(t *testing.T) {
	p := loadPolicy(t, "testdata/onboarding.yaml")
	table := newRuleTable(p)
	good := &rescorer{policy: p, table: table, d: newDecider(AsOf{}, time.Now()), c: newCounts(table)}
	bad := &rescorer{table: table, d: newDecider(AsOf{}, time.Now()), c: newCounts(table)}
	doc := fixtureLine(t, "jaak/ofac_found.json")
	b := &batch{in: []byte(doc + doc)}
	b.recs = []item{{line: 1, start: 0, end: len(doc)}, {line: 2, start: len(doc), end: 2 * len(doc)}}
	good.one(b, &b.recs[0])
	bad.one(b, &b.recs[1])
	recs := decode(t, b.out)
	if len(recs) != 2 || recs[0].Decision == nil || recs[1].Error == nil || recs[1].Error.Kind != KindInternal || recs[1].Line != 2 {
		t.Fatalf("records: %s", b.out)
	}
	if !strings.Contains(recs[1].Error.Message, "internal error") || bad.c.errors[kindIndex(KindInternal)] != 1 {
		t.Errorf("internal error record: %+v", recs[1].Error)
	}
}
