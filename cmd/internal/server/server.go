// Package server is the HTTP decision service behind `veredicto serve`.
//
// It decides cases on request (POST /v1/decisions), accumulates provider
// results under case ids in a store and re-decides a case on every new
// result (POST /v1/cases/{id}/results), and ingests providers' webhooks:
// Veriff's, signed with HMAC-SHA256 over the raw body, and Preventor's,
// optionally AES-256-CBC encrypted. A webhook is answered 2xx only once its
// result and the decision it caused are committed; a repeated delivery is
// recognised by its dedupe key and changes nothing.
//
// The policy is compiled once and swapped atomically when its file changes
// (polled by content hash) or on SIGHUP; a policy that does not compile
// never replaces the one deciding. Every decision names the policy version
// and hash that made it.
//
// Logs are JSON (log/slog) and never carry payloads or anything read from
// them other than case ids; errors sent to clients may quote their own
// input but are not logged.
package server

import (
	"context"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/veredicto/veredicto/cmd/internal/store"
	"github.com/veredicto/veredicto/normalizers"
)

// Config configures a Server. Secrets come from the environment (see the
// serve command), never from flags.
type Config struct {
	Addr       string // listen address, e.g. 127.0.0.1:8080
	PolicyPath string
	StoreAddr  string // for Run: sqlite:PATH or postgres://...

	// APIKeys guard every endpoint but the webhooks, /healthz, /readyz
	// and /openapi.json. Each entry is KEY, NAME:KEY or
	// NAME:KEY:SCOPE+SCOPE (see parseKey). NoAuth serves without keys, and
	// is refused together with keys.
	APIKeys []string
	NoAuth  bool
	// VeriffSecret is the shared secret of Veriff's webhook signatures;
	// without it the Veriff webhook is disabled.
	VeriffSecret []byte
	// PreventorKey is the AES-256 key of Preventor webhooks (see
	// ParsePreventorKey). Without it Preventor webhooks are plain JSON and
	// need an API key like the other endpoints.
	PreventorKey []byte
	// PreventorToken is the secret last segment of the Preventor webhook
	// URL (/v1/webhooks/preventor/{token}). Preventor encrypts but signs
	// nothing, so with a key the token is required: it is what an
	// attacker who never saw a genuine delivery cannot forge.
	PreventorToken []byte

	MaxBodyBytes      int64         // request body limit (413 beyond)
	ReadHeaderTimeout time.Duration // time to read request headers
	ReadTimeout       time.Duration // time to read a whole request
	WriteTimeout      time.Duration // time from the end of the headers to the end of the response
	IdleTimeout       time.Duration // keep-alive connections idle longer are closed
	ShutdownTimeout   time.Duration // how long accepted requests may take to finish on shutdown
	ReloadInterval    time.Duration // how often the policy file is checked; 0 disables polling
	AccessLog         bool          // log every request
	// DrainDelay is how long /readyz answers 503 after the stop signal
	// while requests are still served, before the listener closes, so that
	// a load balancer stops sending work first.
	DrainDelay time.Duration
	// MetricsAddr, when set, serves /metrics on a listener of its own
	// without an API key, and not on the main one; when empty /metrics is
	// on the main listener behind an API key.
	MetricsAddr string
	// StoreWait is how long Run waits for a store that cannot be reached
	// yet (a database starting beside it), retrying with backoff; zero
	// tries once.
	StoreWait time.Duration
	// TrustAPI names the providers whose results submitted through the
	// API count beside the ones they delivered by webhook. By default a
	// provider's webhook deliveries outrank its API submissions.
	TrustAPI map[string]bool
	// AllowShrink accepts a reloaded policy with fewer than half of the
	// current one's rules, requirements and scores (refused by default).
	AllowShrink bool

	Logger *slog.Logger
}

// Defaults for the zero fields of a Config.
const (
	DefaultMaxBodyBytes      = 1 << 20
	DefaultReadHeaderTimeout = 5 * time.Second
	DefaultReadTimeout       = 30 * time.Second
	DefaultWriteTimeout      = 30 * time.Second
	DefaultIdleTimeout       = 120 * time.Second
	DefaultShutdownTimeout   = 30 * time.Second
	DefaultReloadInterval    = 2 * time.Second
)

func (c *Config) defaults() {
	set := func(d *time.Duration, v time.Duration) {
		if *d == 0 {
			*d = v
		}
	}
	set(&c.ReadHeaderTimeout, DefaultReadHeaderTimeout)
	set(&c.ReadTimeout, DefaultReadTimeout)
	set(&c.WriteTimeout, DefaultWriteTimeout)
	set(&c.IdleTimeout, DefaultIdleTimeout)
	set(&c.ShutdownTimeout, DefaultShutdownTimeout)
	if c.MaxBodyBytes <= 0 {
		c.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.NewJSONHandler(os.Stderr, nil))
	}
}

// Server is the decision service.
type Server struct {
	cfg      Config
	log      *slog.Logger
	store    store.Store
	pol      *policies
	m        *metrics
	keys     *keyring
	handler  http.Handler
	metrics  http.Handler // the handler of the metrics listener
	stopping atomic.Bool
	facts    []byte // GET /v1/facts, encoded once
}

// New builds a server over an open store. It fails when the policy does
// not load or the configuration is inconsistent.
func New(cfg Config, st store.Store) (*Server, error) {
	s, err := newServer(cfg)
	if err != nil {
		return nil, err
	}
	s.store = st
	return s, nil
}

// newServer checks the configuration and loads the policy; the store comes
// after, so that a bad configuration creates no database.
func newServer(cfg Config) (*Server, error) {
	cfg.defaults()
	s := &Server{cfg: cfg, log: slog.New(ctxHandler{cfg.Logger.Handler()}), m: newMetrics()}
	switch {
	case len(cfg.APIKeys) == 0 && !cfg.NoAuth:
		return nil, errors.New("no API keys: set VEREDICTO_API_KEYS (comma-separated keys), or --no-auth for a local test server")
	case len(cfg.APIKeys) > 0 && cfg.NoAuth:
		return nil, errors.New("both API keys (VEREDICTO_API_KEYS) and --no-auth are set: --no-auth would open every endpoint; use one")
	case cfg.DrainDelay < 0:
		return nil, errors.New("the drain delay is negative")
	}
	var err error
	if s.keys, err = newKeyring(cfg.APIKeys); err != nil {
		return nil, err
	}
	if cfg.PreventorKey != nil && len(cfg.PreventorKey) != 32 {
		return nil, fmt.Errorf("the Preventor key is %d bytes, AES-256 needs 32", len(cfg.PreventorKey))
	}
	if cfg.PreventorKey != nil && len(cfg.PreventorToken) < MinAPIKeyLen {
		return nil, fmt.Errorf("%s needs %s of at least %d characters: Preventor signs nothing, so the webhook URL carries a secret token (e.g. openssl rand -hex 32)", EnvPreventorKey, EnvPreventorToken, MinAPIKeyLen)
	}
	if s.pol, err = newPolicies(cfg.PolicyPath, cfg.AllowShrink, s.log, s.m); err != nil {
		return nil, err
	}
	if s.facts, err = json.Marshal(normalizers.Catalog().Specs()); err != nil {
		return nil, err
	}
	s.handler = s.mux(s.table())
	s.metrics = s.mux([]route{{method: "GET", path: "/metrics", h: s.metricsHandler().ServeHTTP}})
	return s, nil
}

// Handler returns the HTTP handler of the service.
func (s *Server) Handler() http.Handler { return s.handler }

// MetricsHandler returns the handler of the metrics listener: /metrics
// without an API key (see Config.MetricsAddr).
func (s *Server) MetricsHandler() http.Handler { return s.metrics }

// ReloadPolicy reloads the policy file now, as SIGHUP does. On error the
// previous policy keeps deciding.
func (s *Server) ReloadPolicy() error { return s.pol.reload(true) }

// WatchPolicy polls the policy file every interval until ctx ends.
func (s *Server) WatchPolicy(ctx context.Context, interval time.Duration) { s.pol.watch(ctx, interval) }

// route is one endpoint of the service. The mux is built from the route
// table, and so is the test that checks the OpenAPI document against the
// server.
type route struct {
	method, path string
	auth         bool  // needs an API key
	scope        scope // ...holding these scopes
	h            http.HandlerFunc
}

// table returns the routes of the main listener.
func (s *Server) table() []route {
	api := func(method, path string, sc scope, h http.HandlerFunc) route {
		return route{method: method, path: path, auth: true, scope: sc, h: h}
	}
	open := func(method, path string, h http.HandlerFunc) route { return route{method: method, path: path, h: h} }
	t := []route{
		api("POST", "/v1/decisions", scopeDecide, s.handleDecisions),
		api("POST", "/v1/cases/{id}/results", scopeIngest, s.handleAddResults),
		api("POST", "/v1/cases/{id}/decide", scopeIngest, s.handleRedecide),
		api("GET", "/v1/cases/{id}", scopeReadDecisions, s.handleCase),
		api("GET", "/v1/policy", scopeAny, s.handlePolicy),
		api("GET", "/v1/facts", scopeAny, s.handleFacts),
		open("POST", "/v1/webhooks/veriff", s.handleVeriff),
		open("GET", "/healthz", func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, 200, []byte(`{"status":"ok"}`)) }),
		open("GET", "/readyz", s.handleReady),
		open("GET", "/openapi.json", s.handleOpenAPI),
	}
	if s.cfg.MetricsAddr == "" {
		t = append(t, api("GET", "/metrics", scopeAny, s.metricsHandler().ServeHTTP))
	}
	if s.cfg.PreventorKey != nil {
		t = append(t,
			open("POST", "/v1/webhooks/preventor/{token}", s.handlePreventor),
			open("POST", "/v1/webhooks/preventor", func(w http.ResponseWriter, _ *http.Request) {
				s.fail(w, &inputError{status: 404, code: codeNoSuchRoute, msg: "the Preventor webhook URL ends with its secret token: /v1/webhooks/preventor/{token}"})
			}))
	} else {
		t = append(t, api("POST", "/v1/webhooks/preventor", scopeIngest, s.handlePreventor))
	}
	return t
}

func (s *Server) metricsHandler() http.Handler {
	return promhttp.HandlerFor(s.m.reg, promhttp.HandlerOpts{ErrorLog: slog.NewLogLogger(s.log.Handler(), slog.LevelError)})
}

// mux serves a route table; other methods on a known path get 405 and
// unknown paths 404, as problems too.
func (s *Server) mux(table []route) http.Handler {
	mux := http.NewServeMux()
	allowed := map[string][]string{}
	var paths []string
	for _, rt := range table {
		var h http.Handler = rt.h
		if rt.auth {
			h = s.auth(rt.scope, rt.h)
		}
		mux.Handle(rt.method+" "+rt.path, h)
		if allowed[rt.path] == nil {
			paths = append(paths, rt.path)
		}
		allowed[rt.path] = append(allowed[rt.path], rt.method)
	}
	for _, path := range paths {
		methods := strings.Join(allowed[path], ", ")
		mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Allow", methods)
			s.fail(w, &inputError{status: 405, code: codeMethodNotAllowed, msg: r.Method + " is not allowed here (allowed: " + methods + ")"})
		})
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { s.fail(w, noSuchRoute(r)) })
	return s.instrument(mux)
}

func noSuchRoute(r *http.Request) *inputError {
	return &inputError{status: 404, code: codeNoSuchRoute, msg: "no such endpoint: " + r.Method + " " + redactPath(r.URL.EscapedPath())}
}

func noCase(id string) *inputError {
	return &inputError{status: 404, code: codeNotFound, msg: "no case " + strconv.Quote(id)}
}

// redactPath hides the secret token of a Preventor webhook URL.
func redactPath(p string) string {
	const prefix = "/v1/webhooks/preventor/"
	if strings.HasPrefix(p, prefix) {
		return prefix + "{token}"
	}
	return p
}

// noAuthKey is the identity of every request with --no-auth.
var noAuthKey = &apiKey{name: "no-auth", scopes: allScopes}

// auth lets a request through when it carries an API key with the scopes
// need: 401 without a known key, 403 without the scopes. With NoAuth (and
// then no keys: New refuses both) every request has every scope.
func (s *Server) auth(need scope, h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		k := noAuthKey
		if !s.cfg.NoAuth {
			if k = s.keys.lookup(r); k == nil {
				w.Header().Set("WWW-Authenticate", `Bearer realm="veredicto"`)
				s.fail(w, &inputError{status: 401, code: codeUnauthenticated, msg: "missing or unknown API key (Authorization: Bearer KEY or X-API-Key: KEY)"})
				return
			}
		}
		rec, _ := w.(*recorder)
		if rec != nil {
			rec.key = k
		}
		if !k.scopes.has(need) {
			s.forbidden(w, need)
			return
		}
		h(w, r)
	})
}

func (s scope) has(need scope) bool { return s&need == need }

func (s *Server) forbidden(w http.ResponseWriter, need scope) {
	s.fail(w, &inputError{status: 403, code: codeForbidden, scope: need.String(),
		msg: "this API key does not have the scope " + need.String() + " that the request needs"})
}

// keyOf returns the API key of a request that passed auth.
func keyOf(w http.ResponseWriter) *apiKey {
	if rec, ok := w.(*recorder); ok && rec.key != nil {
		return rec.key
	}
	return noAuthKey
}

// recorder remembers what a handler answered, for the access log and the
// latency metric, and the request's identity for problems and logs.
type recorder struct {
	http.ResponseWriter
	status   int
	bytes    int
	caseID   string
	errCode  string
	reqID    string
	instance string
	key      *apiKey
	ctx      context.Context
}

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = 200
	}
	n, err := r.ResponseWriter.Write(b)
	r.bytes += n
	return n, err
}

func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

var recorders = sync.Pool{New: func() any { return new(recorder) }}

// noteCase records the case a request was about, for the access log.
func noteCase(w http.ResponseWriter, id string) {
	if r, ok := w.(*recorder); ok {
		r.caseID = id
	}
}

// reqContext returns the context of the request w answers, which carries
// its request id into log lines.
func reqContext(w http.ResponseWriter) context.Context {
	if r, ok := w.(*recorder); ok && r.ctx != nil {
		return r.ctx
	}
	return context.Background()
}

// requestIDKey is the context key of the request id.
type requestIDKey struct{}

// MaxRequestIDLen bounds an X-Request-Id accepted from a client.
const MaxRequestIDLen = 128

// saneRequestID reports whether a client's X-Request-Id may be used: 1 to
// MaxRequestIDLen token characters (letters, digits and -._~+/=:@), so
// that it cannot break a log line, a header or a label.
func saneRequestID(id string) bool {
	if id == "" || len(id) > MaxRequestIDLen {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-._~+/=:@", c) >= 0) {
			return false
		}
	}
	return true
}

// newRequestID returns 32 random hex digits.
func newRequestID() string {
	var b [16]byte
	binary.LittleEndian.PutUint64(b[:8], rand.Uint64())
	binary.LittleEndian.PutUint64(b[8:], rand.Uint64())
	return hex.EncodeToString(b[:])
}

// RequestIDHeader carries the request id, accepted from the client when
// sane and always answered.
const RequestIDHeader = "X-Request-Id"

// ctxHandler adds the request id of the context to every log record.
type ctxHandler struct{ slog.Handler }

func (h ctxHandler) Handle(ctx context.Context, r slog.Record) error {
	if id, ok := ctx.Value(requestIDKey{}).(string); ok {
		r.AddAttrs(slog.String("request_id", id))
	}
	return h.Handler.Handle(ctx, r)
}

func (h ctxHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return ctxHandler{h.Handler.WithAttrs(as)}
}
func (h ctxHandler) WithGroup(name string) slog.Handler { return ctxHandler{h.Handler.WithGroup(name)} }

// methodLabel bounds the method label of the latency metric.
func methodLabel(m string) string {
	switch m {
	case "GET", "POST", "HEAD", "PUT", "DELETE", "PATCH", "OPTIONS":
		return m
	}
	return "other"
}

func (s *Server) instrument(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := r.Header.Get(RequestIDHeader)
		if !saneRequestID(id) {
			id = newRequestID()
		}
		w.Header().Set(RequestIDHeader, id)
		r = r.WithContext(context.WithValue(r.Context(), requestIDKey{}, id))
		rec := recorders.Get().(*recorder)
		*rec = recorder{ResponseWriter: w, reqID: id, ctx: r.Context(), instance: redactPath(r.URL.EscapedPath())}
		next.ServeHTTP(rec, r)
		took := time.Since(start)
		// The pattern, never the path: a case id is no label value.
		_, route, _ := strings.Cut(r.Pattern, " ")
		if route == "" {
			route = r.Pattern
		}
		if route == "" || route == "/" {
			route = "other"
		}
		status := rec.status
		if status == 0 {
			status = 200
		}
		s.m.requests.WithLabelValues(methodLabel(r.Method), route, statusText(status)).Observe(took.Seconds())
		if s.cfg.AccessLog || status >= 500 {
			level := slog.LevelInfo
			if status >= 500 {
				level = slog.LevelError
			}
			attrs := []slog.Attr{
				slog.String("method", r.Method), slog.String("route", route), slog.Int("status", status),
				slog.Float64("ms", float64(took.Microseconds())/1000), slog.Int("bytes", rec.bytes),
			}
			if rec.key != nil {
				attrs = append(attrs, slog.String("key", rec.key.name))
			}
			if rec.caseID != "" {
				attrs = append(attrs, slog.String("case_id", rec.caseID))
			}
			if rec.errCode != "" {
				attrs = append(attrs, slog.String("error", rec.errCode))
			}
			s.log.LogAttrs(r.Context(), level, "request", attrs...)
		}
		*rec = recorder{}
		recorders.Put(rec)
	})
}

var statusTexts sync.Map // int → string

func statusText(code int) string {
	if s, ok := statusTexts.Load(code); ok {
		return s.(string)
	}
	s := fmt.Sprint(code)
	statusTexts.Store(code, s)
	return s
}

// writeJSON sends a JSON body.
func writeJSON(w http.ResponseWriter, status int, body []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// storeFailed answers a store error: 503 so that a provider retries.
func (s *Server) storeFailed(w http.ResponseWriter, op string, err error) {
	s.m.storeErrors.WithLabelValues(op).Inc()
	s.log.ErrorContext(reqContext(w), "store error", "op", op, "error", err.Error())
	s.fail(w, &inputError{status: 503, code: codeStoreUnavailable, msg: "the case store is unavailable; retry later"})
}

// readBody reads a request body up to the limit into buf.
func (s *Server) readBody(w http.ResponseWriter, r *http.Request, buf interface {
	ReadFrom(io.Reader) (int64, error)
}) error {
	if r.ContentLength > s.cfg.MaxBodyBytes {
		return s.tooLarge()
	}
	_, err := buf.ReadFrom(http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes))
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		return s.tooLarge()
	case err != nil:
		return &inputError{status: 400, code: codeUnreadableBody, msg: "reading the request body: " + err.Error()}
	}
	return nil
}

func (s *Server) tooLarge() error {
	return &inputError{status: 413, code: codeTooLarge, msg: fmt.Sprintf("request body exceeds the limit of %d bytes", s.cfg.MaxBodyBytes)}
}

func (s *Server) handleReady(w http.ResponseWriter, r *http.Request) {
	if s.stopping.Load() {
		s.fail(w, &inputError{status: 503, code: codeShuttingDown, msg: "shutting down: this instance takes no new work"})
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.store.Ping(ctx); err != nil {
		s.storeFailed(w, "ping", err)
		return
	}
	writeJSON(w, 200, []byte(`{"status":"ready"}`))
}

// Serve serves on ln until ctx ends, then drains: /readyz answers 503 for
// the drain delay while requests are still served (without keep-alive), then
// it stops accepting connections and waits up to the shutdown timeout for
// accepted requests to finish. It also polls the policy file meanwhile.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error { return s.ServeAll(ctx, ln, nil) }

// ServeAll is Serve with /metrics on a listener of its own (metricsLn,
// when not nil; see Config.MetricsAddr).
func (s *Server) ServeAll(ctx context.Context, ln, metricsLn net.Listener) error {
	newHTTP := func(h http.Handler) *http.Server {
		return &http.Server{
			Handler:           h,
			ReadHeaderTimeout: s.cfg.ReadHeaderTimeout,
			ReadTimeout:       s.cfg.ReadTimeout,
			WriteTimeout:      s.cfg.WriteTimeout,
			IdleTimeout:       s.cfg.IdleTimeout,
			MaxHeaderBytes:    64 << 10,
			ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
		}
	}
	srv := newHTTP(s.handler)
	watchCtx, stopWatch := context.WithCancel(ctx)
	defer stopWatch()
	go s.pol.watch(watchCtx, s.cfg.ReloadInterval)

	errc := make(chan error, 2)
	go func() { errc <- srv.Serve(ln) }()
	var msrv *http.Server
	if metricsLn != nil {
		msrv = newHTTP(s.metrics)
		go func() { errc <- msrv.Serve(metricsLn) }()
	}
	select {
	case err := <-errc:
		_ = srv.Close()
		if msrv != nil {
			_ = msrv.Close()
		}
		return err
	case <-ctx.Done():
	}
	s.stopping.Store(true)
	if s.cfg.DrainDelay > 0 {
		s.log.Info("draining: /readyz answers 503 before the listener closes", "drain", s.cfg.DrainDelay.String())
		srv.SetKeepAlivesEnabled(false)
		time.Sleep(s.cfg.DrainDelay)
	}
	s.log.Info("shutting down: finishing accepted requests", "timeout", s.cfg.ShutdownTimeout.String())
	sctx, cancel := context.WithTimeout(context.Background(), s.cfg.ShutdownTimeout)
	defer cancel()
	if msrv != nil {
		_ = msrv.Shutdown(sctx)
	}
	if err := srv.Shutdown(sctx); err != nil {
		_ = srv.Close()
		return fmt.Errorf("shutdown: %w", err)
	}
	for range 1 + btoi(msrv != nil) {
		if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
			return err
		}
	}
	s.log.Info("stopped")
	return nil
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Run opens the store, listens on cfg.Addr (and cfg.MetricsAddr) and
// serves until SIGINT or SIGTERM (or ctx ends); SIGHUP reloads the policy.
func Run(ctx context.Context, cfg Config) error {
	s, err := newServer(cfg)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	defer ln.Close()
	var mln net.Listener
	if cfg.MetricsAddr != "" {
		if mln, err = net.Listen("tcp", cfg.MetricsAddr); err != nil {
			return fmt.Errorf("--metrics-addr: %w", err)
		}
		defer mln.Close()
	}
	st, err := store.OpenWith(ctx, cfg.StoreAddr, store.OpenOptions{Wait: cfg.StoreWait,
		Logf: func(attempt int, err error, next time.Duration) {
			s.log.Warn("the store cannot be reached yet; retrying", "attempt", attempt, "error", err.Error(), "retry_in", next.String())
		}})
	if err != nil {
		return err
	}
	defer st.Close()
	s.store = st
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case <-hup:
				s.log.Info("SIGHUP: reloading the policy")
				_ = s.ReloadPolicy()
			}
		}
	}()
	pol := s.pol.current()
	attrs := []any{"addr", ln.Addr().String(), "store", st.Kind(), "policy", pol.Name, "version", pol.Version,
		"auth", !cfg.NoAuth, "keys", len(s.keys.keys), "veriff_webhook", cfg.VeriffSecret != nil, "preventor_encrypted", cfg.PreventorKey != nil}
	if mln != nil {
		attrs = append(attrs, "metrics_addr", mln.Addr().String())
	}
	s.log.Info("listening", attrs...)
	return s.ServeAll(ctx, ln, mln)
}
