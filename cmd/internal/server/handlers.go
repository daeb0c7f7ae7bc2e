package server

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
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
		s.fail(w, unprocessable("unreadable", "%v", err))
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
		s.fail(w, &inputError{status: 400, kind: "query", msg: "as_of and trace do not combine with store=true: a stored case is decided now, without trace"})
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
		s.fail(w, unprocessable("no_case_id", "no case id: pass case_id=, or send an envelope with case_id or a payload that carries the provider's id (Veriff vendorData, endUserId or session id; Preventor ticket; Trully request_id)"))
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
		s.fail(w, unprocessable("case_id", "%v", err))
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
		s.fail(w, unprocessable("case_id", "the envelope's case_id %q differs from the case %q of the URL", env[1].Str, caseID))
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
		s.fail(w, &inputError{status: 404, kind: "not_found", msg: "no case " + strconv.Quote(caseID)})
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

// caseResponse is GET /v1/cases/{id}.
type caseResponse struct {
	CaseID    string           `json:"case_id"`
	CreatedAt time.Time        `json:"created_at"`
	UpdatedAt time.Time        `json:"updated_at"`
	Results   []resultView     `json:"results"`
	Decision  json.RawMessage  `json:"decision"`
	History   []store.Decision `json:"history"`
}

type resultView struct {
	Seq        int64           `json:"seq"`
	Provider   string          `json:"provider"`
	Kind       string          `json:"kind,omitempty"`
	Source     string          `json:"source"`
	ReceivedAt time.Time       `json:"received_at"`
	DedupeKey  string          `json:"dedupe_key"`
	Payload    json.RawMessage `json:"payload"`
}

func (s *Server) handleCase(w http.ResponseWriter, r *http.Request) {
	caseID := r.PathValue("id")
	noteCase(w, caseID)
	c, err := s.store.Case(r.Context(), caseID)
	if errors.Is(err, store.ErrNotFound) {
		s.fail(w, &inputError{status: 404, kind: "not_found", msg: "no case " + strconv.Quote(caseID)})
		return
	}
	if err != nil {
		s.storeFailed(w, "case", err)
		return
	}
	resp := caseResponse{CaseID: c.ID, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt, History: c.Decisions,
		Results: make([]resultView, len(c.Results))}
	for i, res := range c.Results {
		resp.Results[i] = resultView{res.Seq, res.Provider, res.Kind, res.Source, res.ReceivedAt, res.DedupeKey, res.Payload}
	}
	if cur := c.Current(); cur != nil {
		resp.Decision = cur.Body
	} else {
		resp.Decision = json.RawMessage("null")
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
		return false, &inputError{status: 400, kind: "query", msg: name + "=" + strconv.Quote(v) + ": want true or false"}
	}
	return b, nil
}

func parseAsOf(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, &inputError{status: 400, kind: "query", msg: "as_of=" + strconv.Quote(s) + ": want an RFC 3339 time (2025-06-17T12:00:00Z) or a date (2025-06-17)"}
}
