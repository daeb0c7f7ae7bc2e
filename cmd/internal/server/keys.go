package server

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
)

// MinAPIKeyLen is the shortest API key accepted.
const MinAPIKeyLen = 16

// scope is a set of permissions of an API key.
type scope uint8

// The scopes an API key can hold. Each endpoint needs one (see routes).
const (
	scopeDecide           scope = 1 << iota // POST /v1/decisions
	scopeIngest                             // POST /v1/cases/{id}/results and /decide, the plain Preventor webhook
	scopeReadDecisions                      // GET /v1/cases/{id}: decisions and result metadata
	scopeReadPersonalData                   // GET /v1/cases/{id}?include=payloads: the raw payloads
	scopeAny              scope = 0         // any valid key: GET /v1/policy, /v1/facts, /metrics
)

var scopeNames = []struct {
	name string
	s    scope
}{
	{"decide", scopeDecide},
	{"ingest", scopeIngest},
	{"read-decisions", scopeReadDecisions},
	{"read-personal-data", scopeReadPersonalData},
}

// defaultScopes are the scopes of a bare key: everything but the raw
// payloads, which a key must be granted by name.
const defaultScopes = scopeDecide | scopeIngest | scopeReadDecisions

// allScopes is what --no-auth grants.
const allScopes = defaultScopes | scopeReadPersonalData

func (s scope) String() string {
	var names []string
	for _, n := range scopeNames {
		if s&n.s != 0 {
			names = append(names, n.name)
		}
	}
	return strings.Join(names, "+")
}

// apiKey is a configured key: its name for logs, its scopes and the
// sha256 of its secret.
type apiKey struct {
	name   string
	scopes scope
	sum    [sha256.Size]byte
}

// keyring checks API keys. It keeps only their sha256 and compares a
// presented key with every configured one in constant time, so neither the
// time taken nor an early exit tells which key or how much of it matched.
type keyring struct {
	keys []apiKey
}

// fingerprint names a key in logs when it has no name: the first 8 hex
// digits of its sha256, which do not reveal the key.
func fingerprint(sum [sha256.Size]byte) string { return "sha256:" + hex.EncodeToString(sum[:4]) }

// parseKey reads one entry of the API key configuration:
//
//	KEY                  a bare key: scopes decide+ingest+read-decisions
//	NAME:KEY             a named key with the same default scopes
//	NAME:KEY:S1+S2...    a named key with exactly the scopes listed
//
// Hex and base64url keys never contain ':' or '+', so an entry is
// unambiguous; a bare key containing ':' is refused. Errors name the entry
// by its position (and name) and never quote the key.
func parseKey(entry string, i, n int) (apiKey, error) {
	where := fmt.Sprintf("API key entry %d of %d", i+1, n)
	parts := strings.Split(strings.TrimSpace(entry), ":")
	k := apiKey{scopes: defaultScopes}
	var secret string
	switch len(parts) {
	case 1:
		secret = parts[0]
	case 2, 3:
		k.name, secret = strings.TrimSpace(parts[0]), strings.TrimSpace(parts[1])
		if !validKeyName(k.name) {
			return apiKey{}, fmt.Errorf("%s: the name before the first ':' must be 1 to 64 letters, digits, '.', '_' or '-' (NAME:KEY or NAME:KEY:SCOPE+SCOPE)", where)
		}
		where += fmt.Sprintf(" (%s)", k.name)
		if len(parts) == 3 {
			var err error
			if k.scopes, err = parseScopes(parts[2]); err != nil {
				return apiKey{}, fmt.Errorf("%s: %v", where, err)
			}
		}
	default:
		return apiKey{}, fmt.Errorf("%s: too many ':' (want KEY, NAME:KEY or NAME:KEY:SCOPE+SCOPE; a key cannot contain ':')", where)
	}
	if len(secret) < MinAPIKeyLen {
		return apiKey{}, fmt.Errorf("%s: the key is %d characters long: use at least %d (e.g. openssl rand -hex 32)", where, len(secret), MinAPIKeyLen)
	}
	k.sum = sha256.Sum256([]byte(secret))
	if k.name == "" {
		k.name = fingerprint(k.sum)
	}
	return k, nil
}

func validKeyName(name string) bool {
	if name == "" || len(name) > 64 {
		return false
	}
	for _, c := range name {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

func parseScopes(s string) (scope, error) {
	var out scope
	for _, word := range strings.Split(s, "+") {
		word = strings.TrimSpace(word)
		found := false
		for _, n := range scopeNames {
			if n.name == word {
				out |= n.s
				found = true
			}
		}
		if !found {
			return 0, fmt.Errorf("unknown scope %q (want decide, ingest, read-decisions or read-personal-data, joined by '+')", word)
		}
	}
	return out, nil
}

func newKeyring(entries []string) (*keyring, error) {
	k := &keyring{}
	names := map[string]int{}
	sums := map[[sha256.Size]byte]int{}
	for i, e := range entries {
		key, err := parseKey(e, i, len(entries))
		if err != nil {
			return nil, err
		}
		if j, dup := sums[key.sum]; dup {
			return nil, fmt.Errorf("API key entry %d of %d has the same key as entry %d", i+1, len(entries), j+1)
		}
		if j, dup := names[key.name]; dup {
			return nil, fmt.Errorf("API key entry %d of %d has the same name %q as entry %d", i+1, len(entries), key.name, j+1)
		}
		sums[key.sum], names[key.name] = i, i
		k.keys = append(k.keys, key)
	}
	return k, nil
}

// presented returns the key of a request: "Authorization: Bearer KEY" or
// "X-API-Key: KEY".
func presented(r *http.Request) string {
	if a := r.Header.Get("Authorization"); a != "" {
		scheme, key, ok := strings.Cut(a, " ")
		if ok && strings.EqualFold(scheme, "Bearer") {
			return strings.TrimSpace(key)
		}
		return ""
	}
	return strings.TrimSpace(r.Header.Get("X-API-Key"))
}

// lookup returns the configured key the request carries, or nil. Every
// configured key is compared, whichever matches.
func (k *keyring) lookup(r *http.Request) *apiKey {
	key := presented(r)
	if key == "" {
		return nil
	}
	sum := sha256.Sum256([]byte(key))
	found := -1
	for i := range k.keys {
		eq := subtle.ConstantTimeCompare(sum[:], k.keys[i].sum[:])
		found = subtle.ConstantTimeSelect(eq, i, found)
	}
	if found < 0 {
		return nil
	}
	return &k.keys[found]
}
