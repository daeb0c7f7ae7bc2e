package server_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/veredicto/veredicto/cmd/internal/server"
	"github.com/veredicto/veredicto/cmd/internal/store/storetest"
)

// The tests below check each limit of the service at the limit, which is
// accepted, and one past it, which is not.

// TestBodyLimitExact: a body of exactly --max-body bytes is read, one
// byte more is a 413, with a Content-Length and without.
func TestBodyLimitExact(t *testing.T) {
	const max = 4096
	e := start(t, storetest.SQLite(t), withMaxBody(max))
	doc := fixture(t, "veriff/mx_ine_db_verification.json")
	pad := func(n int) []byte { return append(bytes.Clone(doc), bytes.Repeat([]byte(" "), n-len(doc))...) }
	for _, c := range []struct {
		size   int
		status int
	}{{max, 200}, {max + 1, 413}} {
		body := pad(c.size)
		if r := e.api("POST", "/v1/decisions", body); r.status != c.status {
			t.Errorf("%d bytes: %d %.200s, want %d", c.size, r.status, r.body, c.status)
		}
		req, _ := http.NewRequest("POST", e.url+"/v1/decisions", io.MultiReader(bytes.NewReader(body)))
		req.Header.Set("X-API-Key", apiKey)
		req.ContentLength = -1
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != c.status {
			t.Errorf("%d bytes chunked: %d, want %d", c.size, resp.StatusCode, c.status)
		}
	}
}

// TestKeyLimits: an API key of MinAPIKeyLen characters is accepted and
// works, one shorter is refused; so is a Preventor URL token. A key name
// of 64 characters of every kind allowed is accepted, 65 or another
// character refused.
func TestKeyLimits(t *testing.T) {
	st := openStore(t)
	newServer := func(cfg server.Config) error {
		cfg.PolicyPath = standardPolicy
		_, err := server.New(cfg, st)
		return err
	}
	min := strings.Repeat("k", server.MinAPIKeyLen)
	for _, c := range []struct {
		name string
		cfg  server.Config
		want string // "" when accepted
	}{
		{"key at the minimum", server.Config{APIKeys: []string{min}}, ""},
		{"named key at the minimum", server.Config{APIKeys: []string{"ops:" + min}}, ""},
		{"key one short", server.Config{APIKeys: []string{min[1:]}}, fmt.Sprintf("the key is %d characters long: use at least %d", server.MinAPIKeyLen-1, server.MinAPIKeyLen)},
		{"token at the minimum", server.Config{APIKeys: []string{apiKey}, PreventorKey: preventorKey, PreventorToken: []byte(min)}, ""},
		{"token one short", server.Config{APIKeys: []string{apiKey}, PreventorKey: preventorKey, PreventorToken: []byte(min[1:])}, "VEREDICTO_PREVENTOR_TOKEN of at least 16 characters"},
		{"no token", server.Config{APIKeys: []string{apiKey}, PreventorKey: preventorKey}, "VEREDICTO_PREVENTOR_TOKEN of at least 16 characters"},
		{"short Preventor key", server.Config{APIKeys: []string{apiKey}, PreventorKey: preventorKey[1:], PreventorToken: []byte(min)}, "the Preventor key is 31 bytes"},
		{"name of 64", server.Config{APIKeys: []string{"azAZ09._-" + strings.Repeat("n", 55) + ":" + min}}, ""},
		{"name of 65", server.Config{APIKeys: []string{strings.Repeat("n", 65) + ":" + min}}, "the name before the first ':'"},
		{"negative drain", server.Config{APIKeys: []string{apiKey}, DrainDelay: -1}, "the drain delay is negative"},
		{"same name", server.Config{APIKeys: []string{apiKey, "a:" + min, "a:" + secondKey}}, `API key entry 3 of 3 has the same name "a" as entry 2`},
		{"same key", server.Config{APIKeys: []string{apiKey, "a:" + min, "b:" + min}}, `API key entry 3 of 3 has the same key as entry 2`},
	} {
		err := newServer(c.cfg)
		if c.want == "" && err != nil || c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)) {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
	}
	for _, ch := range "`{@[/\x7f" {
		if err := newServer(server.Config{APIKeys: []string{"n" + string(ch) + ":" + min}}); err == nil || !strings.Contains(err.Error(), "the name before") {
			t.Errorf("name with %q: %v", ch, err)
		}
	}
	// The shortest key opens the API; the shortest token the webhook.
	e := start(t, storetest.SQLite(t), withKeys(min), func(c *server.Config) {
		c.PreventorKey, c.PreventorToken = preventorKey, []byte(min)
	})
	if r := e.do("GET", "/v1/policy", nil, "X-API-Key", min); r.status != 200 {
		t.Errorf("the shortest key: %d %s", r.status, r.body)
	}
	body, iv, err := server.EncryptPreventor(preventorKey, bytes.Repeat([]byte{2}, 16), fixture(t, "preventor/completed.json"))
	if err != nil {
		t.Fatal(err)
	}
	if r := e.do("POST", "/v1/webhooks/preventor/"+min, []byte(body), server.PreventorIVHeader, iv); r.status != 200 {
		t.Errorf("the shortest token: %d %s", r.status, r.body)
	}
	if r := e.do("POST", "/v1/webhooks/preventor/"+min[1:], []byte(body), server.PreventorIVHeader, iv); r.status != 404 {
		t.Errorf("a token one short: %d %s", r.status, r.body)
	}
}

// TestRequestIDCharacters: every kind of character a request id may hold,
// at the edges of its ranges, is kept; the characters next to them are not.
func TestRequestIDCharacters(t *testing.T) {
	e := start(t, storetest.SQLite(t))
	for _, id := range []string{"azAZ09", "-._~+/=:@", "a", "Z", "0"} {
		if got := e.do("GET", "/healthz", nil, server.RequestIDHeader, id).header.Get(server.RequestIDHeader); got != id {
			t.Errorf("%q: answered %q", id, got)
		}
	}
	for _, ch := range "`{[;?!#%&*,<>\\^|}]$'()" {
		id := "id" + string(ch)
		if got := e.do("GET", "/healthz", nil, server.RequestIDHeader, id).header.Get(server.RequestIDHeader); got == id || len(got) != 32 {
			t.Errorf("%q: answered %q, want a generated one", id, got)
		}
	}
}

// TestPageLimits: limit=1 and limit=100 are pages of that many results,
// 0 and 101 are refused; after=h0.r0 is the first page, a negative seq is
// refused.
func TestPageLimits(t *testing.T) {
	e := start(t, storetest.SQLite(t))
	for i := range 3 {
		if r := e.api("POST", "/v1/cases/pages/results", veriffBody(t, 2, i)); r.status != 201 {
			t.Fatalf("result %d: %d %s", i, r.status, r.body)
		}
	}
	type page struct {
		Results []struct{ Seq int64 }
		History []struct{ Seq int64 }
		Next    string
	}
	get := func(q string) (page, int) {
		r := e.api("GET", "/v1/cases/pages?"+q, nil)
		var p page
		if r.status == 200 {
			if err := json.Unmarshal(r.body, &p); err != nil {
				t.Fatal(err)
			}
		}
		return p, r.status
	}
	for _, c := range []struct {
		q       string
		results string
		next    string
	}{
		{"limit=1", "[1]", "h1.r1"},
		{"limit=1&after=h1.r1", "[2]", "h2.r2"},
		{"limit=100", "[1 2 3]", ""},
		{"after=h0.r0", "[1 2 3]", ""},
		{"after=h0.r2", "[3]", ""},
		{"limit=2&after=h3.r0", "[1 2]", "h3.r2"},
	} {
		p, status := get(c.q)
		var seqs []int64
		for _, r := range p.Results {
			seqs = append(seqs, r.Seq)
		}
		if status != 200 || fmt.Sprint(seqs) != c.results || p.Next != c.next {
			t.Errorf("%s: %d results %v next %q, want %s next %q", c.q, status, seqs, p.Next, c.results, c.next)
		}
	}
	for _, q := range []string{"limit=0", "limit=101", "limit=-1", "after=h0.r-1", "after=h-1.r0"} {
		if _, status := get(q); status != 400 {
			t.Errorf("%s: %d, want 400", q, status)
		}
	}
}

// TestPayloadBudgetExact: payloads adding up to exactly the 1 MiB budget
// of a page come on one page, one byte more on two; a payload larger than
// the budget comes alone.
func TestPayloadBudgetExact(t *testing.T) {
	const budget = 1 << 20
	e := start(t, storetest.SQLite(t), withMaxBody(2*budget), withKeys("all:"+apiKey+":read-decisions+read-personal-data+ingest"))
	// sized is a distinct Veriff decision of exactly n bytes, padded with
	// a string the normalizer ignores.
	sized := func(c, i, n int) []byte {
		b := bytes.Replace(veriffBody(t, c, i), []byte(`{`), []byte(`{"padding": "", `), 1)
		return bytes.Replace(b, []byte(`"padding": "`), []byte(`"padding": "`+strings.Repeat("x", n-len(b))), 1)
	}
	pages := func(caseID string, sizes ...int) string {
		for i, n := range sizes {
			if r := e.api("POST", "/v1/cases/"+caseID+"/results", sized(3, i, n)); r.status != 201 {
				t.Fatalf("%s result %d: %d %.300s", caseID, i, r.status, r.body)
			}
		}
		var got []int
		for after := ""; len(got) < 10; {
			r := e.api("GET", "/v1/cases/"+caseID+"?include=payloads&after="+after, nil)
			var p struct {
				Results []json.RawMessage
				Next    string
			}
			if err := json.Unmarshal(r.body, &p); err != nil || r.status != 200 {
				t.Fatalf("%d %v", r.status, err)
			}
			got = append(got, len(p.Results))
			if after = p.Next; after == "" {
				break
			}
		}
		return fmt.Sprint(got)
	}
	if got := pages("exact", budget/2, budget/2, 8000); got != "[2 1]" {
		t.Errorf("two payloads of half the budget, then one: %s results per page, want [2 1]", got)
	}
	if got := pages("one-past", budget/2, budget/2+1); got != "[1 1]" {
		t.Errorf("payloads one byte over the budget: %s results per page, want [1 1]", got)
	}
	if got := pages("huge", budget+1, 8000); got != "[1 1]" {
		t.Errorf("a payload over the budget: %s results per page, want [1 1]", got)
	}
}
