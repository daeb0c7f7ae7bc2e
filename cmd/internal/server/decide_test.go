package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/veredicto/veredicto/cmd/internal/server"
	"github.com/veredicto/veredicto/cmd/internal/store"
	"github.com/veredicto/veredicto/cmd/internal/store/storetest"
)

// extraRules are added to the small policy: a rule on a Veriff decline, so
// that which Veriff decision a case was decided over shows in its reasons,
// and one on a Veriff API error code, so that which API error was read
// last does.
const extraRules = `  - id: veriff-declined
    description: Veriff declined.
    when: veriff.status == "declined"
    outcome: reject
    reason: "Veriff declined."
    unknown: ignore
  - id: veriff-error-1101
    description: Veriff answered the API error 1101.
    when: veriff.api_error_code == "1101"
    outcome: reject
    reason: "Veriff API error 1101."
    unknown: ignore
`

// decisionServer starts a server over a fresh SQLite store deciding with
// the small policy and extraRules.
func decisionServer(t *testing.T, opts ...option) *env {
	t.Helper()
	dir := t.TempDir()
	pol := writePolicy(t, dir, readFile(t, "testdata/small.yaml")+extraRules)
	return start(t, "sqlite:"+filepath.Join(dir, "v.db"), append([]option{func(c *server.Config) { c.PolicyPath = pol }}, opts...)...)
}

// decision is the part of a decision the tests below read.
type decision struct {
	Outcome string
	Reasons []struct {
		Rule string
	}
	Providers []string
	Warnings  []struct {
		Provider string
		Offset   int
		Message  string
	}
}

// rules returns the rules that fired, in order.
func (d decision) rules() string {
	var out []string
	for _, r := range d.Reasons {
		out = append(out, r.Rule)
	}
	return strings.Join(out, " ")
}

// veriffItem is an envelope result: a Veriff decision of caseID with a
// status at a decision time (distinct times order the decisions: the
// latest wins).
func veriffItem(t *testing.T, caseID, status, at string) string {
	t.Helper()
	code := 9001
	if status != "approved" {
		code = 9102
	}
	return `{"provider":"veriff","payload":` + string(veriffDecision(t, caseID, status, code, at)) + `}`
}

// approvals returns n Veriff approvals of caseID, one a second from
// 2025-06-01T10:00:00Z, all before 2025-06-02.
func approvals(t *testing.T, caseID string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = veriffItem(t, caseID, "approved", fmt.Sprintf("2025-06-01T10:%02d:%02dZ", i/60, i%60))
	}
	return out
}

// addAll posts items as one envelope to the case and returns the case's
// decision.
func addAll(t *testing.T, e *env, caseID string, items []string) decision {
	t.Helper()
	r := e.api("POST", "/v1/cases/"+caseID+"/results", []byte(`{"results":[`+strings.Join(items, ",")+`]}`))
	if r.status != 201 {
		t.Fatalf("%s: %d %.300s", caseID, r.status, r.body)
	}
	var out struct{ Decision decision }
	if err := json.Unmarshal(r.body, &out); err != nil {
		t.Fatal(err)
	}
	return out.Decision
}

// currentDecision reads the case's decision.
func currentDecision(t *testing.T, e *env, caseID string) decision {
	t.Helper()
	r := e.api("GET", "/v1/cases/"+caseID, nil)
	var out struct{ Decision decision }
	if err := json.Unmarshal(r.body, &out); err != nil || r.status != 200 {
		t.Fatalf("%s: %d %v %.300s", caseID, r.status, err, r.body)
	}
	return out.Decision
}

const capNote = "decided over the latest 200 of each provider and list in turn (webhook deliveries first); the rest is history"

// TestDecisionReadsAtMost200Results: a decision reads at most 200 stored
// results, the latest of each provider and list in turn, and says so;
// exactly 200 are all read, without a note.
func TestDecisionReadsAtMost200Results(t *testing.T) {
	e := decisionServer(t)
	// The deciding Veriff decision is the latest by decision time, so
	// whether it was read shows in the outcome.
	decline := func(id string) string { return veriffItem(t, id, "declined", "2025-06-02T10:00:00Z") }

	// 200 results: every one is read, the decline among them.
	d := addAll(t, e, "exactly-200", append([]string{decline("exactly-200")}, approvals(t, "exactly-200", 199)...))
	if d.Outcome != "reject" || d.rules() != "veriff-declined" || len(d.Warnings) != 0 {
		t.Errorf("200 results: %s by %q, warnings %+v; want all read: reject by veriff-declined, no warning", d.Outcome, d.rules(), d.Warnings)
	}

	// 201 results: the oldest (the decline) is left out, and the
	// decision says so in a warning about no place in the document.
	d = addAll(t, e, "one-past", append([]string{decline("one-past")}, approvals(t, "one-past", 200)...))
	if d.Outcome != "approve" || d.rules() != "veriff-approved" {
		t.Errorf("201 results: %s by %q; want the oldest left out: approve", d.Outcome, d.rules())
	}
	if len(d.Warnings) != 1 || d.Warnings[0].Message != "the case has 201 results: "+capNote || d.Warnings[0].Offset != -1 || d.Warnings[0].Provider != "" {
		t.Errorf("201 results: warnings %+v", d.Warnings)
	}

	// The latest 200 of one list, not just its latest: the decline is the
	// second oldest of 201.
	d = addAll(t, e, "second-oldest", append(append(approvals(t, "second-oldest", 1), decline("second-oldest")), approvals(t, "second-oldest", 200)[1:]...))
	if d.Outcome != "reject" || d.rules() != "veriff-declined" {
		t.Errorf("decline second oldest of 201: %s by %q; want it read", d.Outcome, d.rules())
	}

	// Each provider and list keeps its latest results: the only Jaak OFAC
	// check is the oldest of 201 results, and still counts, ahead of the
	// Veriff decisions in stored order.
	jaak := `{"provider":"jaak","kind":"ofac","payload":` + string(fixture(t, "jaak/ofac_found.json")) + `}`
	d = addAll(t, e, "two-lists", append([]string{jaak}, approvals(t, "two-lists", 200)...))
	if d.Outcome != "reject" || d.rules() != "sanctions veriff-approved" || strings.Join(d.Providers, " ") != "jaak veriff" {
		t.Errorf("two lists: %s by %q, providers %v; want the Jaak check kept, in stored order", d.Outcome, d.rules(), d.Providers)
	}
	if len(d.Warnings) != 1 || !strings.Contains(d.Warnings[0].Message, "has 201 results") {
		t.Errorf("two lists: warnings %+v", d.Warnings)
	}
}

// TestDecisionListsInTurn: past 200 results, the lists are taken in turn
// up to exactly 200 results, even when the 200th is taken in the middle
// of a turn; and the results kept are read in stored order.
func TestDecisionListsInTurn(t *testing.T) {
	e := decisionServer(t)
	// Three lists of 67 results: 66 turns take 198, the 67th takes the
	// latest two lists' oldest results and not the Veriff decline, the
	// oldest result of the list whose latest result is the oldest.
	jaak := func(name string, n int) []string {
		b := fixture(t, "jaak/"+name+"_not_found.json")
		out := make([]string, n)
		for i := range out {
			p := strings.Replace(string(b), `"eventId": "`, fmt.Sprintf(`"eventId": "%03d-`, i), 1)
			out[i] = `{"provider":"jaak","kind":"` + name + `","payload":` + p + `}`
		}
		return out
	}
	items := append([]string{veriffItem(t, "turns", "declined", "2025-06-02T10:00:00Z")}, approvals(t, "turns", 66)...)
	items = append(append(items, jaak("interpol", 67)...), jaak("ofac", 67)...)
	d := addAll(t, e, "turns", items)
	if d.Outcome != "approve" || d.rules() != "veriff-approved" || len(d.Warnings) != 1 || d.Warnings[0].Message != "the case has 201 results: "+capNote {
		t.Errorf("three lists of 67: %s by %q, warnings %+v; want 200 read, the decline left out", d.Outcome, d.rules(), d.Warnings)
	}

	// Veriff API errors only: the last one read says where things stand,
	// so the results kept must be read oldest first.
	var errs []string
	for i := range 200 {
		errs = append(errs, fmt.Sprintf(`{"provider":"veriff","payload":{"status":"fail","code":"%d","message":"m"}}`, 2000+i))
	}
	d = addAll(t, e, "errors", append(errs, `{"provider":"veriff","payload":{"status":"fail","code":"1101","message":"m"}}`))
	if d.Outcome != "reject" || d.rules() != "veriff-error-1101" || len(d.Warnings) != 1 {
		t.Errorf("201 Veriff API errors: %s by %q, warnings %+v; want the latest read last", d.Outcome, d.rules(), d.Warnings)
	}
}

// TestDecisionWebhookFirst: past 200 results, a provider's webhook
// deliveries are kept ahead of its API results, however old (here the
// provider's API results count beside its webhooks).
func TestDecisionWebhookFirst(t *testing.T) {
	e := decisionServer(t, func(c *server.Config) { c.TrustAPI = map[string]bool{"veriff": true} })
	decline := veriffDecision(t, "hooked", "declined", 9102, "2025-06-02T10:00:00Z")
	if r := e.do("POST", "/v1/webhooks/veriff", decline, signed(decline)...); r.status != 200 {
		t.Fatalf("webhook: %d %s", r.status, r.body)
	}
	d := addAll(t, e, "hooked", approvals(t, "hooked", 200))
	if d.Outcome != "reject" || d.rules() != "veriff-declined" {
		t.Errorf("a webhook decline then 200 API approvals: %s by %q; want the webhook kept", d.Outcome, d.rules())
	}
	if len(d.Warnings) != 1 || d.Warnings[0].Message != "the case has 201 results: "+capNote {
		t.Errorf("warnings %+v", d.Warnings)
	}
}

// TestDecisionTrustAPI: a provider named in TrustAPI has its API results
// count beside its webhook deliveries (a later API approval wins over an
// earlier webhook decline); other providers' do not.
func TestDecisionTrustAPI(t *testing.T) {
	for _, c := range []struct {
		trust bool
		want  string
	}{{true, "approve"}, {false, "reject"}} {
		e := decisionServer(t, func(cfg *server.Config) { cfg.TrustAPI = map[string]bool{"veriff": c.trust, "jaak": true} })
		decline := veriffDecision(t, "trusted", "declined", 9102, "2025-06-01T10:00:00Z")
		if r := e.do("POST", "/v1/webhooks/veriff", decline, signed(decline)...); r.status != 200 {
			t.Fatalf("webhook: %d %s", r.status, r.body)
		}
		d := addAll(t, e, "trusted", []string{veriffItem(t, "trusted", "approved", "2025-06-01T11:00:00Z")})
		if d.Outcome != c.want {
			t.Errorf("trust veriff %v: %s by %q, want %s", c.trust, d.Outcome, d.rules(), c.want)
		}
		if c.trust != (len(d.Warnings) == 0) {
			t.Errorf("trust veriff %v: warnings %+v", c.trust, d.Warnings)
		}
	}
}

// TestDecisionProvenanceNotes: API results left out for a provider's
// webhook are named in a warning about no place in the document; when
// deciding with them is no more severe, the webhook's decision stands
// without the "more severe" note, and when it is, that note replaces it.
func TestDecisionProvenanceNotes(t *testing.T) {
	e := decisionServer(t)
	hook := func(id, status, at string) {
		t.Helper()
		code := 9001
		if status != "approved" {
			code = 9102
		}
		b := veriffDecision(t, id, status, code, at)
		if r := e.do("POST", "/v1/webhooks/veriff", b, signed(b)...); r.status != 200 {
			t.Fatalf("webhook: %d %s", r.status, r.body)
		}
	}
	// Two declines: as severe either way.
	hook("same", "declined", "2025-06-01T10:00:00Z")
	d := addAll(t, e, "same", []string{veriffItem(t, "same", "declined", "2025-06-01T11:00:00Z")})
	if d.Outcome != "reject" || len(d.Warnings) != 1 || d.Warnings[0].Provider != "veriff" || d.Warnings[0].Offset != -1 ||
		d.Warnings[0].Message != "1 result(s) submitted through the API not used: results this provider delivered by its webhook outrank them" {
		t.Errorf("a webhook decline and an API decline: %s, warnings %+v", d.Outcome, d.Warnings)
	}
	// A webhook approval and an API decline: the decline counts.
	hook("worse", "approved", "2025-06-01T10:00:00Z")
	d = addAll(t, e, "worse", []string{veriffItem(t, "worse", "declined", "2025-06-01T11:00:00Z")})
	if d.Outcome != "reject" || len(d.Warnings) != 1 || d.Warnings[0].Provider != "" || d.Warnings[0].Offset != -1 ||
		!strings.Contains(d.Warnings[0].Message, "make the decision more severe than the webhook deliveries alone") {
		t.Errorf("a webhook approval and an API decline: %s, warnings %+v", d.Outcome, d.Warnings)
	}
	if c := currentDecision(t, e, "worse"); c.Outcome != d.Outcome {
		t.Errorf("stored decision %s, answered %s", c.Outcome, d.Outcome)
	}
}

// TestPayloadErrorOffsets: the byte offset of a problem with a payload is
// its place in the request body, whatever form the body has (an envelope,
// one result, a bare payload with ?provider=), though the server reads the
// last two wrapped in an envelope.
func TestPayloadErrorOffsets(t *testing.T) {
	e := decisionServer(t)
	for _, c := range []struct {
		query, body string
		at          string // where the offset points: the first occurrence of at in body
		provider    string
	}{
		// One result: the payload Jaak cannot read, and the result of an
		// unknown provider (the body's first byte).
		{"", `{"provider": "jaak", "payload": {"organization": 5}}`, `{"organization"`, "jaak"},
		{"", `{"provider": "nope", "payload": {}}`, `{"provider"`, ""},
		// One result without a provider, of no provider's shape.
		{"", `{"payload": {"x": 1}}`, `{"x"`, ""},
		{"", `{"payload": {"x": 1}, "provider": "jaak"}`, `{"x"`, "jaak"},
		// An envelope, read as it is.
		{"", `{"results": [{"payload": {"x": 1}}]}`, `{"x"`, ""},
		{"", `{"results": [{"provider": "jaak", "payload": {"service": 5}}]}`, `{"service"`, "jaak"},
		// A bare payload of a named provider: its first byte, and a
		// malformed one (read as sent).
		{"?provider=jaak", `{"organization": 5}`, `{`, "jaak"},
		{"?provider=jaak", "\n  {\"service\": 5}", `{`, "jaak"},
		{"", `{"provider": "jaak", "payload": {"organization": [}}`, `}}`, "jaak"},
	} {
		r := e.api("POST", "/v1/cases/offsets/results"+c.query, []byte(c.body))
		var p struct {
			Code, Provider, Detail string
			Offset                 *int
		}
		_ = json.Unmarshal(r.body, &p)
		want := strings.Index(c.body, c.at)
		if r.status != 422 || p.Code != "unreadable" || p.Offset == nil || *p.Offset != want || p.Provider != c.provider ||
			!strings.Contains(p.Detail, fmt.Sprintf("byte %d: ", want)) {
			t.Errorf("%s %s: %d %s; want offset %d (of %q) from %q", c.query, c.body, r.status, r.body, want, c.at, c.provider)
		}
	}
}

// TestQueryWithAResult: provider= and kind= name the provider of a bare
// payload; on one result {"provider", "kind", "payload"} they would be
// ignored, so they are refused, as on an envelope, and nothing is stored.
func TestQueryWithAResult(t *testing.T) {
	e := decisionServer(t)
	jaak := string(fixture(t, "jaak/ofac_found.json"))
	for _, c := range []struct{ query, body string }{
		{"?kind=ofac", `{"provider": "jaak", "payload": ` + jaak + `}`},
		{"?provider=veriff", `{"provider": "jaak", "payload": ` + jaak + `}`},
		{"?provider=jaak", `{"payload": ` + jaak + `}`},
		{"?provider=jaak&kind=ofac", `{"results": [{"payload": ` + jaak + `}]}`},
	} {
		r := e.api("POST", "/v1/cases/query/results"+c.query, []byte(c.body))
		if r.status != 400 || r.json(t)["code"] != "invalid-query" || !strings.Contains(r.errMsg(), "apply to a bare provider payload") {
			t.Errorf("%s %.40s: %d %s", c.query, c.body, r.status, r.body)
		}
	}
	if s := e.stats(); s.Results != 0 {
		t.Errorf("refused results were stored: %+v", s)
	}
	// Without a query the same result is stored.
	if r := e.api("POST", "/v1/cases/query/results", []byte(`{"payload": `+jaak+`}`)); r.status != 201 {
		t.Errorf("a result without a query: %d %s", r.status, r.body)
	}
}

// TestStoredKindIsRead: a stored result's kind is part of the envelope a
// decision reads: a Jaak response stored under another list's kind is
// marked conflicting, as it is when posted for an immediate decision.
func TestStoredKindIsRead(t *testing.T) {
	e := decisionServer(t)
	ofac := fixture(t, "jaak/ofac_found.json")
	const conflict = "the case's kind says interpol but the payload is a ofac response"
	r := e.api("POST", "/v1/cases/kinds/results?provider=jaak&kind=interpol", ofac)
	if r.status != 201 || !strings.Contains(string(r.body), conflict) {
		t.Errorf("a stored OFAC response of kind interpol: %d %.600s", r.status, r.body)
	}
	// The same response under its own list: no conflict.
	r = e.api("POST", "/v1/cases/kinds-ok/results?provider=jaak&kind=ofac", ofac)
	if r.status != 201 || strings.Contains(string(r.body), "the case's kind says") || !strings.Contains(string(r.body), `"rule":"sanctions"`) {
		t.Errorf("a stored OFAC response of kind ofac: %d %.600s", r.status, r.body)
	}
}

// TestStoredWarningOffsets: a stored decision's warnings and evidence notes
// point into the stored result they are about (its seq and a byte offset
// in its payload, as GET /v1/cases/{id}?include=payloads returns it), not
// into the envelope the server rebuilt to decide, which nobody sees. A
// problem that makes the stored results undecidable is located the same
// way.
func TestStoredWarningOffsets(t *testing.T) {
	e := start(t, storetest.SQLite(t))
	ctx := context.Background()
	veriff := fixture(t, "veriff/adv_array_multi.json")
	bad := regexp.MustCompile(`"validUntil": "[^"]*"`).ReplaceAll(veriff, []byte(`"validUntil": "soon"`))
	if bytes.Equal(bad, veriff) {
		t.Fatal("the fixture has no validUntil to spoil")
	}
	// The spoiled result second, then first.
	for _, order := range []struct {
		id   string
		docs [][]byte
		seq  int64
	}{{"w", [][]byte{fixture(t, "jaak/ofac_found.json"), bad}, 2}, {"w1", [][]byte{bad, fixture(t, "jaak/ofac_found.json")}, 1}} {
		storedWarningsPoint(t, e, order.id, order.docs, order.seq)
	}

	// Stored results that cannot be decided together (two Preventor
	// tickets, which the API refuses to store; here put in the store
	// directly), or one that cannot be read at all: the error names the
	// result and the offset in it.
	other := bytes.Replace(fixture(t, "preventor/completed.json"), []byte(`"ticket": "`), []byte(`"ticket": "x`), 1)
	numeric := []byte(`{"ticket": 5, "event": "ticket.verification.completed"}`)
	for _, tc := range []struct {
		id   string
		docs [][]byte
		seq  int
	}{{"two", [][]byte{fixture(t, "preventor/completed.json"), other}, 2}, {"numeric", [][]byte{numeric}, 1}} {
		for _, doc := range tc.docs {
			if _, err := e.st.Add(ctx, tc.id, []store.Result{store.NewResult("preventor", "", "api", doc)}, func(string, []store.Result) (store.Decision, error) {
				return store.Decision{Outcome: "review", Policy: store.PolicyRef{Name: "t", Version: "1", Hash: "h"}, Body: []byte(`{}`)}, nil
			}); err != nil {
				t.Fatal(err)
			}
		}
		r := e.api("POST", "/v1/cases/"+tc.id+"/decide", nil)
		var p struct{ Detail string }
		_ = json.Unmarshal(r.body, &p)
		m := regexp.MustCompile(`result (\d) \(preventor\): byte (\d+): `).FindStringSubmatch(p.Detail)
		if r.status != 422 || m == nil || m[1] != strconv.Itoa(tc.seq) {
			t.Fatalf("%s: %d %s", tc.id, r.status, r.body)
		}
		if at, _ := strconv.Atoi(m[2]); at < 0 || at >= len(tc.docs[tc.seq-1]) {
			t.Errorf("%s: offset %d is not in result %d's payload", tc.id, at, tc.seq)
		}
	}
}

// storedWarningsPoint posts docs to a case and checks that the stored
// decision's warnings and evidence about the spoiled "soon" point at it in
// result seq's payload.
func storedWarningsPoint(t *testing.T, e *env, id string, docs [][]byte, seq int64) {
	t.Helper()
	for _, doc := range docs {
		if r := e.api("POST", "/v1/cases/"+id+"/results", doc); r.status != 200 && r.status != 201 {
			t.Fatalf("%d %s", r.status, r.body)
		}
	}
	c, err := e.st.Case(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	type located struct {
		Provider string
		Result   int64
		Offset   int
		Message  string
	}
	var d struct{ Warnings, Evidence []located }
	if err := json.Unmarshal(c.Current().Body, &d); err != nil {
		t.Fatal(err)
	}
	found := map[bool]int{}
	for i, w := range append(d.Warnings, d.Evidence...) {
		if !strings.Contains(w.Message, `"soon"`) {
			continue
		}
		found[i >= len(d.Warnings)]++
		payload := c.Results[seq-1].Payload
		if w.Result != seq || w.Offset < 0 || w.Offset >= len(payload) || !bytes.HasPrefix(payload[w.Offset:], []byte(`"soon"`)) {
			t.Errorf("%s: %+v does not point at the value in result %d's payload", id, w, seq)
		}
	}
	if found[false] == 0 || found[true] == 0 {
		t.Fatalf("no warning or evidence note about the date: %+v %+v", d.Warnings, d.Evidence)
	}
}
