package main

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/veredicto/veredicto/cmd/internal/server"
	"github.com/veredicto/veredicto/engine"
)

func init() { extraCommands = append(extraCommands, newServe) }

func newServe() *cobra.Command {
	cfg := server.Config{}
	var logLevel string
	var trustAPI []string
	cmd := &cobra.Command{
		Use:   "serve --policy FILE [--addr ADDR] [--store sqlite:PATH | postgres://...]",
		Short: "Serve decisions over HTTP, ingest provider webhooks and keep cases in a store",
		Long: `Serve the decision API:

  POST /v1/decisions              decide a case now (?store=true keeps it)
  POST /v1/cases/{id}/results     add results to a case; it is decided again
  POST /v1/cases/{id}/decide      decide a stored case again with the current policy
  GET  /v1/cases/{id}             current decision, result metadata and decision history, paged
                                  (?limit=1..100, default 20; ?after=<next>; ?include=payloads)
  POST /v1/webhooks/veriff        Veriff webhooks, HMAC-SHA256 signed
  POST /v1/webhooks/preventor     Preventor webhooks, with an API key (no Preventor key set)
  POST /v1/webhooks/preventor/{token}  Preventor webhooks, AES-256-CBC (a key and a token set)
  GET  /v1/policy, /v1/facts, /metrics, /healthz, /readyz, /openapi.json

Errors are RFC 9457 problems (application/problem+json) with a stable
type urn:veredicto:problem:<code>. Every answer carries X-Request-Id (a
sane one sent by the client is kept), and so does every log line.

Secrets come from the environment only (or from files named by the same
variables with _FILE appended):
  VEREDICTO_API_KEYS        comma- or newline-separated API keys (Authorization: Bearer KEY
                            or X-API-Key), each one of:
                              KEY                     scopes decide+ingest+read-decisions
                              NAME:KEY                the same, logged as NAME
                              NAME:KEY:SCOPE+SCOPE    exactly the scopes listed
                            Scopes: decide (POST /v1/decisions), ingest (POST /v1/cases/{id}/results
                            and /decide, the plain Preventor webhook), read-decisions (GET
                            /v1/cases/{id}), read-personal-data (?include=payloads, never given
                            by default). /v1/policy, /v1/facts and /metrics take any key. A key is
                            at least 16 characters without ':' (hex or base64url); NAME is letters,
                            digits, '.', '_', '-'. Logs name a key by NAME, else sha256:<8 hex>.
  VEREDICTO_VERIFF_SECRET   Veriff's shared secret; without it the Veriff webhook is off
  VEREDICTO_PREVENTOR_KEY   Preventor's AES-256 key: 64 hex digits, base64 of 32 bytes or 32 characters
  VEREDICTO_PREVENTOR_TOKEN the secret last segment of the Preventor webhook URL, required
                            with the key (Preventor signs nothing; at least 16 characters)

Every flag can also be set from the environment as VEREDICTO_<FLAG>, upper
case with - as _ (VEREDICTO_ADDR, VEREDICTO_STORE, VEREDICTO_RELOAD_INTERVAL);
a flag on the command line wins. The PostgreSQL password need never be on
the command line: leave it out of --store and set PGPASSWORD or PGPASSFILE,
which the driver reads. At start, a database that cannot be reached yet is
waited for up to --store-wait, with backoff.

The policy file is checked for changes every --reload-interval and reloaded
on SIGHUP; a policy with errors never replaces the one deciding. SIGINT and
SIGTERM stop the server: /readyz answers 503 for --drain while requests are
still served, then the listener closes and accepted requests finish.

--no-auth serves every endpoint with every scope and no key; it is refused
when API keys are configured, and so is starting with neither.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := flagsFromEnv(cmd); err != nil {
				return err
			}
			cfg.TrustAPI = map[string]bool{}
			for _, p := range trustAPI {
				cfg.TrustAPI[strings.TrimSpace(p)] = true
			}
			if cfg.PolicyPath == "" {
				return exitError{code: exitUsage, msg: "serve: --policy (or VEREDICTO_POLICY) is required"}
			}
			var level slog.Level
			if err := level.UnmarshalText([]byte(logLevel)); err != nil {
				return fmt.Errorf("--log-level %q: want debug, info, warn or error", logLevel)
			}
			cfg.Logger = slog.New(slog.NewJSONHandler(cmd.ErrOrStderr(), &slog.HandlerOptions{Level: level}))
			if err := server.SecretsFromEnv(&cfg); err != nil {
				return err
			}
			err := server.Run(cmd.Context(), cfg)
			var list engine.ErrorList
			if errors.As(err, &list) {
				fmt.Fprint(os.Stderr, list.Snippets())
				return exitError{code: 2, msg: fmt.Sprintf("%s: %d problem(s); the policy was not loaded", cfg.PolicyPath, len(list))}
			}
			return err
		},
	}
	f := cmd.Flags()
	f.StringVarP(&cfg.PolicyPath, "policy", "p", "", "policy file (required)")
	f.StringVar(&cfg.Addr, "addr", "127.0.0.1:8080", "listen address (:8080 for every interface)")
	f.StringVar(&cfg.StoreAddr, "store", "sqlite:veredicto.db", "case store: sqlite:PATH or postgres://USER@HOST:PORT/DB")
	f.Int64Var(&cfg.MaxBodyBytes, "max-body", server.DefaultMaxBodyBytes, "request body limit in bytes (413 beyond)")
	f.DurationVar(&cfg.ReadHeaderTimeout, "read-header-timeout", server.DefaultReadHeaderTimeout, "time to read request headers")
	f.DurationVar(&cfg.ReadTimeout, "read-timeout", server.DefaultReadTimeout, "time to read a whole request")
	f.DurationVar(&cfg.WriteTimeout, "write-timeout", server.DefaultWriteTimeout, "time to write a response")
	f.DurationVar(&cfg.IdleTimeout, "idle-timeout", server.DefaultIdleTimeout, "keep-alive connections idle longer are closed")
	f.DurationVar(&cfg.ShutdownTimeout, "shutdown-timeout", server.DefaultShutdownTimeout, "how long accepted requests may take to finish on SIGTERM")
	f.DurationVar(&cfg.ReloadInterval, "reload-interval", server.DefaultReloadInterval, "how often to check the policy file for changes (0: only on SIGHUP)")
	f.StringSliceVar(&trustAPI, "trust-api", nil, "providers whose results submitted through the API count beside their webhook deliveries (default: a provider's webhook deliveries outrank its API results)")
	f.BoolVar(&cfg.AllowShrink, "allow-shrink", false, "accept a reloaded policy that drops more than half of the rules, requirements and scores")
	f.BoolVar(&cfg.AccessLog, "access-log", true, "log every request (method, route, status, time, case id)")
	f.BoolVar(&cfg.NoAuth, "no-auth", false, "serve without API keys (local testing only; refused with VEREDICTO_API_KEYS set)")
	f.DurationVar(&cfg.DrainDelay, "drain", 0, "on SIGTERM, how long /readyz answers 503 while requests are still served before the listener closes (e.g. 5s behind a load balancer)")
	f.DurationVar(&cfg.StoreWait, "store-wait", time.Minute, "how long to wait at start for a store that cannot be reached yet (a database still starting), retrying with backoff; 0 tries once")
	f.StringVar(&cfg.MetricsAddr, "metrics-addr", "", "serve /metrics on this address without an API key (and not on --addr); empty: /metrics on --addr behind an API key")
	f.StringVar(&logLevel, "log-level", "info", "debug, info, warn or error")
	return cmd
}
