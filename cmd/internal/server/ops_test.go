package server_test

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/veredicto/veredicto/cmd/internal/server"
	"github.com/veredicto/veredicto/cmd/internal/store/storetest"
)

// TestProblems sends a request for every error the server answers and
// checks each is an RFC 9457 problem with its stable type, the request
// id and, for payload errors, the position.
func TestProblems(t *testing.T) {
	e := start(t, storetest.SQLite(t), withMaxBody(8<<10), withKeys(apiKey, "reader:"+readerKey+":read-decisions"))
	ep := start(t, storetest.SQLite(t), withPreventorKey, func(c *server.Config) { c.VeriffSecret = nil })
	jaak := fixture(t, "jaak/ofac_found.json")
	key := bearer(apiKey)
	cases := []struct {
		e       *env
		method  string
		path    string
		body    string
		headers []string
		status  int
		code    string
	}{
		{e, "POST", "/v1/decisions?trace=maybe", "{}", key, 400, "invalid-query"},
		{e, "GET", "/v1/cases/x?limit=1000", "", key, 400, "invalid-query"},
		{ep, "POST", "/v1/webhooks/preventor/" + preventorToken, "bm90IGNpcGhlcg==", []string{server.PreventorIVHeader, "AAAAAAAAAAAAAAAAAAAAAA=="}, 400, "undecryptable"},
		{e, "POST", "/v1/decisions", "{}", nil, 401, "unauthenticated"},
		{e, "POST", "/v1/webhooks/veriff", "{}", []string{"X-HMAC-SIGNATURE", "00"}, 401, "bad-signature"},
		{e, "POST", "/v1/decisions", "{}", bearer(readerKey), 403, "forbidden"},
		{e, "GET", "/v1/cases/none", "", key, 404, "not-found"},
		{e, "POST", "/v1/cases/none/decide", "", key, 404, "not-found"},
		{e, "GET", "/v2/anything", "", key, 404, "no-such-route"},
		{ep, "POST", "/v1/webhooks/preventor", "{}", nil, 404, "no-such-route"},
		{ep, "POST", "/v1/webhooks/preventor/wrong-token", "{}", nil, 404, "no-such-route"},
		{ep, "POST", "/v1/webhooks/veriff", "{}", nil, 404, "webhook-disabled"},
		{e, "PUT", "/v1/decisions", "", key, 405, "method-not-allowed"},
		{e, "POST", "/v1/decisions", strings.Repeat(" ", 9<<10), key, 413, "too-large"},
		{e, "POST", "/v1/cases/x/results?provider=jaak", `{"organization": [}`, key, 422, "unreadable"},
		{e, "POST", "/v1/decisions?store=true", string(jaak), key, 422, "no-case-id"},
		{e, "POST", "/v1/cases/" + strings.Repeat("x", 201) + "/results", string(jaak), append(key, "X-Unused", "1"), 422, "invalid-case-id"},
		{e, "POST", "/v1/cases/x/results", `{"case_id": "y", "results": [{"provider": "jaak", "payload": ` + string(jaak) + `}]}`, key, 422, "case-id-mismatch"},
		{e, "POST", "/v1/webhooks/veriff", string(fixture(t, "preventor/completed.json")), signed(fixture(t, "preventor/completed.json")), 422, "wrong-provider"},
	}
	seen := map[string]bool{}
	for i, c := range cases {
		id := "problem-" + string(rune('a'+i))
		r := c.e.do(c.method, c.path, []byte(c.body), append([]string{server.RequestIDHeader, id}, c.headers...)...)
		var p map[string]any
		if err := json.Unmarshal(r.body, &p); err != nil || r.status != c.status || p["code"] != c.code {
			t.Errorf("%s %.40s: %d %s, want %d %s", c.method, c.path, r.status, r.body, c.status, c.code)
			continue
		}
		u, _ := url.Parse(c.path)
		instance := u.EscapedPath()
		if strings.HasPrefix(instance, "/v1/webhooks/preventor/") {
			instance = "/v1/webhooks/preventor/{token}" // the secret is never echoed
		}
		if r.header.Get("Content-Type") != "application/problem+json" || p["type"] != server.ProblemTypePrefix+c.code ||
			p["title"] == "" || p["detail"] == "" || p["status"] != float64(c.status) || p["instance"] != instance ||
			p["request_id"] != id || r.header.Get(server.RequestIDHeader) != id {
			t.Errorf("%s %.40s: not a full problem: %s %s", c.method, c.path, r.header.Get("Content-Type"), r.body)
		}
		if c.code == "unreadable" && (p["provider"] != "jaak" || p["offset"] != 18.0) {
			t.Errorf("unreadable payload without its position: %s", r.body)
		}
		if strings.Contains(string(r.body), preventorToken) {
			t.Errorf("the problem echoes the Preventor token: %s", r.body)
		}
		seen[c.code] = true
	}
	// 422 undecidable: two Preventor tickets in one case.
	pv := fixture(t, "preventor/liveness_passed.json")
	e.api("POST", "/v1/cases/two/results", pv)
	other := strings.Replace(string(pv), "762ebbda", "11111111", 1)
	if r := e.api("POST", "/v1/cases/two/results", []byte(other)); r.status != 422 || r.json(t)["code"] != "undecidable" {
		t.Errorf("undecidable: %d %s", r.status, r.body)
	}
	seen["undecidable"] = true
	// 503 store-unavailable: the store is gone.
	es := start(t, storetest.SQLite(t))
	_ = es.st.Close()
	for _, c := range []struct{ method, path string }{{"GET", "/v1/cases/x"}, {"GET", "/readyz"}, {"POST", "/v1/cases/x/decide"}} {
		if r := es.api(c.method, c.path, nil); r.status != 503 || r.json(t)["code"] != "store-unavailable" {
			t.Errorf("%s %s with a closed store: %d %s", c.method, c.path, r.status, r.body)
		}
	}
	seen["store-unavailable"] = true
	// shutting-down is TestDrain's; internal and unreadable-body are
	// TestFailInternal's (they cannot be caused from outside).
	seen["shutting-down"], seen["internal"], seen["unreadable-body"] = true, true, true
	for _, c := range server.ProblemCodes() {
		if !seen[c] {
			t.Errorf("problem code %s is never exercised", c)
		}
	}
}

// TestRequestIDs: a sane X-Request-Id is kept, anything else replaced by a
// generated one; either is answered and is in every log line of the request.
func TestRequestIDs(t *testing.T) {
	e := start(t, storetest.SQLite(t))
	veriff := fixture(t, "veriff/mx_ine_db_verification.json")
	for _, id := range []string{"abc-123", "A.b_c~d+e/f=g:h@i", strings.Repeat("x", server.MaxRequestIDLen)} {
		r := e.do("POST", "/v1/webhooks/veriff", veriff, server.RequestIDHeader, id, "X-HMAC-SIGNATURE", "00")
		if r.header.Get(server.RequestIDHeader) != id || r.json(t)["request_id"] != id {
			t.Errorf("%q: answered %q %s", id, r.header.Get(server.RequestIDHeader), r.body)
		}
	}
	generated := map[string]bool{}
	for _, id := range []string{"", strings.Repeat("x", server.MaxRequestIDLen+1), "a b", `a"b`, "a\tb", "ü", "a,b", "<script>"} {
		r := e.do("GET", "/v1/policy", nil, server.RequestIDHeader, id, "X-API-Key", apiKey)
		got := r.header.Get(server.RequestIDHeader)
		if got == id || len(got) != 32 || strings.Trim(got, "0123456789abcdef") != "" || generated[got] {
			t.Errorf("%q: request id %q, want a fresh generated one", id, got)
		}
		generated[got] = true
	}
	// Every line of a request's work carries its id: the webhook's warning,
	// the store error and the access log.
	_ = e.st.Close()
	e.api("GET", "/v1/cases/x", nil, server.RequestIDHeader, "store-down-1")
	lines := 0
	for _, line := range strings.Split(strings.TrimSpace(e.logs.String()), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatal(err)
		}
		if rec["msg"] == "policy loaded" {
			continue
		}
		lines++
		if id, _ := rec["request_id"].(string); id == "" {
			t.Errorf("a log line without request_id: %s", line)
		}
	}
	for _, want := range []string{`"msg":"webhook refused: bad signature"`, `"msg":"store error"`} {
		if !strings.Contains(e.logs.String(), want) {
			t.Errorf("no %s line", want)
		}
	}
	if lines < 14 {
		t.Errorf("only %d log lines", lines)
	}
}

// TestMetricsLabels: the latency metric is labelled by method and route
// pattern; a case id or unknown path never becomes a label value.
func TestMetricsLabels(t *testing.T) {
	e := start(t, storetest.SQLite(t))
	e.api("POST", "/v1/cases/case-id-7f3a9/results", fixture(t, "jaak/ofac_found.json"))
	e.api("GET", "/v1/cases/case-id-7f3a9", nil)
	e.api("GET", "/v1/cases/unknown-case-b2c4", nil)
	e.api("BREW", "/v1/cases/case-id-7f3a9", nil)
	e.api("GET", "/v1/no/such/path-e8d1", nil)
	body := string(e.api("GET", "/metrics", nil).body)
	for _, s := range []string{"case-id-7f3a9", "unknown-case-b2c4", "path-e8d1", "BREW"} {
		if strings.Contains(body, s) {
			t.Errorf("/metrics holds %q", s)
		}
	}
	for _, series := range []string{
		`veredicto_http_request_duration_seconds_count{code="201",method="POST",route="/v1/cases/{id}/results"}`,
		`veredicto_http_request_duration_seconds_count{code="200",method="GET",route="/v1/cases/{id}"}`,
		`veredicto_http_request_duration_seconds_count{code="404",method="GET",route="/v1/cases/{id}"}`,
		`veredicto_http_request_duration_seconds_count{code="405",method="other",route="/v1/cases/{id}"}`,
		`veredicto_http_request_duration_seconds_count{code="404",method="GET",route="other"}`,
	} {
		if e.metric(series) != 1 {
			t.Errorf("%s = %v, want 1", series, e.metric(series))
		}
	}
}

// serveReal runs the server on real loopback listeners; metrics gets its
// own when separate.
func serveReal(t *testing.T, cfg server.Config) (url, metricsURL string, cancel func(), done chan error) {
	t.Helper()
	cfg.PolicyPath, cfg.Logger = standardPolicy, newLogger(&logBuffer{})
	if cfg.APIKeys == nil {
		cfg.APIKeys = []string{apiKey}
	}
	srv, err := server.New(cfg, openStore(t))
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mln net.Listener
	if cfg.MetricsAddr != "" {
		if mln, err = net.Listen("tcp", "127.0.0.1:0"); err != nil {
			t.Fatal(err)
		}
		metricsURL = "http://" + mln.Addr().String()
	}
	ctx, cancel := context.WithCancel(context.Background())
	done = make(chan error, 1)
	go func() { done <- srv.ServeAll(ctx, ln, mln) }()
	t.Cleanup(func() { cancel(); <-done })
	return "http://" + ln.Addr().String(), metricsURL, cancel, done
}

func get(t *testing.T, url string, headers ...string) int {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestMetricsListener: with a metrics address /metrics is there without a
// key and nowhere else; without one it is on the main listener behind a key.
func TestMetricsListener(t *testing.T) {
	u, m, _, _ := serveReal(t, server.Config{MetricsAddr: "127.0.0.1:0"})
	if s := get(t, m+"/metrics"); s != 200 {
		t.Errorf("metrics listener /metrics without a key: %d", s)
	}
	if s := get(t, m+"/v1/policy", "X-API-Key", apiKey); s != 404 {
		t.Errorf("metrics listener serves the API: %d", s)
	}
	if s := get(t, u+"/metrics", "X-API-Key", apiKey); s != 404 {
		t.Errorf("main listener /metrics with a separate metrics listener: %d", s)
	}
	u, _, _, _ = serveReal(t, server.Config{})
	if s, sk := get(t, u+"/metrics"), get(t, u+"/metrics", "X-API-Key", apiKey); s != 401 || sk != 200 {
		t.Errorf("main listener /metrics: %d without a key, %d with", s, sk)
	}
}

// TestDrain stops a real server with a drain delay: /readyz turns 503 at
// once while other requests still succeed, then the listener closes.
func TestDrain(t *testing.T) {
	const drain = 700 * time.Millisecond
	u, _, cancel, done := serveReal(t, server.Config{DrainDelay: drain})
	if s := get(t, u+"/readyz"); s != 200 {
		t.Fatalf("readyz before: %d", s)
	}
	stopped := time.Now()
	cancel()
	time.Sleep(50 * time.Millisecond)
	var during []int
	for time.Since(stopped) < drain-200*time.Millisecond {
		during = append(during, get(t, u+"/readyz"), get(t, u+"/v1/policy", "X-API-Key", apiKey))
		time.Sleep(50 * time.Millisecond)
	}
	for i, s := range during {
		if want := []int{503, 200}[i%2]; s != want {
			t.Fatalf("during the drain: %v (readyz, policy pairs), want 503 then 200", during)
		}
	}
	if len(during) < 4 {
		t.Fatalf("too few requests in the drain: %v", during)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
		done <- nil // for the cleanup
	case <-time.After(5 * time.Second):
		t.Fatal("Serve did not return after the drain")
	}
	if took := time.Since(stopped); took < drain {
		t.Errorf("stopped after %v, before the drain of %v", took, drain)
	}
	if s := get(t, u+"/healthz"); s != 0 {
		t.Errorf("the listener still answers after the drain: %d", s)
	}
}

// TestServeListenerFails: when the main listener fails, ServeAll returns
// its error at once and closes the metrics listener too.
func TestServeListenerFails(t *testing.T) {
	srv, err := server.New(server.Config{PolicyPath: standardPolicy, APIKeys: []string{apiKey}, Logger: newLogger(&logBuffer{})}, openStore(t))
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	mln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	metricsURL := "http://" + mln.Addr().String() + "/metrics"
	ln.Close()
	done := make(chan error, 1)
	go func() { done <- srv.ServeAll(t.Context(), ln, mln) }()
	select {
	case err := <-done:
		if err == nil || errors.Is(err, http.ErrServerClosed) {
			t.Fatalf("ServeAll on a closed listener: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("ServeAll did not return when its listener failed")
	}
	if s := get(t, metricsURL); s != 0 {
		t.Errorf("the metrics listener still answers: %d", s)
	}
}
