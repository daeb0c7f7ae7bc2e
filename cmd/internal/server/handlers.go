package server

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/tidwall/gjson"

	"github.com/veredicto/veredicto/cmd/internal/store"
	"github.com/veredicto/veredicto/engine"
	"github.com/veredicto/veredicto/normalizers"
)

// handleDecisions decides the posted case now. Query: trace=true records
// every rule's result; as_of=RFC3339|YYYY-MM-DD sets the evaluation time;
// store=true adds the case's results to the store (under case_id=, else the
// envelope's or provider's id) and answers the case's decision.
func (s *Server) handleDecisions(w http.ResponseWriter, r *http.Request) {
	var q url.Values
	if r.URL.RawQuery != "" {
		q = r.URL.Query()
	}
	body := getBuf()
	defer putBuf(body)
	if err := s.readBody(w, r, body); err != nil {
		s.fail(w, err)
		return
	}
	if ok, err := boolParam(q, "store"); err != nil {
		s.fail(w, err)
		return
	} else if ok {
		s.decideAndStore(w, r, q, body.Bytes())
		return
	}
	var opts normalizers.Options
	if v := q.Get("as_of"); v != "" {
		t, err := parseAsOf(v)
		if err != nil {
			s.fail(w, err)
			return
		}
		opts.AsOf = t
	}
	trace, err := boolParam(q, "trace")
	if err != nil {
		s.fail(w, err)
		return
	}
	f := getFacts()
	defer putFacts(f)
	start := time.Now()
	if err := normalizers.Normalize(body.Bytes(), f, opts); err != nil {
		s.fail(w, unreadable(err))
		return
	}
	pol := s.pol.current()
	var d engine.Decision
	if trace {
		d = pol.Evaluate(f, engine.WithTrace())
	} else {
		d = pol.Evaluate(f)
	}
	s.m.decisionTime.Observe(time.Since(start).Seconds())
	s.m.decided(sourceAPI, &d)
	noteCase(w, d.CaseID)
	out := outPool.Get().(*[]byte)
	defer func() {
		if cap(*out) <= 1<<20 {
			outPool.Put(out)
		}
	}()
	*out = append(d.AppendJSON((*out)[:0]), '\n')
	writeJSON(w, 200, *out)
}

func (s *Server) decideAndStore(w http.ResponseWriter, r *http.Request, q url.Values, doc []byte) {
	if q.Get("as_of") != "" || q.Get("trace") != "" {
		s.fail(w, badQuery("as_of and trace do not combine with store=true: a stored case is decided now, without trace"))
		return
	}
	results, derived, err := split(doc, "", "")
	if err != nil {
		s.fail(w, err)
		return
	}
	caseID := q.Get("case_id")
	if caseID == "" {
		caseID = derived
	}
	if caseID == "" {
		s.fail(w, unprocessable(codeNoCaseID, "no case id: pass case_id=, or send an envelope with case_id or a payload that carries the provider's id (Veriff vendorData, endUserId or session id; Preventor ticket; Trully request_id)"))
		return
	}
	out, ok := s.add(r.Context(), w, caseID, results, "api", sourceCase)
	if !ok {
		return
	}
	w.Header().Set("Location", "/v1/cases/"+url.PathEscape(caseID))
	writeJSON(w, 200, out.Decision.Body)
}

// add stores results under caseID and re-decides the case; it answers the
// request itself when it fails.
func (s *Server) add(ctx context.Context, w http.ResponseWriter, caseID string, results []store.Result, source string, metric int) (store.AddOutcome, bool) {
	noteCase(w, caseID)
	if err := store.CheckCaseID(caseID); err != nil {
		s.fail(w, unprocessable(codeInvalidCaseID, "%v", err))
		return store.AddOutcome{}, false
	}
	for i := range results {
		results[i].Source = source
	}
	var m made
	out, err := s.store.Add(ctx, caseID, results, s.decider(&m))
	if err != nil {
		var ie *inputError
		if errors.As(err, &ie) {
			s.fail(w, err)
		} else {
			s.storeFailed(w, "add", err)
		}
		return out, false
	}
	if out.New {
		s.m.decisionTime.Observe(m.took.Seconds())
		s.m.decidedStored(metric, m)
	}
	return out, true
}

// addResponse is the answer to added results.
type addResponse struct {
	CaseID     string          `json:"case_id"`
	Added      int             `json:"added"`
	Duplicates int             `json:"duplicates"`
	Decision   json.RawMessage `json:"decision"`
}

// handleAddResults adds results to a case and answers its new decision:
// 201 when a result was new, 200 when all were already stored. The body is
// an envelope, one result {"provider", "kind", "payload"}, or a bare
// provider payload (provider= and kind= name its provider when its shape
// does not).
func (s *Server) handleAddResults(w http.ResponseWriter, r *http.Request) {
	caseID := r.PathValue("id")
	var body []byte
	{
		buf := getBuf()
		defer putBuf(buf)
		if err := s.readBody(w, r, buf); err != nil {
			s.fail(w, err)
			return
		}
		body = buf.Bytes()
	}
	q := r.URL.Query()
	results, _, err := split(body, q.Get("provider"), q.Get("kind"))
	if err != nil {
		s.fail(w, err)
		return
	}
	if env := gjson.GetManyBytes(body, "results", "case_id"); env[0].Exists() && env[1].Str != "" && env[1].Str != caseID {
		s.fail(w, unprocessable(codeCaseIDMismatch, "the envelope's case_id %q differs from the case %q of the URL", env[1].Str, caseID))
		return
	}
	out, ok := s.add(r.Context(), w, caseID, results, "api", sourceCase)
	if !ok {
		return
	}
	status := 201
	if out.Added == 0 {
		status = 200
	}
	resp, err := json.Marshal(addResponse{CaseID: caseID, Added: out.Added, Duplicates: out.Duplicates, Decision: out.Decision.Body})
	if err != nil {
		s.fail(w, err)
		return
	}
	w.Header().Set("Location", "/v1/cases/"+url.PathEscape(caseID))
	writeJSON(w, status, resp)
}

// handleRedecide decides a stored case again with the current policy.
func (s *Server) handleRedecide(w http.ResponseWriter, r *http.Request) {
	caseID := r.PathValue("id")
	noteCase(w, caseID)
	var m made
	d, err := s.store.Redecide(r.Context(), caseID, s.decider(&m))
	var ie *inputError
	switch {
	case errors.Is(err, store.ErrNotFound):
		s.fail(w, noCase(caseID))
		return
	case errors.As(err, &ie):
		s.fail(w, err)
		return
	case err != nil:
		s.storeFailed(w, "redecide", err)
		return
	}
	s.m.decisionTime.Observe(m.took.Seconds())
	s.m.decidedStored(sourceCase, m)
	writeJSON(w, 200, d.Body)
}

// caseResponse is GET /v1/cases/{id}: one page of the case's results
// and decision history, oldest first, and its current decision.
type caseResponse struct {
	CaseID       string           `json:"case_id"`
	CreatedAt    time.Time        `json:"created_at"`
	UpdatedAt    time.Time        `json:"updated_at"`
	Decision     json.RawMessage  `json:"decision"`
	Results      []resultView     `json:"results"`
	ResultsTotal int              `json:"results_total"`
	History      []store.Decision `json:"history"`
	HistoryTotal int              `json:"history_total"`
	// Next is the cursor of the next page (?after=), absent on the last.
	Next string `json:"next,omitempty"`
}

// resultView is a stored result: its metadata, and its payload only with
// ?include=payloads and the read-personal-data scope.
type resultView struct {
	Seq        int64           `json:"seq"`
	Provider   string          `json:"provider"`
	Kind       string          `json:"kind,omitempty"`
	Source     string          `json:"source"`
	ReceivedAt time.Time       `json:"received_at"`
	Size       int             `json:"size"`   // payload bytes
	SHA256     string          `json:"sha256"` // of the payload bytes
	DedupeKey  string          `json:"dedupe_key"`
	Payload    json.RawMessage `json:"payload,omitempty"`
}

// Paging of GET /v1/cases/{id}.
const (
	defaultPageLimit = 20
	maxPageLimit     = 100
	// payloadBudget bounds the payload bytes of one page: results stop
	// past it (one result always fits) and the cursor goes on from there.
	payloadBudget = 1 << 20
)

// cursor is the position of a page: the last history and result seq
// already returned. It is written h<seq>.r<seq>; clients treat it as opaque.
type cursor struct{ history, results int64 }

func (c cursor) String() string {
	return "h" + strconv.FormatInt(c.history, 10) + ".r" + strconv.FormatInt(c.results, 10)
}

func parseCursor(s string) (cursor, error) {
	bad := badQuery("after=" + strconv.Quote(s) + ": not a cursor of this endpoint (use the next of the previous page)")
	h, r, ok := strings.Cut(s, ".")
	if !ok || !strings.HasPrefix(h, "h") || !strings.HasPrefix(r, "r") {
		return cursor{}, bad
	}
	var c cursor
	var err1, err2 error
	c.history, err1 = strconv.ParseInt(h[1:], 10, 64)
	c.results, err2 = strconv.ParseInt(r[1:], 10, 64)
	if err1 != nil || err2 != nil || c.history < 0 || c.results < 0 {
		return cursor{}, bad
	}
	return c, nil
}

func pageLimit(q url.Values) (int, error) {
	v := q.Get("limit")
	if v == "" {
		return defaultPageLimit, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > maxPageLimit {
		return 0, badQuery("limit=" + strconv.Quote(v) + ": want 1 to " + strconv.Itoa(maxPageLimit))
	}
	return n, nil
}

func (s *Server) handleCase(w http.ResponseWriter, r *http.Request) {
	caseID := r.PathValue("id")
	noteCase(w, caseID)
	q := r.URL.Query()
	limit, err := pageLimit(q)
	if err != nil {
		s.fail(w, err)
		return
	}
	var at cursor
	if v := q.Get("after"); v != "" {
		if at, err = parseCursor(v); err != nil {
			s.fail(w, err)
			return
		}
	}
	payloads := false
	switch v := q.Get("include"); v {
	case "":
	case "payloads":
		payloads = true
	default:
		s.fail(w, badQuery("include="+strconv.Quote(v)+": want payloads"))
		return
	}
	key := keyOf(w)
	if payloads && !key.scopes.has(scopeReadPersonalData) {
		s.forbidden(w, scopeReadPersonalData)
		return
	}
	c, err := s.store.CasePage(r.Context(), caseID, store.PageQuery{AfterResult: at.results, AfterDecision: at.history,
		Limit: limit, Payloads: payloads, PayloadBudget: payloadBudget})
	if errors.Is(err, store.ErrNotFound) {
		s.fail(w, noCase(caseID))
		return
	}
	if err != nil {
		s.storeFailed(w, "case", err)
		return
	}
	resp := caseResponse{CaseID: c.ID, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt,
		ResultsTotal: int(c.ResultsTotal), HistoryTotal: int(c.Decided),
		Results: make([]resultView, 0, len(c.Results)), History: c.Decisions, Decision: json.RawMessage("null")}
	if c.Current != nil {
		resp.Decision = c.Current.Body
	}
	next := at
	if n := len(c.Decisions); n > 0 {
		next.history = c.Decisions[n-1].Seq
	}
	var seqs []int64
	for _, res := range c.Results {
		resp.Results = append(resp.Results, resultView{Seq: res.Seq, Provider: res.Provider, Kind: res.Kind, Source: res.Source,
			ReceivedAt: res.ReceivedAt, Size: res.Size, SHA256: res.SHA256, DedupeKey: res.DedupeKey, Payload: res.Payload})
		next.results = res.Seq
		if payloads {
			seqs = append(seqs, res.Seq)
		}
	}
	if c.More {
		resp.Next = next.String()
	}
	if payloads {
		// The audit trail of personal data: who read which results of
		// which case, never what they hold.
		s.log.InfoContext(r.Context(), "personal data read", "key", key.name, "case_id", caseID, "result_seqs", seqs)
	}
	body, err := json.Marshal(resp)
	if err != nil {
		s.fail(w, err)
		return
	}
	writeJSON(w, 200, body)
}

// policyView is GET /v1/policy.
type policyView struct {
	Name         string        `json:"name"`
	Version      string        `json:"version"`
	Hash         string        `json:"hash"`
	File         string        `json:"file"`
	Description  string        `json:"description,omitempty"`
	Default      string        `json:"default"`
	LoadedAt     time.Time     `json:"loaded_at"`
	Requirements []ruleView    `json:"requirements"`
	Derived      []ruleView    `json:"derived"`
	Rules        []ruleView    `json:"rules"`
	Scores       []ruleView    `json:"scores"`
	LastReload   *reloadStatus `json:"last_reload,omitempty"`
}

type ruleView struct {
	ID          string `json:"id"`
	Description string `json:"description,omitempty"`
	Outcome     string `json:"outcome,omitempty"`
	Shadow      bool   `json:"shadow,omitempty"`
}

func (s *Server) handlePolicy(w http.ResponseWriter, _ *http.Request) {
	p := s.pol.current()
	v := policyView{Name: p.Name, Version: p.Version, Hash: p.Hash, File: p.File, Description: p.Description,
		Default: p.Default.String(), LoadedAt: p.LoadedAt, LastReload: s.pol.status.Load(),
		Requirements: []ruleView{}, Derived: []ruleView{}, Rules: []ruleView{}, Scores: []ruleView{}}
	for _, r := range p.Requirements {
		v.Requirements = append(v.Requirements, ruleView{ID: r.ID, Description: r.Description, Outcome: r.Outcome.String()})
	}
	for _, d := range p.Derived {
		v.Derived = append(v.Derived, ruleView{ID: d.Name, Description: d.Description})
	}
	for _, r := range p.Rules {
		v.Rules = append(v.Rules, ruleView{ID: r.ID, Description: r.Description, Outcome: r.Outcome.String(), Shadow: r.Shadow})
	}
	for _, sc := range p.Scores {
		v.Scores = append(v.Scores, ruleView{ID: sc.ID, Description: sc.Description, Shadow: sc.Shadow})
	}
	body, err := json.Marshal(v)
	if err != nil {
		s.fail(w, err)
		return
	}
	writeJSON(w, 200, body)
}

func (s *Server) handleFacts(w http.ResponseWriter, _ *http.Request) { writeJSON(w, 200, s.facts) }

func boolParam(q url.Values, name string) (bool, error) {
	v := q.Get(name)
	if v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, badQuery(name + "=" + strconv.Quote(v) + ": want true or false")
	}
	return b, nil
}

func parseAsOf(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, badQuery("as_of=" + strconv.Quote(s) + ": want an RFC 3339 time (2025-06-17T12:00:00Z) or a date (2025-06-17)")
}

// openAPI is the hand-written OpenAPI 3.1 document of the service; a test
// checks every route and answer of the server against it.
//
//go:embed openapi.json
var openAPI []byte

func (s *Server) handleOpenAPI(w http.ResponseWriter, _ *http.Request) { writeJSON(w, 200, openAPI) }
