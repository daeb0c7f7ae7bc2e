package server_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/veredicto/veredicto/cmd/internal/server"
	"github.com/veredicto/veredicto/cmd/internal/store"
	"github.com/veredicto/veredicto/cmd/internal/store/storetest"
)

// Keys of the scope tests, each with the scopes its name says.
const (
	readerKey  = "reader-key-0123456789abcdef"
	auditorKey = "auditor-key-0123456789abcdef"
	ingestKey  = "ingest-key-0123456789abcdef"
	decideKey  = "decide-key-0123456789abcdef"
)

func withKeys(keys ...string) option { return func(c *server.Config) { c.APIKeys = keys } }

func scopedServer(t *testing.T) *env {
	return start(t, storetest.SQLite(t), withKeys(apiKey,
		"reader:"+readerKey+":read-decisions",
		"auditor:"+auditorKey+":read-decisions+read-personal-data",
		"ingester:"+ingestKey+":ingest",
		"decider:"+decideKey+":decide"))
}

func bearer(key string) []string { return []string{"Authorization", "Bearer " + key} }

// personal returns strings of the case fixture that are personal data.
func personal(*testing.T) []string {
	return []string{"ROLJ880912HJCDPN08", "RODRIGUEZ"}
}

// TestScopes replays every endpoint with every key: each endpoint answers
// only keys with its scope (403 otherwise, distinct from the 401 of an
// unknown key).
func TestScopes(t *testing.T) {
	e := scopedServer(t)
	doc := fixture(t, "cases/mx_full_approved.json")
	if r := e.api("POST", "/v1/decisions?store=true", doc); r.status != 200 {
		t.Fatalf("store: %d %s", r.status, r.body)
	}
	veriff := fixture(t, "veriff/mx_ine_db_verification.json")
	type call struct{ method, path string }
	calls := []struct {
		call
		body []byte
		ok   map[string]bool // keys that may
	}{
		{call{"POST", "/v1/decisions"}, doc, map[string]bool{apiKey: true, decideKey: true}},
		{call{"POST", "/v1/cases/app-000123/results"}, veriff, map[string]bool{apiKey: true, ingestKey: true}},
		{call{"POST", "/v1/cases/app-000123/decide"}, nil, map[string]bool{apiKey: true, ingestKey: true}},
		{call{"POST", "/v1/webhooks/preventor"}, fixture(t, "preventor/completed.json"), map[string]bool{apiKey: true, ingestKey: true}},
		{call{"GET", "/v1/cases/app-000123"}, nil, map[string]bool{apiKey: true, readerKey: true, auditorKey: true}},
		{call{"GET", "/v1/cases/app-000123?include=payloads"}, nil, map[string]bool{auditorKey: true}},
		{call{"GET", "/v1/policy"}, nil, map[string]bool{apiKey: true, readerKey: true, auditorKey: true, ingestKey: true, decideKey: true}},
		{call{"GET", "/v1/facts"}, nil, map[string]bool{apiKey: true, readerKey: true, auditorKey: true, ingestKey: true, decideKey: true}},
		{call{"GET", "/metrics"}, nil, map[string]bool{apiKey: true, readerKey: true, auditorKey: true, ingestKey: true, decideKey: true}},
	}
	for _, c := range calls {
		for _, key := range []string{apiKey, readerKey, auditorKey, ingestKey, decideKey, "unknown-key-0123456789abcdef"} {
			r := e.do(c.method, c.path, c.body, bearer(key)...)
			p := map[string]any{}
			_ = json.Unmarshal(r.body, &p)
			switch {
			case key == "unknown-key-0123456789abcdef":
				if r.status != 401 || p["code"] != "unauthenticated" {
					t.Errorf("%s %s, unknown key: %d %s", c.method, c.path, r.status, r.body)
				}
			case c.ok[key]:
				if r.status >= 300 {
					t.Errorf("%s %s with key %.8s: %d %s, want success", c.method, c.path, key, r.status, r.body)
				}
			default:
				if r.status != 403 || p["code"] != "forbidden" || p["scope"] == "" || p["type"] != server.ProblemTypePrefix+"forbidden" {
					t.Errorf("%s %s with key %.8s: %d %s, want 403", c.method, c.path, key, r.status, r.body)
				}
			}
		}
	}
	// The logs name keys by name or fingerprint, never by the key.
	logs := e.logs.String()
	for _, k := range []string{apiKey, readerKey, auditorKey, ingestKey, decideKey} {
		if strings.Contains(logs, k) {
			t.Errorf("the logs contain the key %.8s…", k)
		}
	}
	sum := sha256.Sum256([]byte(apiKey))
	for _, name := range []string{`"key":"reader"`, `"key":"decider"`, `"key":"sha256:` + hex.EncodeToString(sum[:4]) + `"`} {
		if !strings.Contains(logs, name) {
			t.Errorf("no log line names the key %s", name)
		}
	}
}

// TestPersonalDataRead replays issue #9's leak: a case read with an
// ordinary key returns no payload, names or CURP; the payloads need the
// read-personal-data scope, and every such read is audited without the
// data.
func TestPersonalDataRead(t *testing.T) {
	e := scopedServer(t)
	if r := e.api("POST", "/v1/decisions?store=true", fixture(t, "cases/mx_full_approved.json")); r.status != 200 {
		t.Fatalf("store: %d %s", r.status, r.body)
	}
	for _, key := range []string{apiKey, readerKey, auditorKey} {
		r := e.do("GET", "/v1/cases/app-000123", nil, bearer(key)...)
		for _, s := range personal(t) {
			if r.status != 200 || bytes.Contains(r.body, []byte(s)) {
				t.Fatalf("GET case with key %.8s: %d, personal data %q in %.300s", key, r.status, s, r.body)
			}
		}
	}
	for _, key := range []string{apiKey, readerKey} {
		r := e.do("GET", "/v1/cases/app-000123?include=payloads", nil, bearer(key)...)
		if r.status != 403 || r.json(t)["scope"] != "read-personal-data" || bytes.Contains(r.body, []byte("ROLJ")) {
			t.Fatalf("payloads with key %.8s: %d %s", key, r.status, r.body)
		}
	}
	if strings.Contains(e.logs.String(), "personal data read") {
		t.Fatal("a refused read was audited as a read")
	}
	r := e.do("GET", "/v1/cases/app-000123?include=payloads", nil, append(bearer(auditorKey), server.RequestIDHeader, "audit-req-1")...)
	c := r.json(t)
	res := c["results"].([]any)
	if r.status != 200 || len(res) == 0 || !bytes.Contains(r.body, []byte("ROLJ880912HJCDPN08")) {
		t.Fatalf("auditor: %d %.300s", r.status, r.body)
	}
	var audit map[string]any
	for _, line := range strings.Split(e.logs.String(), "\n") {
		if strings.Contains(line, `"msg":"personal data read"`) {
			if audit != nil {
				t.Fatal("one read audited twice")
			}
			_ = json.Unmarshal([]byte(line), &audit)
		}
	}
	if audit == nil || audit["key"] != "auditor" || audit["case_id"] != "app-000123" || audit["request_id"] != "audit-req-1" ||
		fmt.Sprint(audit["result_seqs"]) != fmt.Sprint(seqsOf(res)) {
		t.Fatalf("audit line %v, results %v", audit, seqsOf(res))
	}
	for _, s := range personal(t) {
		if strings.Contains(e.logs.String(), s) {
			t.Fatalf("the logs contain personal data %q", s)
		}
	}
	if r := e.do("GET", "/v1/cases/app-000123?include=everything", nil, bearer(auditorKey)...); r.status != 400 || r.json(t)["code"] != "invalid-query" {
		t.Fatalf("include=everything: %d %s", r.status, r.body)
	}
}

func seqsOf(res []any) []float64 {
	var out []float64
	for _, r := range res {
		out = append(out, r.(map[string]any)["seq"].(float64))
	}
	return out
}

// TestCasePaging checks that a case with a long history comes in bounded
// pages that together hold every result and decision once.
func TestCasePaging(t *testing.T) {
	e := start(t, storetest.SQLite(t), withKeys("all:"+apiKey+":read-decisions+read-personal-data+ingest"))
	const results, redecides = 27, 20
	for i := range results {
		if r := e.api("POST", "/v1/cases/long/results", veriffBody(t, 0, i)); r.status != 201 {
			t.Fatalf("result %d: %d %s", i, r.status, r.body)
		}
	}
	for range redecides {
		if r := e.api("POST", "/v1/cases/long/decide", nil); r.status != 200 {
			t.Fatalf("redecide: %d %s", r.status, r.body)
		}
	}
	type page struct {
		Results      []struct{ Seq int64 }
		History      []struct{ Seq int64 }
		ResultsTotal int `json:"results_total"`
		HistoryTotal int `json:"history_total"`
		Next         string
		Decision     map[string]any
	}
	walk := func(query string) (pages []page) {
		for after := ""; ; {
			r := e.api("GET", "/v1/cases/long?"+query+"&after="+after, nil)
			var p page
			if err := json.Unmarshal(r.body, &p); err != nil || r.status != 200 {
				t.Fatalf("%s after %s: %d %v %.200s", query, after, r.status, err, r.body)
			}
			pages = append(pages, p)
			if after = p.Next; after == "" {
				return pages
			}
			if len(pages) > 20 {
				t.Fatal("the cursor does not advance")
			}
		}
	}
	check := func(query string, maxPerPage, wantPages int) {
		t.Helper()
		pages := walk(query)
		var rs, hs []int64
		for _, p := range pages {
			if len(p.Results) > maxPerPage || len(p.History) > maxPerPage || p.Decision["outcome"] == nil ||
				p.ResultsTotal != results || p.HistoryTotal != results+redecides {
				t.Fatalf("%s: page of %d results, %d decisions, totals %d %d", query, len(p.Results), len(p.History), p.ResultsTotal, p.HistoryTotal)
			}
			for _, r := range p.Results {
				rs = append(rs, r.Seq)
			}
			for _, h := range p.History {
				hs = append(hs, h.Seq)
			}
		}
		if len(pages) != wantPages {
			t.Errorf("%s: %d pages, want %d", query, len(pages), wantPages)
		}
		for i, s := range rs {
			if s != int64(i+1) || len(rs) != results {
				t.Fatalf("%s: result seqs %v", query, rs)
			}
		}
		for i, s := range hs {
			if s != int64(i+1) || len(hs) != results+redecides {
				t.Fatalf("%s: decision seqs %v", query, hs)
			}
		}
	}
	check("", 20, 3) // 47 decisions: 20 + 20 + 7
	check("limit=100", 100, 1)
	check("limit=10", 10, 5)
	check("limit=7&include=payloads", 7, 7)
	for _, q := range []string{"limit=0", "limit=101", "limit=x", "after=h1", "after=hx.r1", "after=h-1.r0", "after=r1.h1"} {
		if r := e.api("GET", "/v1/cases/long?"+q, nil); r.status != 400 || r.json(t)["code"] != "invalid-query" {
			t.Errorf("%s: %d %s", q, r.status, r.body)
		}
	}
}

// TestCasePayloadBudget checks that payloads past the byte budget of a
// page go to the next page, one always fitting.
func TestCasePayloadBudget(t *testing.T) {
	e := start(t, storetest.SQLite(t), withKeys("all:"+apiKey+":read-decisions+read-personal-data+ingest"))
	const n, pad = 5, 300 << 10
	for i := range n {
		// A payload of 300 KB: a distinct Veriff decision with a long
		// unknown string the normalizer ignores.
		b := veriffBody(t, 1, i)
		b = bytes.Replace(b, []byte(`{`), []byte(`{"padding": "`+strings.Repeat("x", pad)+`", `), 1)
		if r := e.api("POST", "/v1/cases/big/results", b); r.status != 201 {
			t.Fatalf("result %d: %d %.300s", i, r.status, r.body)
		}
	}
	var got []int
	for after := ""; ; {
		r := e.api("GET", "/v1/cases/big?include=payloads&after="+after, nil)
		var p struct {
			Results []json.RawMessage
			Next    string
		}
		if err := json.Unmarshal(r.body, &p); err != nil || r.status != 200 {
			t.Fatalf("%d %v", r.status, err)
		}
		if len(r.body) > 1<<20+64<<10 {
			t.Fatalf("a page of %d bytes", len(r.body))
		}
		got = append(got, len(p.Results))
		if after = p.Next; after == "" {
			break
		}
	}
	if fmt.Sprint(got) != "[3 2]" {
		t.Fatalf("results per page %v, want [3 2] (1 MiB budget of 300 KB payloads)", got)
	}
}

// TestAuthConfigurations: keys only, --no-auth only, both (refused),
// neither (refused), and what needs no key in any of them.
func TestAuthConfigurations(t *testing.T) {
	st := openStore(t)
	for _, c := range []struct {
		name string
		cfg  server.Config
		want string
	}{
		{"neither", server.Config{}, "no API keys"},
		{"both", server.Config{APIKeys: []string{apiKey}, NoAuth: true}, "both API keys"},
		{"short", server.Config{APIKeys: []string{"short"}}, "entry 1 of 1: the key is 5 characters long"},
		{"short named", server.Config{APIKeys: []string{apiKey, "ops:shortkey"}}, "entry 2 of 2 (ops): the key is 8 characters"},
		{"bad name", server.Config{APIKeys: []string{"bad name:" + secondKey}}, "entry 1 of 1: the name"},
		{"bad scope", server.Config{APIKeys: []string{"ops:" + secondKey + ":admin"}}, `entry 1 of 1 (ops): unknown scope "admin"`},
		{"no scope", server.Config{APIKeys: []string{"ops:" + secondKey + ":"}}, `unknown scope ""`},
		{"colons", server.Config{APIKeys: []string{"a:" + secondKey + ":decide:x"}}, "too many ':'"},
		{"same key", server.Config{APIKeys: []string{"a:" + secondKey, "b:" + secondKey + ":decide"}}, "entry 2 of 2 has the same key as entry 1"},
		{"same name", server.Config{APIKeys: []string{"a:" + secondKey, "a:" + apiKey}}, `the same name "a" as entry 1`},
	} {
		c.cfg.PolicyPath = standardPolicy
		_, err := server.New(c.cfg, st)
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), secondKey) || strings.Contains(err.Error(), "shortkey") ||
			strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
	}
	// Run refuses both before it listens or opens a store.
	err := server.Run(t.Context(), server.Config{Addr: "127.0.0.1:0", PolicyPath: standardPolicy, APIKeys: []string{apiKey}, NoAuth: true, StoreAddr: "sqlite:" + t.TempDir() + "/x.db"})
	if err == nil || !strings.Contains(err.Error(), "both API keys") {
		t.Fatalf("Run with keys and --no-auth: %v", err)
	}

	// --no-auth only: every endpoint, every scope, no key needed.
	e := start(t, storetest.SQLite(t), func(c *server.Config) { c.APIKeys, c.NoAuth = nil, true })
	if r := e.do("POST", "/v1/decisions?store=true", fixture(t, "cases/mx_full_approved.json")); r.status != 200 {
		t.Fatalf("no-auth decide: %d %s", r.status, r.body)
	}
	if r := e.do("GET", "/v1/cases/app-000123?include=payloads", nil, "X-API-Key", "anything-0123456789abcdef"); r.status != 200 || !strings.Contains(string(r.body), `"payload"`) {
		t.Fatalf("no-auth read: %d %.200s", r.status, r.body)
	}
	if !strings.Contains(e.logs.String(), `"key":"no-auth"`) {
		t.Error("no-auth requests are not logged as such")
	}

	// Keys only: the key in either header, one key per request.
	e = start(t, storetest.SQLite(t))
	doc := fixture(t, "cases/mx_full_approved.json")
	for _, h := range [][]string{
		{"Authorization", "Bearer " + apiKey},
		{"X-API-Key", apiKey},
		{"Authorization", "bEaReR  " + apiKey + " "},
	} {
		if r := e.do("POST", "/v1/decisions", doc, h...); r.status != 200 {
			t.Errorf("%q: %d", h[0], r.status)
		}
	}
	for _, h := range [][]string{
		{"Authorization", "Bearer wrong-key-0123456789abcdef", "X-API-Key", apiKey}, // Authorization wins, no fallback
		{"Authorization", "Token " + apiKey},
		{"Authorization", "Basic eDp5", "X-API-Key", apiKey}, // an Authorization header of another scheme is no key
		{"Authorization", apiKey},
		{"X-API-Key", "Bearer " + apiKey},
	} {
		if r := e.do("POST", "/v1/decisions", doc, h...); r.status != 401 {
			t.Errorf("%v: %d", h, r.status)
		}
	}
	// No key needed: the webhooks (signed or tokened), health, readiness
	// and the API document.
	veriff := fixture(t, "veriff/mx_ine_db_verification.json")
	if r := e.do("POST", "/v1/webhooks/veriff", veriff, signed(veriff)...); r.status != 200 {
		t.Errorf("veriff webhook without a key: %d %s", r.status, r.body)
	}
	for _, p := range []string{"/healthz", "/readyz", "/openapi.json"} {
		if r := e.do("GET", p, nil); r.status != 200 {
			t.Errorf("GET %s without a key: %d", p, r.status)
		}
	}
	ep := start(t, storetest.SQLite(t), withPreventorKey)
	body, iv, err := server.EncryptPreventor(preventorKey, bytes.Repeat([]byte{1}, 16), fixture(t, "preventor/completed.json"))
	if err != nil {
		t.Fatal(err)
	}
	if r := ep.do("POST", "/v1/webhooks/preventor/"+preventorToken, []byte(body), server.PreventorIVHeader, iv); r.status != 200 {
		t.Errorf("preventor webhook without a key: %d %s", r.status, r.body)
	}
}

func openStore(t *testing.T) store.Store {
	st, err := store.Open(t.Context(), storetest.SQLite(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	return st
}
