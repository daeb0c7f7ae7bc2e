// Package store keeps the cases of the decision service: the provider
// results that accumulate under a case id and the history of the decisions
// made on them, each with the policy that made it.
//
// Two backends implement Store with the same behaviour and one shared test
// suite: an embedded SQLite file (modernc.org/sqlite, pure Go, WAL journal,
// one writer connection, synchronous=FULL so that a commit survives a crash
// of the process and of the machine) and PostgreSQL (pgx). Open picks one by
// the scheme of its address; the schema is created and migrated at Open,
// versioned in the table schema_migrations.
//
// A result is stored, deduplicated and decided in one transaction: Add
// skips the results whose provider, kind and payload bytes (their dedupe
// key, a sha256) the case already holds, asks the caller's DecideFunc for a
// decision over every result of the case, and writes the new results and
// the decision together, in a transaction that checks that the case still
// holds the results the decision was made on (else it decides again).
// Either all of it is committed or none of it, so a result acknowledged to
// its sender always has its decision, and a repeated delivery changes
// nothing. Deciding happens outside the write transaction, so cases are
// decided in parallel even on SQLite, whose single writer commits the
// concurrent writes in groups, one sync to disk for all of them.
package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// ErrNotFound is returned for a case that the store does not hold.
var ErrNotFound = errors.New("case not found")

// MaxCaseIDLen is the longest case id accepted, in bytes.
const MaxCaseIDLen = 200

// Result is one provider result of a case.
type Result struct {
	Seq        int64     // position in the case, from 1
	Provider   string    // normalizer name, e.g. "veriff"
	Kind       string    // envelope kind hint (a JAAK list), "" when none
	Source     string    // how it arrived: "api", "webhook"
	Payload    []byte    // the raw JSON object, exactly as received
	DedupeKey  string    // hex sha256 of provider, kind and payload; Add computes it
	ReceivedAt time.Time // when it was stored
}

// NewResult returns a result with its dedupe key computed.
func NewResult(provider, kind, source string, payload []byte) Result {
	return Result{Provider: provider, Kind: kind, Source: source, Payload: payload, DedupeKey: DedupeKey(provider, kind, payload)}
}

// DedupeKey identifies a delivery: the same provider, kind and payload bytes
// give the same key.
func DedupeKey(provider, kind string, payload []byte) string {
	h := sha256.New()
	h.Write([]byte(provider))
	h.Write([]byte{0})
	h.Write([]byte(kind))
	h.Write([]byte{0})
	h.Write(payload)
	return hex.EncodeToString(h.Sum(nil))
}

// PolicyRef names the policy that made a decision.
type PolicyRef struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	Hash    string `json:"hash"`
}

// Decision is one entry of a case's decision history.
type Decision struct {
	Seq       int64     `json:"seq"`     // position in the history, from 1
	Outcome   string    `json:"outcome"` // approve, review or reject
	Policy    PolicyRef `json:"policy"`
	DecidedAt time.Time `json:"decided_at"`
	Trigger   string    `json:"trigger"` // what caused it: "result" (new results) or "redecide"
	Results   int       `json:"results"` // how many results the decision saw
	// Body is the full decision as JSON.
	Body json.RawMessage `json:"-"`
}

// Case is a stored case with all its results and its decision history,
// oldest first.
type Case struct {
	ID        string
	CreatedAt time.Time
	UpdatedAt time.Time
	Results   []Result
	Decisions []Decision
}

// Current returns the latest decision, or nil when there is none.
func (c *Case) Current() *Decision {
	if len(c.Decisions) == 0 {
		return nil
	}
	return &c.Decisions[len(c.Decisions)-1]
}

// DecideFunc decides a case from all of its results, oldest first. The
// store calls it before writing, and again when another writer changed the
// case meanwhile (the decision written is always one over exactly the
// results stored with it); it must not call the store. An error aborts Add
// or Redecide and is returned unchanged. The store fills in Seq, Trigger and
// Results of the returned decision.
type DecideFunc func(caseID string, results []Result) (Decision, error)

// AddOutcome reports what Add did.
type AddOutcome struct {
	Added      int // results stored
	Duplicates int // results the case already held
	// Decision is the decision made over the new results, or the case's
	// current decision when nothing new was added (nil for no case).
	Decision *Decision
	// New reports whether Decision was made by this call.
	New bool
}

// Stats counts the rows of a store.
type Stats struct {
	Cases     int64 `json:"cases"`
	Results   int64 `json:"results"`
	Decisions int64 `json:"decisions"`
}

// CaseRecord is one case as a case envelope, for batch tools.
type CaseRecord struct {
	ID string
	// Envelope is {"case_id": ID, "results": [{"provider", "kind",
	// "payload", "received_at", "source"}...]} in arrival order, readable by
	// normalizers.Normalize. It carries no as_of: the reader chooses the
	// evaluation time.
	Envelope []byte
	// Decision is the case's current stored decision as JSON, nil when the
	// case has none.
	Decision json.RawMessage
}

// Store keeps cases. Implementations are safe for concurrent use.
type Store interface {
	// Add stores results of one case and, when any is new, decides the case
	// over all its results and appends the decision to its history, in one
	// transaction. A result whose dedupe key the case already holds is
	// counted as a duplicate and changes nothing.
	Add(ctx context.Context, caseID string, results []Result, decide DecideFunc) (AddOutcome, error)
	// Redecide decides a stored case again over its stored results and
	// appends the decision to its history. It returns ErrNotFound for an
	// unknown case.
	Redecide(ctx context.Context, caseID string, decide DecideFunc) (Decision, error)
	// Case returns a case with its results and its whole history, or
	// ErrNotFound.
	Case(ctx context.Context, caseID string) (*Case, error)
	// CasePage returns one page of a case (see PageQuery), or ErrNotFound.
	CasePage(ctx context.Context, caseID string, q PageQuery) (*CasePage, error)
	// Cases iterates every case, ordered by id (bytewise), as an envelope.
	// Iteration stops at the first error, which it yields.
	Cases(ctx context.Context) iter.Seq2[CaseRecord, error]
	// Stats counts cases, results and decisions.
	Stats(ctx context.Context) (Stats, error)
	// Ping checks that the store answers.
	Ping(ctx context.Context) error
	// Kind names the backend: "sqlite" or "postgres".
	Kind() string
	// Close releases the store.
	Close() error
}

// Open opens the store at addr, creating or migrating its schema:
//
//	sqlite:PATH                   an SQLite file (created when absent)
//	postgres://USER@HOST/DB?...   a PostgreSQL database (also postgresql://)
//
// It makes one attempt: a database that is not reachable yet is an error
// at once (OpenWith can wait for it). It refuses a database whose settings
// would lose acknowledged writes in a crash: SQLite not in WAL mode with
// synchronous FULL or EXTRA, PostgreSQL with synchronous_commit or fsync
// off. A PostgreSQL password may come from the address, from PGPASSWORD or
// from a password file (PGPASSFILE, else ~/.pgpass); messages never show
// it.
func Open(ctx context.Context, addr string) (Store, error) {
	return open(ctx, addr, 0)
}

func open(ctx context.Context, addr string, connectTimeout time.Duration) (Store, error) {
	switch {
	case strings.HasPrefix(addr, "sqlite:"):
		path := strings.TrimPrefix(strings.TrimPrefix(addr, "sqlite:"), "//")
		if path == "" {
			return nil, fmt.Errorf("store %q: sqlite: needs a file path, e.g. sqlite:/var/lib/veredicto/cases.db", addr)
		}
		return openSQLite(ctx, path)
	case strings.HasPrefix(addr, "postgres://"), strings.HasPrefix(addr, "postgresql://"):
		return openPostgres(ctx, addr, connectTimeout)
	}
	return nil, fmt.Errorf("store %q: want sqlite:PATH or postgres://USER@HOST:PORT/DB", Redact(addr))
}

// Redact hides the passwords of a store address, for messages and logs:
// the password of a URL's user, the values of its password and sslpassword
// parameters, and password=... in a keyword/value connection string. When
// an address is malformed (an unescaped '/', '?' or '#' in a password
// leaves an '@' after the host) it hides more than the password rather than
// less.
func Redact(addr string) string {
	scheme, rest, ok := strings.Cut(addr, "://")
	if !ok {
		return keywordPassword.ReplaceAllString(addr, "${1}xxxxx")
	}
	// The user information ends at the last '@' of the authority, which
	// ends at the first '/', '?' or '#'; an '@' only after it may have been
	// stranded there by such a character in the password.
	authority := rest
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		authority = rest[:i]
	}
	at := strings.LastIndexByte(authority, '@')
	if at < 0 {
		rest = redactQuery(rest)
		at = strings.LastIndexByte(rest, '@')
	}
	if at >= 0 {
		if user, _, hasPass := strings.Cut(rest[:at], ":"); hasPass {
			rest = user + ":xxxxx" + rest[at:]
			at = len(user) + len(":xxxxx")
		}
	}
	return scheme + "://" + rest[:at+1] + redactQuery(rest[at+1:])
}

// keywordPassword matches password=VALUE and sslpassword=VALUE of a
// keyword/value connection string, VALUE quoted or up to a space.
var keywordPassword = regexp.MustCompile(`(?i)(password\s*=\s*)('(?:[^'\\]|\\.)*'?|[^\s]*)`)

// redactQuery hides the values of the password and sslpassword parameters
// of the query of a URL without its scheme and user information.
func redactQuery(s string) string {
	q := strings.IndexByte(s, '?')
	if q < 0 {
		return s
	}
	pairs := strings.Split(s[q+1:], "&")
	for i, pair := range pairs {
		key, _, ok := strings.Cut(pair, "=")
		if k, err := url.QueryUnescape(key); err == nil {
			key = k
		}
		if key = strings.ToLower(key); ok && (key == "password" || key == "sslpassword") {
			pairs[i] = pair[:strings.IndexByte(pair, '=')+1] + "xxxxx"
		}
	}
	return s[:q+1] + strings.Join(pairs, "&")
}

// CheckCaseID reports why id cannot be a case id, or nil: it must be 1 to
// MaxCaseIDLen bytes of UTF-8 without control characters.
func CheckCaseID(id string) error {
	switch {
	case id == "":
		return errors.New("empty case id")
	case len(id) > MaxCaseIDLen:
		return fmt.Errorf("case id of %d bytes exceeds the limit of %d", len(id), MaxCaseIDLen)
	case !utf8.ValidString(id):
		return errors.New("case id is not valid UTF-8")
	case strings.IndexFunc(id, unicode.IsControl) >= 0:
		return errors.New("case id contains a control character")
	}
	return nil
}

// Envelopes iterates the case envelopes of every case of st, ordered by
// case id, for readers of case documents (such as batch.FromSeq).
func Envelopes(ctx context.Context, st Store) iter.Seq2[[]byte, error] {
	return func(yield func([]byte, error) bool) {
		for rec, err := range st.Cases(ctx) {
			if !yield(rec.Envelope, err) || err != nil {
				return
			}
		}
	}
}
