package server_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/veredicto/veredicto/cmd/internal/server"
	"github.com/veredicto/veredicto/cmd/internal/store"
	"github.com/veredicto/veredicto/cmd/internal/store/storetest"
	"github.com/veredicto/veredicto/fixtures"
)

const (
	apiKey       = "test-key-0123456789abcdef"
	secondKey    = "second-key-0123456789abcdef"
	veriffSecret = "veriff-shared-secret"
)

// preventorKey is the AES-256 key of the tests, configured as hex.
var preventorKey = bytes.Repeat([]byte{0x5a, 0x17}, 16)

// standardPolicy is the project's standard policy.
const standardPolicy = "../../../policies/mx-onboarding.yaml"

var backends = []struct {
	name string
	addr func(testing.TB) string
}{
	{"sqlite", storetest.SQLite},
	{"postgres", storetest.Postgres},
}

// forEachStore runs f once per store backend.
func forEachStore(t *testing.T, f func(t *testing.T, addr func(testing.TB) string)) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			if b.name == "postgres" {
				storetest.SkipWithoutPostgres(t)
			}
			f(t, b.addr)
		})
	}
}

// logBuffer collects the server's log lines, safely for concurrent writes.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// env is a running server on a real loopback listener over a real store.
type env struct {
	t      testing.TB
	url    string
	srv    *server.Server
	st     store.Store
	logs   *logBuffer
	policy string // path of the policy file the server reads
}

type option func(*server.Config)

func withPreventorKey(c *server.Config) {
	c.PreventorKey, c.PreventorToken = preventorKey, []byte(preventorToken)
}

// preventorToken is the secret last segment of the Preventor webhook URL.
const preventorToken = "t0k3n-only-preventor-knows"

func withMaxBody(n int64) option { return func(c *server.Config) { c.MaxBodyBytes = n } }

func start(t testing.TB, addr string, opts ...option) *env {
	t.Helper()
	logs := &logBuffer{}
	cfg := server.Config{
		PolicyPath:   standardPolicy,
		APIKeys:      []string{apiKey, secondKey},
		VeriffSecret: []byte(veriffSecret),
		AccessLog:    !isBenchmark(t),
		Logger:       newLogger(logs),
	}
	for _, o := range opts {
		o(&cfg)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	st, err := store.Open(ctx, addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	srv, err := server.New(cfg, st)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return &env{t: t, url: ts.URL, srv: srv, st: st, logs: logs, policy: cfg.PolicyPath}
}

// reply is an HTTP answer.
type reply struct {
	status int
	header http.Header
	body   []byte
}

func (r reply) json(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("status %d, body not JSON: %v: %s", r.status, err, r.body)
	}
	return m
}

// errMsg returns the detail of a problem answer.
func (r reply) errMsg() string {
	var e struct{ Detail string }
	_ = json.Unmarshal(r.body, &e)
	return e.Detail
}

// do sends a request; headers are name, value pairs, set verbatim (so that
// a lower-case name goes on the wire as written).
func (e *env) do(method, path string, body []byte, headers ...string) reply {
	e.t.Helper()
	req, err := http.NewRequest(method, e.url+path, bytes.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header[headers[i]] = append(req.Header[headers[i]], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return reply{resp.StatusCode, resp.Header, b}
}

// api sends a request with the API key.
func (e *env) api(method, path string, body []byte, headers ...string) reply {
	e.t.Helper()
	return e.do(method, path, body, append([]string{"Authorization", "Bearer " + apiKey}, headers...)...)
}

func (e *env) stats() store.Stats {
	e.t.Helper()
	s, err := e.st.Stats(context.Background())
	if err != nil {
		e.t.Fatal(err)
	}
	return s
}

// metric returns the value of one sample of /metrics, 0 when absent.
func (e *env) metric(series string) float64 {
	e.t.Helper()
	r := e.api("GET", "/metrics", nil)
	if r.status != 200 {
		e.t.Fatalf("/metrics: %d", r.status)
	}
	sc := bufio.NewScanner(bytes.NewReader(r.body))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), series+" "); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				e.t.Fatal(err)
			}
			return f
		}
	}
	return 0
}

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := fixtures.Read(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// copyPolicy writes src (a file path or YAML text) into a temporary file
// and returns its path.
func writePolicy(t testing.TB, dir, text string) string {
	t.Helper()
	p := filepath.Join(dir, "policy.yaml")
	if err := os.WriteFile(p+".tmp", []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(p+".tmp", p); err != nil {
		t.Fatal(err)
	}
	return p
}

func readFile(t testing.TB, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func isBenchmark(t testing.TB) bool { _, ok := t.(*testing.B); return ok }

func newLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

func bufioReader(r io.Reader) *bufio.Reader { return bufio.NewReader(r) }

// signed returns the header pair of a good Veriff signature of body.
func signed(body []byte) []string {
	return []string{"X-HMAC-SIGNATURE", server.SignVeriff([]byte(veriffSecret), body)}
}
