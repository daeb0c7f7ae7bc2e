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
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
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

	// APIKeys guard every endpoint but the webhooks, /healthz and /readyz.
	// NoAuth must be set to serve without any key.
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
	s := &Server{cfg: cfg, log: cfg.Logger, m: newMetrics()}
	if len(cfg.APIKeys) == 0 && !cfg.NoAuth {
		return nil, errors.New("no API keys: set VEREDICTO_API_KEYS (comma-separated keys), or --no-auth for a local test server")
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
	s.handler = s.routes()
	return s, nil
}

// Handler returns the HTTP handler of the service.
func (s *Server) Handler() http.Handler { return s.handler }

// ReloadPolicy reloads the policy file now, as SIGHUP does. On error the
// previous policy keeps deciding.
func (s *Server) ReloadPolicy() error { return s.pol.reload(true) }

// WatchPolicy polls the policy file every interval until ctx ends.
func (s *Server) WatchPolicy(ctx context.Context, interval time.Duration) { s.pol.watch(ctx, interval) }

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	allowed := map[string][]string{}
	var paths []string
	route := func(method, path string, h http.Handler) {
		mux.Handle(method+" "+path, h)
		if allowed[path] == nil {
			paths = append(paths, path)
		}
		allowed[path] = append(allowed[path], method)
	}
	api := func(method, path string, h http.HandlerFunc) { route(method, path, s.auth(h)) }
	api("POST", "/v1/decisions", s.handleDecisions)
	api("POST", "/v1/cases/{id}/results", s.handleAddResults)
	api("POST", "/v1/cases/{id}/decide", s.handleRedecide)
	api("GET", "/v1/cases/{id}", s.handleCase)
	api("GET", "/v1/policy", s.handlePolicy)
	api("GET", "/v1/facts", s.handleFacts)
	api("GET", "/metrics", promhttp.HandlerFor(s.m.reg, promhttp.HandlerOpts{ErrorLog: slog.NewLogLogger(s.log.Handler(), slog.LevelError)}).ServeHTTP)
	route("POST", "/v1/webhooks/veriff", http.HandlerFunc(s.handleVeriff))
	if s.cfg.PreventorKey != nil {
		route("POST", "/v1/webhooks/preventor/{token}", http.HandlerFunc(s.handlePreventor))
		route("POST", "/v1/webhooks/preventor", http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			s.fail(w, &inputError{status: 404, kind: "not_found", msg: "the Preventor webhook URL ends with its secret token: /v1/webhooks/preventor/{token}"})
		}))
	} else {
		api("POST", "/v1/webhooks/preventor", s.handlePreventor)
	}
	route("GET", "/healthz", http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, 200, []byte(`{"status":"ok"}`))
	}))
	route("GET", "/readyz", http.HandlerFunc(s.handleReady))
	// Other methods on a known path, and unknown paths, get JSON errors too.
	for _, path := range paths {
		methods := strings.Join(allowed[path], ", ")
		mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Allow", methods)
			s.fail(w, &inputError{status: 405, kind: "method", msg: r.Method + " is not allowed here (allowed: " + methods + ")"})
		})
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, &inputError{status: 404, kind: "route", msg: "no such endpoint: " + r.Method + " " + r.URL.Path})
	})
	return s.instrument(mux)
}

// auth lets a request through when it carries one of the API keys.
func (s *Server) auth(h http.HandlerFunc) http.Handler {
	if s.cfg.NoAuth && len(s.keys.sums) == 0 {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.keys.valid(r) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="veredicto"`)
			s.fail(w, &inputError{status: 401, kind: "api_key", msg: "missing or unknown API key (Authorization: Bearer KEY or X-API-Key: KEY)"})
			return
		}
		h(w, r)
	})
}

// recorder remembers what a handler answered, for the access log and the
// latency metric.
type recorder struct {
	http.ResponseWriter
	status  int
	bytes   int
	caseID  string
	errKind string
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

func (s *Server) instrument(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := recorders.Get().(*recorder)
		*rec = recorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		took := time.Since(start)
		route := r.Pattern
		if route == "" || route == "/" {
			route = "other"
		}
		status := rec.status
		if status == 0 {
			status = 200
		}
		s.m.requests.WithLabelValues(route, statusText(status)).Observe(took.Seconds())
		if s.cfg.AccessLog || status >= 500 {
			level := slog.LevelInfo
			if status >= 500 {
				level = slog.LevelError
			}
			attrs := []slog.Attr{
				slog.String("method", r.Method), slog.String("route", route), slog.Int("status", status),
				slog.Float64("ms", float64(took.Microseconds())/1000), slog.Int("bytes", rec.bytes),
			}
			if rec.caseID != "" {
				attrs = append(attrs, slog.String("case_id", rec.caseID))
			}
			if rec.errKind != "" {
				attrs = append(attrs, slog.String("error", rec.errKind))
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
	h.Set("Content-Length", statusText(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// fail answers an error as {"error": message}.
func (s *Server) fail(w http.ResponseWriter, err error) {
	var ie *inputError
	if !errors.As(err, &ie) {
		ie = &inputError{status: 500, kind: "internal", msg: "internal error"}
		s.log.Error("internal error", "error", err.Error())
	}
	if r, ok := w.(*recorder); ok {
		r.errKind = ie.kind
	}
	body, _ := json.Marshal(struct {
		Error string `json:"error"`
	}{ie.msg})
	writeJSON(w, ie.status, append(body, '\n'))
}

// storeFailed answers a store error: 503 so that a provider retries.
func (s *Server) storeFailed(w http.ResponseWriter, op string, err error) {
	s.m.storeErrors.WithLabelValues(op).Inc()
	s.log.Error("store error", "op", op, "error", err.Error())
	s.fail(w, &inputError{status: 503, kind: "store", msg: "the case store is unavailable; retry later"})
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
		return &inputError{status: 400, kind: "body", msg: "reading the request body: " + err.Error()}
	}
	return nil
}

func (s *Server) tooLarge() error {
	return &inputError{status: 413, kind: "too_large", msg: fmt.Sprintf("request body exceeds the limit of %d bytes", s.cfg.MaxBodyBytes)}
}

func (s *Server) handleReady(w http.ResponseWriter, r *http.Request) {
	if s.stopping.Load() {
		s.fail(w, &inputError{status: 503, kind: "stopping", msg: "shutting down"})
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

// Serve serves on ln until ctx ends, then stops accepting connections and
// waits up to the shutdown timeout for accepted requests to finish. It also
// polls the policy file meanwhile.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: s.cfg.ReadHeaderTimeout,
		ReadTimeout:       s.cfg.ReadTimeout,
		WriteTimeout:      s.cfg.WriteTimeout,
		IdleTimeout:       s.cfg.IdleTimeout,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	watchCtx, stopWatch := context.WithCancel(ctx)
	defer stopWatch()
	go s.pol.watch(watchCtx, s.cfg.ReloadInterval)

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	s.stopping.Store(true)
	s.log.Info("shutting down: finishing accepted requests", "timeout", s.cfg.ShutdownTimeout.String())
	sctx, cancel := context.WithTimeout(context.Background(), s.cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		_ = srv.Close()
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	s.log.Info("stopped")
	return nil
}

// Run opens the store, listens on cfg.Addr and serves until SIGINT or
// SIGTERM (or ctx ends); SIGHUP reloads the policy.
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
	st, err := store.Open(ctx, cfg.StoreAddr)
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
	s.log.Info("listening", "addr", ln.Addr().String(), "store", st.Kind(), "policy", pol.Name, "version", pol.Version,
		"auth", len(cfg.APIKeys) > 0, "veriff_webhook", cfg.VeriffSecret != nil, "preventor_encrypted", cfg.PreventorKey != nil)
	return s.Serve(ctx, ln)
}
