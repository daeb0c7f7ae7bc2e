package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tidwall/gjson"

	"github.com/veredicto/veredicto/cmd/internal/server"
	"github.com/veredicto/veredicto/cmd/internal/store"
	"github.com/veredicto/veredicto/cmd/internal/store/storetest"
	"github.com/veredicto/veredicto/engine"
	"github.com/veredicto/veredicto/fixtures"
	"github.com/veredicto/veredicto/normalizers"
	_ "github.com/veredicto/veredicto/normalizers/all"
	"github.com/veredicto/veredicto/rules"
)

// TestDecisions checks that POST /v1/decisions answers exactly what the
// library decides, for every case fixture, and stores nothing.
func TestDecisions(t *testing.T) {
	e := start(t, storetest.SQLite(t))
	pol, err := rules.Load(standardPolicy, normalizers.Catalog())
	if err != nil {
		t.Fatal(err)
	}
	f := engine.NewFacts(normalizers.Catalog())
	paths := fixtures.Glob("cases/*.json")
	if len(paths) == 0 {
		t.Fatal("no case fixtures")
	}
	outcomes := map[string]int{}
	for _, p := range paths {
		doc := fixture(t, p)
		if err := normalizers.Normalize(doc, f, normalizers.Options{}); err != nil {
			t.Fatal(err)
		}
		d := pol.Evaluate(f)
		want, _ := json.Marshal(&d)
		r := e.api("POST", "/v1/decisions", doc)
		if r.status != 200 || r.header.Get("Content-Type") != "application/json" {
			t.Fatalf("%s: %d %s", p, r.status, r.body)
		}
		if got := bytes.TrimSpace(r.body); !bytes.Equal(got, want) {
			t.Fatalf("%s: the service decided\n%s\nthe library\n%s", p, got, want)
		}
		outcomes[d.Outcome.String()]++
	}
	if outcomes["approve"] == 0 || outcomes["reject"] == 0 || outcomes["review"] == 0 {
		t.Fatalf("fixtures should cover every outcome: %v", outcomes)
	}
	if got := e.stats(); got != (store.Stats{}) {
		t.Fatalf("POST /v1/decisions stored something: %+v", got)
	}

	// Options: trace and as_of.
	doc := fixture(t, "cases/mx_full_approved.json")
	r := e.api("POST", "/v1/decisions?trace=true&as_of=2030-01-02", doc)
	m := r.json(t)
	outcomes[m["outcome"].(string)]++
	if r.status != 200 || m["trace"] == nil || m["evaluated_at"] != "2030-01-02T00:00:00Z" {
		t.Fatalf("trace/as_of: %d %.300s", r.status, r.body)
	}
	for q, want := range map[string]string{
		"?as_of=yesterday": "as_of=\"yesterday\"",
		"?trace=maybe":     "trace=\"maybe\"",
		"?store=1&trace=1": "do not combine",
	} {
		if r := e.api("POST", "/v1/decisions"+q, doc); r.status != 400 || !strings.Contains(r.errMsg(), want) {
			t.Errorf("%s: %d %s", q, r.status, r.body)
		}
	}

	// Bad documents: 422 with a one-line message that names the place.
	for body, want := range map[string]string{
		`{"case_id": "x", "results": [}`: "byte 29",
		`[1, 2]`:                         "a case is a JSON object",
		`{"hello": "world"}`:             "no provider has this payload shape",
		``:                               "byte 0",
	} {
		r := e.api("POST", "/v1/decisions", []byte(body))
		if r.status != 422 || !strings.Contains(r.errMsg(), want) || strings.Contains(r.errMsg(), "\n") {
			t.Errorf("%q: %d %s", body, r.status, r.body)
		}
	}
	for o, n := range outcomes {
		if got := e.metric(`veredicto_decisions_total{outcome="` + o + `",source="api"}`); got != float64(n) {
			t.Errorf("%s decisions metric %v, want %d", o, got, n)
		}
	}
	if e.metric(`veredicto_rule_fires_total{rule="all-checks-passed"}`) == 0 {
		t.Error("rule fires are not counted")
	}
}

func TestAPIKeys(t *testing.T) {
	e := start(t, storetest.SQLite(t))
	doc := fixture(t, "cases/mx_full_approved.json")
	for _, h := range [][]string{
		nil,
		{"Authorization", "Bearer wrong-key-0123456789abcdef"},
		{"Authorization", "Bearer " + apiKey + "x"},
		{"Authorization", "Basic " + apiKey},
		{"X-API-Key", apiKey[:len(apiKey)-1]},
		{"Authorization", "Bearer "},
	} {
		r := e.do("POST", "/v1/decisions", doc, h...)
		if r.status != 401 || r.header.Get("WWW-Authenticate") == "" {
			t.Errorf("%v: %d", h, r.status)
		}
	}
	for _, path := range []string{"/v1/policy", "/v1/facts", "/v1/cases/x", "/metrics"} {
		if r := e.do("GET", path, nil); r.status != 401 {
			t.Errorf("GET %s without a key: %d", path, r.status)
		}
	}
	for _, h := range [][]string{
		{"Authorization", "Bearer " + apiKey},
		{"authorization", "bearer " + secondKey},
		{"X-API-Key", secondKey},
		{"x-api-key", apiKey},
	} {
		if r := e.do("POST", "/v1/decisions", doc, h...); r.status != 200 {
			t.Errorf("%v: %d %s", h, r.status, r.body)
		}
	}
	for _, path := range []string{"/healthz", "/readyz"} {
		if r := e.do("GET", path, nil); r.status != 200 {
			t.Errorf("GET %s: %d %s", path, r.status, r.body)
		}
	}
	if r := e.api("GET", "/v1/nothing", nil); r.status != 404 || !strings.Contains(r.errMsg(), "no such endpoint") {
		t.Errorf("unknown route: %d %s", r.status, r.body)
	}
	if r := e.api("GET", "/v1/decisions", nil); r.status != 405 || r.header.Get("Allow") != "POST" {
		t.Errorf("GET /v1/decisions: %d %s", r.status, r.body)
	}
	if r := e.api("DELETE", "/v1/cases/x", nil); r.status != 405 || r.header.Get("Allow") != "GET" {
		t.Errorf("DELETE /v1/cases/x: %d %s", r.status, r.body)
	}

	// Configuration errors.
	st, err := store.Open(context.Background(), storetest.SQLite(t))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, c := range []struct {
		cfg  server.Config
		want string
	}{
		{server.Config{PolicyPath: standardPolicy}, "no API keys"},
		{server.Config{PolicyPath: standardPolicy, APIKeys: []string{"short"}}, "at least 16"},
		{server.Config{PolicyPath: standardPolicy, NoAuth: true, PreventorKey: []byte("16 bytes only!!!")}, "AES-256 needs 32"},
		{server.Config{PolicyPath: "testdata/none.yaml", NoAuth: true}, "no such file"},
	} {
		if _, err := server.New(c.cfg, st); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("New(%+v) = %v, want %q", c.cfg, err, c.want)
		}
	}
}

func TestPolicyAndFacts(t *testing.T) {
	e := start(t, storetest.SQLite(t))
	r := e.api("GET", "/v1/policy", nil)
	m := r.json(t)
	if r.status != 200 || m["name"] != "mx-onboarding" || m["version"] == "" || len(m["rules"].([]any)) == 0 || len(m["hash"].(string)) != 64 {
		t.Fatalf("policy: %d %.400s", r.status, r.body)
	}
	r = e.api("GET", "/v1/facts", nil)
	var specs []map[string]any
	if err := json.Unmarshal(r.body, &specs); err != nil || len(specs) != normalizers.Catalog().Len() || specs[0]["name"] == "" || specs[0]["type"] == "" {
		t.Fatalf("facts: %v, %d specs", err, len(specs))
	}
}

// splitCase returns the results of an envelope fixture as single-result
// documents {"provider", "kind", "payload"}.
func splitCase(t *testing.T, name string) [][]byte {
	var out [][]byte
	gjson.GetBytes(fixture(t, name), "results").ForEach(func(_, v gjson.Result) bool {
		out = append(out, []byte(v.Raw))
		return true
	})
	if len(out) < 3 {
		t.Fatalf("%s has %d results", name, len(out))
	}
	return out
}

// TestCasesAccumulate adds a case's results one by one and checks that
// every result re-decides the case over all of them, that the final
// decision equals deciding the whole case at once, and the history.
func TestCasesAccumulate(t *testing.T) {
	forEachStore(t, func(t *testing.T, addr func(testing.TB) string) {
		e := start(t, addr(t))
		const id = "app/ü 42" // escaped in the URL
		path := "/v1/cases/" + url.PathEscape(id)
		results := splitCase(t, "cases/mx_full_approved.json")
		for i, res := range results {
			r := e.api("POST", path+"/results", res)
			m := r.json(t)
			if r.status != 201 || m["added"] != 1.0 || m["case_id"] != id {
				t.Fatalf("result %d: %d %.300s", i, r.status, r.body)
			}
			d := m["decision"].(map[string]any)
			if d["case_id"] != id || len(d["providers"].([]any)) == 0 {
				t.Fatalf("result %d decision: %.300s", i, r.body)
			}
			if i < len(results)-1 && d["outcome"] == "approve" {
				t.Fatalf("approved with %d of %d results: missing evidence must not approve", i+1, len(results))
			}
		}
		// Posting a result again changes nothing.
		r := e.api("POST", path+"/results", results[0])
		if m := r.json(t); r.status != 200 || m["added"] != 0.0 || m["duplicates"] != 1.0 {
			t.Fatalf("repeated result: %d %s", r.status, r.body)
		}
		if got := e.stats(); got != (store.Stats{Cases: 1, Results: int64(len(results)), Decisions: int64(len(results))}) {
			t.Fatalf("stats %+v", got)
		}

		// The accumulated decision is the decision of the whole case.
		whole := e.api("POST", "/v1/decisions", fixture(t, "cases/mx_full_approved.json")).json(t)
		r = e.api("GET", path, nil)
		c := r.json(t)
		if r.status != 200 || c["case_id"] != id {
			t.Fatalf("GET case: %d %.300s", r.status, r.body)
		}
		cur := c["decision"].(map[string]any)
		if cur["outcome"] != whole["outcome"] || cur["outcome"] != "approve" || fmt.Sprint(cur["reasons"]) != fmt.Sprint(whole["reasons"]) {
			t.Fatalf("accumulated %v %v, whole case %v %v", cur["outcome"], cur["reasons"], whole["outcome"], whole["reasons"])
		}
		hist := c["history"].([]any)
		if len(hist) != len(results) || len(c["results"].([]any)) != len(results) {
			t.Fatalf("history %d, results %d", len(hist), len(c["results"].([]any)))
		}
		for i, h := range hist {
			h := h.(map[string]any)
			p := h["policy"].(map[string]any)
			if h["seq"] != float64(i+1) || h["results"] != float64(i+1) || h["trigger"] != "result" ||
				p["name"] != "mx-onboarding" || len(p["hash"].(string)) != 64 || p["version"] == "" {
				t.Fatalf("history[%d] = %v", i, h)
			}
		}
		res0 := c["results"].([]any)[0].(map[string]any)
		if res0["source"] != "api" || res0["payload"] != nil || res0["provider"] == "" || res0["size"].(float64) == 0 || len(res0["sha256"].(string)) != 64 {
			t.Fatalf("result view: %v", res0)
		}

		// Re-deciding appends to the history.
		r = e.api("POST", path+"/decide", nil)
		if m := r.json(t); r.status != 200 || m["outcome"] != "approve" {
			t.Fatalf("redecide: %d %.200s", r.status, r.body)
		}
		c = e.api("GET", path, nil).json(t)
		if h := c["history"].([]any); len(h) != len(results)+1 || h[len(h)-1].(map[string]any)["trigger"] != "redecide" {
			t.Fatalf("history after redecide: %v", h)
		}
		for _, p := range []string{"/v1/cases/nope", "/v1/cases/nope/decide"} {
			method := "GET"
			if strings.HasSuffix(p, "decide") {
				method = "POST"
			}
			if r := e.api(method, p, nil); r.status != 404 {
				t.Errorf("%s %s: %d", method, p, r.status)
			}
		}
		if e.metric(`veredicto_decisions_total{outcome="approve",source="case"}`) < 2 {
			t.Error("stored decisions are not counted")
		}
	})
}

func TestAddResultForms(t *testing.T) {
	forEachStore(t, func(t *testing.T, addr func(testing.TB) string) {
		e := start(t, addr(t))
		jaak := fixture(t, "jaak/ofac_found.json")
		veriff := fixture(t, "veriff/mx_ine_db_verification.json")
		// A bare payload, provider told by its shape; a bare payload with
		// provider and kind; a wrapper; an envelope without case_id.
		for i, c := range []struct {
			query string
			body  []byte
		}{
			{"", veriff},
			{"?provider=jaak&kind=ofac", jaak},
			{"", []byte(`{"provider": "preventor", "payload": ` + string(fixture(t, "preventor/completed.json")) + `}`)},
			{"", []byte(`{"results": [{"payload": ` + string(fixture(t, "trully/no_threat.json")) + `}]}`)},
		} {
			r := e.api("POST", "/v1/cases/forms/results"+c.query, c.body)
			if r.status != 201 {
				t.Fatalf("form %d: %d %s", i, r.status, r.body)
			}
		}
		c, err := e.st.Case(context.Background(), "forms")
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range c.Results {
			got = append(got, r.Provider+"/"+r.Kind)
		}
		if strings.Join(got, " ") != "veriff/ jaak/ofac preventor/ trully/" {
			t.Fatalf("stored %v", got)
		}
		if !bytes.Equal(c.Results[0].Payload, veriff) {
			t.Fatal("a bare payload is not stored byte for byte")
		}
		before := e.stats()
		for _, c := range []struct {
			path, query string
			body        []byte
			status      int
			want        string
		}{
			{"forms", "", []byte(`{"case_id": "other", "results": [{"provider": "jaak", "payload": ` + string(jaak) + `}]}`), 422, "differs from the case"},
			{"forms", "?provider=jaak", []byte(`{"results": []}`), 400, "bare provider payload"},
			{"forms", "?provider=jaak", []byte(`{"organization": [}`), 422, "jaak: byte 18: malformed JSON"},
			{"forms", "?provider=jaak", []byte(`[1]`), 422, "byte 0: a case is a JSON object"},
			{"forms", "", []byte(`{"provider": "nope", "payload": {}}`), 422, `unknown provider "nope"`},
			{"forms", "", []byte(`not json`), 422, "malformed JSON"},
			// Preventor payloads of another ticket cannot join this case's.
			{"forms", "", bytes.Replace(fixture(t, "preventor/liveness_passed.json"), []byte("762ebbda"), []byte("11111111"), 1), 422, "cannot be decided together"},
			{strings.Repeat("x", 201), "", veriff, 422, "exceeds the limit of 200"},
		} {
			r := e.api("POST", "/v1/cases/"+c.path+"/results"+c.query, c.body)
			if r.status != c.status || !strings.Contains(r.errMsg(), c.want) {
				t.Errorf("%s %.40s: %d %s, want %d %q", c.query, c.body, r.status, r.body, c.status, c.want)
			}
		}
		if after := e.stats(); after != before {
			t.Fatalf("rejected results changed the store: %+v → %+v", before, after)
		}

		// POST /v1/decisions?store=true keeps an envelope under its case id.
		r := e.api("POST", "/v1/decisions?store=true", fixture(t, "cases/mx_ofac_hit.json"))
		if m := r.json(t); r.status != 200 || m["outcome"] != "reject" || r.header.Get("Location") != "/v1/cases/app-000124" {
			t.Fatalf("store=true: %d %s %.200s", r.status, r.header.Get("Location"), r.body)
		}
		if c := e.api("GET", "/v1/cases/app-000124", nil).json(t); c["decision"].(map[string]any)["outcome"] != "reject" {
			t.Fatalf("stored case: %v", c)
		}
		r = e.api("POST", "/v1/decisions?store=true&case_id=mine", fixture(t, "jaak/ofac_not_found.json"))
		if r.status != 200 || r.header.Get("Location") != "/v1/cases/mine" {
			t.Fatalf("store=true&case_id: %d %s", r.status, r.body)
		}
		r = e.api("POST", "/v1/decisions?store=true", fixture(t, "jaak/ofac_not_found.json"))
		if r.status != 422 || !strings.Contains(r.errMsg(), "no case id") {
			t.Fatalf("store=true without an id: %d %s", r.status, r.body)
		}
	})
}

// TestBodyLimits sends bodies over the limit to every endpoint that reads
// one: 413, and nothing stored.
func TestBodyLimits(t *testing.T) {
	e := start(t, storetest.SQLite(t), withMaxBody(4096))
	big := append(fixture(t, "veriff/mx_ine_db_verification.json"), bytes.Repeat([]byte(" "), 4096)...)
	for _, c := range []struct {
		path    string
		headers []string
	}{
		{"/v1/decisions", []string{"X-API-Key", apiKey}},
		{"/v1/decisions?store=true", []string{"X-API-Key", apiKey}},
		{"/v1/cases/x/results", []string{"X-API-Key", apiKey}},
		{"/v1/webhooks/veriff", signed(big)},
		{"/v1/webhooks/preventor", []string{"X-API-Key", apiKey}},
	} {
		r := e.do("POST", c.path, big, c.headers...)
		if r.status != 413 || !strings.Contains(r.errMsg(), "exceeds the limit of 4096 bytes") {
			t.Errorf("%s: %d %s", c.path, r.status, r.body)
		}
		// Without a Content-Length the limit holds while reading.
		req, _ := http.NewRequest("POST", e.url+c.path, io.MultiReader(bytes.NewReader(big)))
		req.Header.Set(c.headers[0], c.headers[1])
		req.ContentLength = -1
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 413 {
			t.Errorf("%s chunked: %d", c.path, resp.StatusCode)
		}
	}
	if got := e.stats(); got != (store.Stats{}) {
		t.Fatalf("oversized bodies stored something: %+v", got)
	}
}

// TestHotReload changes the policy file under a serving server: a good
// policy replaces the old one (by polling and by ReloadPolicy), a broken
// one does not, and every decision records the version that made it.
func TestHotReload(t *testing.T) {
	dir := t.TempDir()
	v1 := readFile(t, "testdata/small.yaml")
	path := writePolicy(t, dir, v1)
	logs := &logBuffer{}
	st, err := store.Open(context.Background(), storetest.SQLite(t))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	srv, err := server.New(server.Config{PolicyPath: path, APIKeys: []string{apiKey}, VeriffSecret: []byte(veriffSecret),
		ReloadInterval: 20 * time.Millisecond, Logger: newLogger(logs)}, st)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	}()
	e := &env{t: t, url: "http://" + ln.Addr().String(), srv: srv, st: st, logs: logs}

	veriff := fixture(t, "veriff/mx_ine_db_verification.json")
	version := func() string { return e.api("GET", "/v1/policy", nil).json(t)["version"].(string) }
	waitVersion := func(want string) {
		t.Helper()
		for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
			if version() == want {
				return
			}
		}
		t.Fatalf("policy version %s, want %s", version(), want)
	}
	decide := func(body []byte) map[string]any {
		r := e.do("POST", "/v1/webhooks/veriff", body, signed(body)...)
		if r.status != 200 {
			t.Fatalf("webhook: %d %s", r.status, r.body)
		}
		return e.api("GET", "/v1/cases/1234567890", nil).json(t)
	}
	c := decide(veriff)
	if p := c["decision"].(map[string]any)["policy"].(map[string]any); p["version"] != "1" {
		t.Fatalf("decided by %v", p)
	}

	// A new version is picked up by polling.
	writePolicy(t, dir, strings.Replace(v1, `version: "1"`, `version: "2"`, 1))
	waitVersion("2")
	if e.metric(`veredicto_policy_info{hash="`+e.api("GET", "/v1/policy", nil).json(t)["hash"].(string)+`",policy="server-test",version="2"}`) != 1 {
		t.Error("policy info gauge does not show version 2")
	}
	r := e.api("POST", "/v1/cases/1234567890/decide", nil)
	if p := r.json(t)["policy"].(map[string]any); p["version"] != "2" {
		t.Fatalf("re-decided by %v", p)
	}
	hist := e.api("GET", "/v1/cases/1234567890", nil).json(t)["history"].([]any)
	first, last := hist[0].(map[string]any)["policy"].(map[string]any), hist[len(hist)-1].(map[string]any)["policy"].(map[string]any)
	if first["version"] != "1" || last["version"] != "2" || first["hash"] == last["hash"] {
		t.Fatalf("history policies: first %v, last %v", first, last)
	}

	// A broken policy is refused: version 2 keeps deciding.
	writePolicy(t, dir, strings.Replace(v1, "veriff.status ==", "veriff.statuz ==", 1))
	for deadline := time.Now().Add(5 * time.Second); e.metric("veredicto_policy_reload_errors_total") == 0; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the broken policy was not noticed")
		}
	}
	time.Sleep(100 * time.Millisecond) // more polls of the same broken file count nothing more
	if n := e.metric("veredicto_policy_reload_errors_total"); n != 1 {
		t.Errorf("reload errors %v, want 1", n)
	}
	pv := e.api("GET", "/v1/policy", nil).json(t)
	if pv["version"] != "2" || !strings.Contains(pv["last_reload"].(map[string]any)["error"].(string), "unknown fact veriff.statuz") {
		t.Fatalf("after a broken reload: %v", pv)
	}
	if err := srv.ReloadPolicy(); err == nil || !strings.Contains(err.Error(), "policy.yaml:") {
		t.Fatalf("ReloadPolicy of a broken file: %v", err)
	}
	if r := e.api("POST", "/v1/cases/1234567890/decide", nil); r.json(t)["policy"].(map[string]any)["version"] != "2" {
		t.Fatal("a broken policy replaced the good one")
	}
	if !strings.Contains(logs.String(), `"msg":"policy reload failed: the previous policy keeps deciding"`) {
		t.Fatal("the failed reload was not logged")
	}
	// A missing file is an error too, and the old policy stays.
	os.Remove(path)
	if err := srv.ReloadPolicy(); err == nil || version() != "2" {
		t.Fatalf("missing file: %v, version %s", err, version())
	}
	// Fixed: version 3 by an explicit reload (what SIGHUP does).
	writePolicy(t, dir, strings.Replace(v1, `version: "1"`, `version: "3"`, 1))
	if err := srv.ReloadPolicy(); err != nil || version() != "3" {
		t.Fatalf("reload: %v, version %s", err, version())
	}
	if e.metric("veredicto_policy_reloads_total") < 2 {
		t.Error("successful reloads are not counted")
	}
}

// TestGracefulShutdown starts a request, stops the server while the
// request body is still arriving, and checks that the request is answered
// in full and that new connections are refused.
func TestGracefulShutdown(t *testing.T) {
	st, err := store.Open(context.Background(), storetest.SQLite(t))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	logs := &logBuffer{}
	srv, err := server.New(server.Config{PolicyPath: standardPolicy, APIKeys: []string{apiKey}, Logger: newLogger(logs)}, st)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()

	doc := fixture(t, "cases/mx_full_approved.json")
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	head := fmt.Sprintf("POST /v1/cases/app-000123/results HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Length: %d\r\n\r\n", apiKey, len(doc))
	if _, err := io.WriteString(conn, head+string(doc[:100])); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond) // the server has accepted the request
	cancel()
	time.Sleep(100 * time.Millisecond)
	if c, err := net.DialTimeout("tcp", ln.Addr().String(), time.Second); err == nil {
		c.Close()
		t.Error("a new connection was accepted during shutdown")
	}
	select {
	case err := <-done:
		t.Fatalf("Serve returned before the accepted request finished: %v", err)
	default:
	}
	if _, err := conn.Write(doc[100:]); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufioReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 201 {
		t.Fatalf("the accepted request got %d", resp.StatusCode)
	}
	if err := <-done; err != nil {
		t.Fatalf("Serve: %v", err)
	}
	if s, _ := st.Stats(context.Background()); s.Results != int64(len(splitCase(t, "cases/mx_full_approved.json"))) {
		t.Fatalf("the accepted request's results are not stored: %+v", s)
	}
	if !strings.Contains(logs.String(), `"msg":"stopped"`) {
		t.Error("no stop logged")
	}
	if strings.Contains(logs.String(), `"msg":"draining`) {
		t.Error("a drain without a drain delay")
	}
}

// TestNoPersonalDataInLogs runs webhooks and API calls whose payloads hold
// names, CURPs and document numbers, including failures, and searches the
// logs for them.
func TestNoPersonalDataInLogs(t *testing.T) {
	e := start(t, storetest.SQLite(t))
	full := fixture(t, "cases/mx_full_approved.json")
	veriff := fixture(t, "veriff/mx_ine_db_verification.json")
	e.api("POST", "/v1/decisions", full)
	e.api("POST", "/v1/decisions?store=true", full)
	e.api("POST", "/v1/cases/c1/results", veriff)
	e.do("POST", "/v1/webhooks/veriff", veriff, signed(veriff)...)
	e.do("POST", "/v1/webhooks/veriff", veriff, "X-HMAC-SIGNATURE", "00")
	e.api("POST", "/v1/decisions", append(veriff[:len(veriff)-3:len(veriff)-3], ",,}"...))
	logs := e.logs.String()
	if !strings.Contains(logs, `"msg":"request"`) {
		t.Fatal("no access log")
	}
	var secrets []string
	for _, doc := range [][]byte{full, veriff} {
		for _, p := range []string{"..idNumber", "..firstName", "..lastName", "..number", "..curp", "..full_name", "..dateOfBirth"} {
			gjson.GetBytes(doc, p).ForEach(func(_, v gjson.Result) bool {
				if len(v.Str) >= 6 {
					secrets = append(secrets, v.Str)
				}
				return true
			})
		}
	}
	secrets = append(secrets, "ROLJ880912HJCDPN08", "RODRIGUEZ")
	for _, s := range secrets {
		if strings.Contains(logs, s) {
			t.Errorf("the logs contain personal data %q", s)
		}
	}
	if strings.Contains(logs, veriffSecret) || strings.Contains(logs, apiKey) {
		t.Error("the logs contain a secret")
	}
}

func TestSecretsFromEnv(t *testing.T) {
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "key")
	os.WriteFile(keyFile, []byte(strings.Repeat("ab", 32)+"\n"), 0o600)
	t.Setenv(server.EnvAPIKeys, "k1-0123456789abcdef, k2-0123456789abcdef,")
	t.Setenv(server.EnvVeriffSecret, "s3cr3t")
	t.Setenv(server.EnvPreventorKey+"_FILE", keyFile)
	var cfg server.Config
	if err := server.SecretsFromEnv(&cfg); err != nil {
		t.Fatal(err)
	}
	if len(cfg.APIKeys) != 2 || cfg.APIKeys[1] != "k2-0123456789abcdef" || string(cfg.VeriffSecret) != "s3cr3t" || len(cfg.PreventorKey) != 32 || cfg.PreventorKey[0] != 0xab {
		t.Fatalf("%+v", cfg)
	}
	t.Setenv(server.EnvPreventorKey, "x")
	if err := server.SecretsFromEnv(&server.Config{}); err == nil || !strings.Contains(err.Error(), "use one") {
		t.Fatalf("both set: %v", err)
	}
	t.Setenv(server.EnvPreventorKey+"_FILE", "")
	if err := server.SecretsFromEnv(&server.Config{}); err == nil || !strings.Contains(err.Error(), "32 bytes") {
		t.Fatalf("short key: %v", err)
	}
}
