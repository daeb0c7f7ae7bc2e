package server_test

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/veredicto/veredicto/cmd/internal/server"
	"github.com/veredicto/veredicto/cmd/internal/store"
	"github.com/veredicto/veredicto/cmd/internal/store/storetest"
)

func TestVeriffWebhook(t *testing.T) {
	forEachStore(t, func(t *testing.T, addr func(testing.TB) string) {
		e := start(t, addr(t))
		body := fixture(t, "veriff/mx_ine_db_verification.json")
		sig := server.SignVeriff([]byte(veriffSecret), body)
		const path = "/v1/webhooks/veriff"

		// Refused before anything is stored: unsigned, wrongly signed,
		// signed with another secret, a signature of another body.
		other := append(bytes.Clone(body), ' ')
		for _, c := range []struct {
			name    string
			headers []string
			reason  string
		}{
			{"unsigned", nil, "missing"},
			{"empty", []string{"X-HMAC-SIGNATURE", ""}, "missing"},
			{"not hex", []string{"X-HMAC-SIGNATURE", "zz" + sig[2:]}, "malformed"},
			{"short", []string{"X-HMAC-SIGNATURE", sig[:62]}, "malformed"},
			{"flipped", []string{"X-HMAC-SIGNATURE", flip(sig)}, "mismatch"},
			{"other secret", []string{"X-HMAC-SIGNATURE", server.SignVeriff([]byte("other"), body)}, "mismatch"},
			{"other body", []string{"vrf-hmac-signature", server.SignVeriff([]byte(veriffSecret), other)}, "mismatch"},
			{"API key instead", []string{"Authorization", "Bearer " + apiKey}, "missing"},
		} {
			r := e.do("POST", path, body, c.headers...)
			if r.status != 401 || !strings.Contains(r.errMsg(), "X-HMAC-SIGNATURE") {
				t.Errorf("%s: %d %s", c.name, r.status, r.body)
			}
		}
		if got := e.stats(); got != (store.Stats{}) {
			t.Fatalf("refused webhooks stored something: %+v", got)
		}
		for reason, want := range map[string]float64{"missing": 3, "malformed": 2, "mismatch": 3} {
			if got := e.metric(`veredicto_webhook_verification_failures_total{provider="veriff",reason="` + reason + `"}`); got != want {
				t.Errorf("failures{%s} = %v, want %v", reason, got, want)
			}
		}

		// Signed right, in either header, in any letter case.
		for i, h := range [][]string{
			{"X-HMAC-SIGNATURE", sig},
			{"x-hmac-signature", sig},
			{"vrf-hmac-signature", sig},
			{"VRF-HMAC-SIGNATURE", strings.ToUpper(sig)},
		} {
			r := e.do("POST", path, body, h...)
			want := `{"status":"duplicate"}`
			if i == 0 {
				want = `{"status":"stored"}`
			}
			if r.status != 200 || string(r.body) != want {
				t.Fatalf("%v: %d %s, want %s", h, r.status, r.body, want)
			}
		}
		if got := e.stats(); got != (store.Stats{Cases: 1, Results: 1, Decisions: 1}) {
			t.Fatalf("after one delivery and three repeats: %+v", got)
		}
		c := e.api("GET", "/v1/cases/1234567890", nil).json(t)
		res := c["results"].([]any)[0].(map[string]any)
		if res["source"] != "webhook" || res["provider"] != "veriff" {
			t.Fatalf("stored result %v", res)
		}

		// Signed but unusable: 422, nothing stored.
		before := e.stats()
		for name, doc := range map[string][]byte{
			"malformed":      []byte(`{"status": "success", "verification": {`),
			"no case id":     fixture(t, "veriff/pending_decision.json"),
			"other provider": fixture(t, "preventor/completed.json"),
			"empty":          {},
		} {
			r := e.do("POST", path, doc, signed(doc)...)
			if r.status != 422 || r.errMsg() == "" {
				t.Errorf("%s: %d %s", name, r.status, r.body)
			}
		}
		// A session event webhook is acknowledged and not stored.
		ev := []byte(`{"id":"f04bdb47-d3be-4b28-b028-a652feb060b5","attemptId":"e30122d1-740b-4764-853f-470374a7abf4","feature":"selfid","code":7002,"action":"submitted","vendorData":"1234567890"}`)
		if r := e.do("POST", path, ev, signed(ev)...); r.status != 202 || !strings.Contains(string(r.body), "ignored") {
			t.Errorf("event webhook: %d %s", r.status, r.body)
		}
		if after := e.stats(); after != before {
			t.Fatalf("unusable webhooks changed the store: %+v → %+v", before, after)
		}

		// A second result of the case re-decides it.
		dec := fixture(t, "veriff/mx_curp_db_verification.json")
		if r := e.do("POST", path, dec, signed(dec)...); r.status != 200 || string(r.body) != `{"status":"stored"}` {
			t.Fatalf("second result: %d %s", r.status, r.body)
		}
		c = e.api("GET", "/v1/cases/1234567890", nil).json(t)
		if h := c["history"].([]any); len(h) != 2 || h[1].(map[string]any)["results"] != 2.0 {
			t.Fatalf("history %v", h)
		}
		if e.metric(`veredicto_webhooks_total{provider="veriff",result="stored"}`) != 2 ||
			e.metric(`veredicto_webhooks_total{provider="veriff",result="duplicate"}`) != 3 {
			t.Error("webhooks_total does not add up")
		}
	})
}

// Veriff's INE and CURP registry webhooks come through the Veriff route,
// signed like decisions, and are stored as veriff_ine results of the case
// their vendorData names.
func TestVeriffRegistryWebhooks(t *testing.T) {
	e := start(t, storetest.SQLite(t))
	const path = "/v1/webhooks/veriff"
	ine := fixture(t, "veriff_ine/webhook_ine_registry.json")
	curp := fixture(t, "veriff_ine/webhook_curp_registry.json")

	// Unsigned or signed with another secret: 401, nothing stored.
	for _, h := range [][]string{nil, {"X-HMAC-SIGNATURE", server.SignVeriff([]byte("other"), ine)}, {"X-HMAC-SIGNATURE", server.SignVeriff([]byte(veriffSecret), curp)}} {
		if r := e.do("POST", path, ine, h...); r.status != 401 {
			t.Fatalf("%v: %d %s", h, r.status, r.body)
		}
	}
	if got := e.stats(); got != (store.Stats{}) {
		t.Fatalf("refused webhooks stored something: %+v", got)
	}

	for i, body := range [][]byte{ine, curp} {
		r := e.do("POST", path, body, signed(body)...)
		if r.status != 200 || string(r.body) != `{"status":"stored"}` {
			t.Fatalf("registry webhook %d: %d %s", i, r.status, r.body)
		}
	}
	if r := e.do("POST", path, ine, signed(ine)...); r.status != 200 || string(r.body) != `{"status":"duplicate"}` {
		t.Fatalf("re-delivery: %d %s", r.status, r.body)
	}
	c := e.api("GET", "/v1/cases/1234567812345678", nil).json(t)
	results := c["results"].([]any)
	if len(results) != 2 {
		t.Fatalf("results %v", results)
	}
	for _, res := range results {
		if m := res.(map[string]any); m["provider"] != "veriff_ine" || m["source"] != "webhook" {
			t.Errorf("stored result %v", m)
		}
	}

	// Other Veriff event types are not registry answers: 422, not stored.
	before := e.stats()
	for _, doc := range [][]byte{
		[]byte(strings.Replace(string(ine), `"ine_registry"`, `"user-status.created"`, 1)),
		[]byte(strings.Replace(string(curp), `"type": "curp_registry"`, `"type": "curp_registry", "eventType": "other"`, 1)),
		[]byte(strings.Replace(string(ine), `"data": {`, `"datos": {`, 1)),
	} {
		if r := e.do("POST", path, doc, signed(doc)...); r.status != 422 {
			t.Errorf("%.60s: %d %s", doc, r.status, r.body)
		}
	}
	if after := e.stats(); after != before {
		t.Fatalf("unusable registry webhooks changed the store: %+v → %+v", before, after)
	}
}

func TestVeriffWebhookDisabled(t *testing.T) {
	e := start(t, storetest.SQLite(t), func(c *server.Config) { c.VeriffSecret = nil })
	body := fixture(t, "veriff/mx_ine_db_verification.json")
	if r := e.do("POST", "/v1/webhooks/veriff", body, signed(body)...); r.status != 404 || !strings.Contains(r.errMsg(), "VEREDICTO_VERIFF_SECRET") {
		t.Fatalf("%d %s", r.status, r.body)
	}
}

func flip(hexSig string) string {
	b, _ := hex.DecodeString(hexSig)
	b[len(b)-1] ^= 1
	return hex.EncodeToString(b)
}

func TestPreventorWebhookEncrypted(t *testing.T) {
	forEachStore(t, func(t *testing.T, addr func(testing.TB) string) {
		e := start(t, addr(t), withPreventorKey)
		const path = "/v1/webhooks/preventor/" + preventorToken
		plain := fixture(t, "preventor/completed.json")
		iv := bytes.Repeat([]byte{7}, 16)
		body, ivText, err := server.EncryptPreventor(preventorKey, iv, plain)
		if err != nil {
			t.Fatal(err)
		}
		good := []string{server.PreventorIVHeader, ivText}

		// Refused: no IV, a bad IV, the wrong key, tampered ciphertext,
		// plaintext, garbage, ciphertext of something that is not a
		// Preventor payload. Nothing is stored, and whether the padding was
		// right does not show in the answer.
		wrongKey, _, _ := server.EncryptPreventor(bytes.Repeat([]byte{1}, 32), iv, plain)
		raw, _ := base64.StdEncoding.DecodeString(body)
		tampered := bytes.Clone(raw)
		tampered[len(tampered)-20] ^= 0x40
		notPreventor, _, _ := server.EncryptPreventor(preventorKey, iv, []byte(`{"hello": "world"}`))
		notJSON, _, _ := server.EncryptPreventor(preventorKey, iv, []byte(`ticket, but not JSON`))
		undecryptable := "does not decrypt with the configured Preventor key"
		for _, c := range []struct {
			name    string
			body    string
			headers []string
			want    string
		}{
			{"no IV", body, nil, "x-pvt-cipher-iv"},
			{"IV not base64", body, []string{server.PreventorIVHeader, "%%%"}, "x-pvt-cipher-iv"},
			{"IV too short", body, []string{server.PreventorIVHeader, base64.StdEncoding.EncodeToString(iv[:8])}, "x-pvt-cipher-iv"},
			{"wrong key", wrongKey, good, undecryptable},
			{"tampered", base64.StdEncoding.EncodeToString(tampered), good, undecryptable},
			{"truncated", base64.StdEncoding.EncodeToString(raw[:len(raw)-3]), good, undecryptable},
			{"plaintext", string(plain), good, undecryptable},
			{"not base64", "@@@@", good, undecryptable},
			{"empty", "", good, undecryptable},
			{"not a Preventor payload", notPreventor, good, undecryptable},
			{"not JSON", notJSON, good, undecryptable},
		} {
			r := e.do("POST", path, []byte(c.body), c.headers...)
			if r.status != 400 || !strings.Contains(r.errMsg(), c.want) {
				t.Errorf("%s: %d %s", c.name, r.status, r.body)
			}
		}
		if got := e.stats(); got != (store.Stats{}) {
			t.Fatalf("refused webhooks stored something: %+v", got)
		}
		if got := e.metric(`veredicto_webhook_verification_failures_total{provider="preventor",reason="decrypt"}`); got != 11 {
			t.Errorf("decrypt failures %v, want 11", got)
		}
		// One answer for every body that does not decrypt to a Preventor
		// payload, whether its padding was right or not: no oracle.
		answers := map[string]bool{}
		for _, b := range []string{wrongKey, base64.StdEncoding.EncodeToString(tampered), notPreventor, notJSON} {
			answers[string(e.do("POST", path, []byte(b), append([]string{server.RequestIDHeader, "same-id"}, good...)...).body)] = true
		}
		if len(answers) != 1 {
			t.Errorf("undecryptable bodies get %d different answers: %v", len(answers), answers)
		}

		// Decrypted and stored under the ticket; the same event encrypted
		// with another IV, or sent as a JSON string, is a duplicate.
		if r := e.do("POST", path, []byte(body), good...); r.status != 200 || string(r.body) != `{"status":"stored"}` {
			t.Fatalf("good: %d %s", r.status, r.body)
		}
		iv2 := bytes.Repeat([]byte{9}, 16)
		body2, iv2Text, _ := server.EncryptPreventor(preventorKey, iv2, plain)
		if body2 == body {
			t.Fatal("another IV gave the same ciphertext")
		}
		for _, b := range []string{body2, `"` + body2 + `"`, body2[:40] + "\n" + body2[40:] + "\n"} {
			if r := e.do("POST", path, []byte(b), server.PreventorIVHeader, iv2Text); r.status != 200 || string(r.body) != `{"status":"duplicate"}` {
				t.Fatalf("re-encrypted: %d %s", r.status, r.body)
			}
		}
		c, err := e.st.Case(t.Context(), "762ebbda-0edb-4e48-86bc-11a280273601")
		if err != nil {
			t.Fatal(err)
		}
		if len(c.Results) != 1 || !bytes.Equal(c.Results[0].Payload, plain) || c.Results[0].Provider != "preventor" {
			t.Fatalf("stored %+v", c.Results)
		}
		// Encrypted webhooks need no API key; a plaintext event of the
		// ticket through the API is the same delivery.
		r := e.api("POST", "/v1/cases/762ebbda-0edb-4e48-86bc-11a280273601/results", plain)
		if r.status != 200 || !strings.Contains(string(r.body), `"duplicates":1`) {
			t.Fatalf("same event through the API: %d %.200s", r.status, r.body)
		}
		rejected, _, _ := server.EncryptPreventor(preventorKey, iv, fixture(t, "preventor/liveness_passed.json"))
		if r := e.do("POST", path, []byte(rejected), good...); r.status != 200 {
			t.Fatalf("second event: %d %s", r.status, r.body)
		}
		if got := e.stats(); got != (store.Stats{Cases: 1, Results: 2, Decisions: 2}) {
			t.Fatalf("stats %+v", got)
		}
	})
}

// TestPreventorForgery replays the attack on Preventor's unsigned
// AES-CBC: flipping bits of the IV of a captured ciphertext re-targets the
// decrypted ticket. Without the URL token nothing reaches the decryption;
// and the server does not start with a key but no token.
func TestPreventorForgery(t *testing.T) {
	forEachStore(t, func(t *testing.T, addr func(testing.TB) string) {
		e := start(t, addr(t), withPreventorKey)
		var compact bytes.Buffer
		if err := json.Compact(&compact, fixture(t, "preventor/completed.json")); err != nil {
			t.Fatal(err)
		}
		plain := compact.Bytes()
		iv := bytes.Repeat([]byte{3}, 16)
		body, _, err := server.EncryptPreventor(preventorKey, iv, plain)
		if err != nil {
			t.Fatal(err)
		}
		// {"ticket":"762eb… → {"ticket":"ATTAK…: XOR the IV where the ticket starts.
		at := bytes.Index(plain, []byte(`762eb`))
		if at < 0 || at+5 > 16 {
			t.Fatalf("the ticket does not start in the first block (at %d)", at)
		}
		forgedIV := bytes.Clone(iv)
		for i, c := range []byte("ATTAK") {
			forgedIV[at+i] ^= plain[at+i] ^ c
		}
		forged := []string{server.PreventorIVHeader, base64.StdEncoding.EncodeToString(forgedIV)}
		for _, path := range []string{"/v1/webhooks/preventor", "/v1/webhooks/preventor/", "/v1/webhooks/preventor/guess", "/v1/webhooks/preventor/" + preventorToken[:len(preventorToken)-1]} {
			if r := e.do("POST", path, []byte(body), forged...); r.status != 404 {
				t.Errorf("forged delivery to %s: %d %s", path, r.status, r.body)
			}
		}
		if got := e.stats(); got != (store.Stats{}) {
			t.Fatalf("a forged webhook was stored: %+v", got)
		}
		if got := e.metric(`veredicto_webhook_verification_failures_total{provider="preventor",reason="token"}`); got != 2 {
			t.Errorf("token failures %v, want 2", got)
		}
	})
	// A key without a token is refused at start-up.
	st, err := store.Open(t.Context(), storetest.SQLite(t))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, tok := range []string{"", "short"} {
		_, err := server.New(server.Config{PolicyPath: standardPolicy, APIKeys: []string{apiKey}, PreventorKey: preventorKey, PreventorToken: []byte(tok)}, st)
		if err == nil || !strings.Contains(err.Error(), "VEREDICTO_PREVENTOR_TOKEN") {
			t.Errorf("token %q: %v", tok, err)
		}
	}
}

func TestPreventorWebhookPlain(t *testing.T) {
	e := start(t, storetest.SQLite(t))
	plain := fixture(t, "preventor/completed.json")
	if r := e.do("POST", "/v1/webhooks/preventor", plain); r.status != 401 {
		t.Fatalf("without key or API key: %d %s", r.status, r.body)
	}
	if r := e.api("POST", "/v1/webhooks/preventor", plain); r.status != 200 || string(r.body) != `{"status":"stored"}` {
		t.Fatalf("with an API key: %d %s", r.status, r.body)
	}
	for name, doc := range map[string][]byte{
		"veriff":    fixture(t, "veriff/mx_ine_db_verification.json"),
		"malformed": []byte(`{"ticket": "x", "event": "ticket.verification.completed",`),
		"no ticket": fixture(t, "veriff/pending_decision.json"),
	} {
		if r := e.api("POST", "/v1/webhooks/preventor", doc); r.status != 422 {
			t.Errorf("%s: %d %s", name, r.status, r.body)
		}
	}
	if got := e.stats(); got != (store.Stats{Cases: 1, Results: 1, Decisions: 1}) {
		t.Fatalf("stats %+v", got)
	}
}

func TestParsePreventorKey(t *testing.T) {
	key := bytes.Repeat([]byte{0xc3}, 32)
	for _, s := range []string{
		hex.EncodeToString(key),
		strings.ToUpper(hex.EncodeToString(key)),
		base64.StdEncoding.EncodeToString(key),
		base64.RawURLEncoding.EncodeToString(key),
		" " + hex.EncodeToString(key) + "\n",
	} {
		got, err := server.ParsePreventorKey(s)
		if err != nil || !bytes.Equal(got, key) {
			t.Errorf("%q: %x %v", s, got, err)
		}
	}
	if got, err := server.ParsePreventorKey("0123456789abcdefghijklmnopqrstuv"); err != nil || string(got) != "0123456789abcdefghijklmnopqrstuv" {
		t.Errorf("32 characters: %q %v", got, err)
	}
	// 32 characters are the key's bytes, whatever they look like.
	if got, _ := server.ParsePreventorKey(hex.EncodeToString(key[:16])); string(got) != hex.EncodeToString(key[:16]) {
		t.Errorf("32 hex digits: %q", got)
	}
	for _, s := range []string{"", "short", hex.EncodeToString(key[:20]), base64.StdEncoding.EncodeToString(key[:30]), strings.Repeat("g", 64)} {
		if _, err := server.ParsePreventorKey(s); err == nil {
			t.Errorf("%q accepted", s)
		}
	}
}

// veriffDecision is a Veriff decision of case caseID with a status, code
// and decision time.
func veriffDecision(t *testing.T, caseID, status string, code int, at string) []byte {
	t.Helper()
	var d map[string]any
	if err := json.Unmarshal(fixture(t, "veriff/idv_doc_selfie.json"), &d); err != nil {
		t.Fatal(err)
	}
	v := d["verification"].(map[string]any)
	v["vendorData"], v["status"], v["code"], v["decisionTime"] = caseID, status, code, at
	if status != "approved" {
		v["reasonCode"], v["reason"] = 102, "Suspected document tampering"
	}
	b, _ := json.Marshal(d)
	return b
}

// TestProvenanceOutranksTime replays the attack: a signed Veriff decline
// arrives by webhook, then an unsigned "approved" dated 2099 is posted
// with an API key. The API result is kept as history but does not decide,
// and the decision says so. Without the signed decline, the same API
// result decides as before.
func TestProvenanceOutranksTime(t *testing.T) {
	small := func(c *server.Config) { c.PolicyPath = "testdata/small.yaml" }
	e := start(t, "sqlite:"+filepath.Join(t.TempDir(), "v.db"), small)
	decline := veriffDecision(t, "victim-1", "declined", 9102, "2025-06-01T10:00:00Z")
	if r := e.do("POST", "/v1/webhooks/veriff", decline, signed(decline)...); r.status != 200 {
		t.Fatalf("signed decline: %d %s", r.status, r.body)
	}
	forged := veriffDecision(t, "victim-1", "approved", 9001, "2099-01-01T00:00:00Z")
	if r := e.api("POST", "/v1/cases/victim-1/results", forged); r.status/100 != 2 {
		t.Fatalf("API result: %d %s", r.status, r.body)
	}
	c := e.api("GET", "/v1/cases/victim-1", nil).json(t)
	d := c["decision"].(map[string]any)
	if d["outcome"] == "approve" || !strings.Contains(fmt.Sprint(d["warnings"]), "submitted through the API not used") {
		t.Fatalf("an unsigned approval outranked a signed decline: %v", d)
	}
	// An unsigned "no" is not hidden by a signed "yes" either: deciding with
	// the API result is more severe, so that decision stands.
	approved := veriffDecision(t, "victim-3", "approved", 9001, "2025-06-01T10:00:00Z")
	if r := e.do("POST", "/v1/webhooks/veriff", approved, signed(approved)...); r.status != 200 {
		t.Fatalf("signed approval: %d %s", r.status, r.body)
	}
	if d := e.api("GET", "/v1/cases/victim-3", nil).json(t)["decision"].(map[string]any); d["outcome"] != "approve" {
		t.Fatalf("a signed approval alone: %v", d["outcome"])
	}
	declined := veriffDecision(t, "victim-3", "declined", 9102, "2025-06-01T11:00:00Z")
	if r := e.api("POST", "/v1/cases/victim-3/results", declined); r.status/100 != 2 {
		t.Fatalf("API decline: %d %s", r.status, r.body)
	}
	d3 := e.api("GET", "/v1/cases/victim-3", nil).json(t)["decision"].(map[string]any)
	if d3["outcome"] == "approve" || !strings.Contains(fmt.Sprint(d3["warnings"]), "more severe") {
		t.Fatalf("an API decline was hidden by a signed approval: %v", d3)
	}
	// The same API result alone decides.
	other := veriffDecision(t, "other-1", "approved", 9001, "2025-06-01T10:00:00Z")
	if r := e.api("POST", "/v1/cases/other-1/results", other); r.status/100 != 2 {
		t.Fatalf("API result: %d %s", r.status, r.body)
	}
	if d := e.api("GET", "/v1/cases/other-1", nil).json(t)["decision"].(map[string]any); d["outcome"] != "approve" {
		t.Fatalf("an API result alone: %v", d)
	}
}

// TestHistoryDoesNotBrickACase: anyone with an API key could fill a case
// with results up to the envelope limit, after which every genuine signed
// webhook got a 422 (so the provider stopped retrying). Past maxDecided
// results the case is decided over the latest ones and keeps accepting.
func TestHistoryDoesNotBrickACase(t *testing.T) {
	e := start(t, "sqlite:"+filepath.Join(t.TempDir(), "v.db"), func(c *server.Config) { c.PolicyPath = "testdata/small.yaml" })
	for i := range 300 {
		body := veriffDecision(t, "victim-2", "approved", 9001, fmt.Sprintf("2025-06-01T10:%02d:%02dZ", i/60, i%60))
		if r := e.api("POST", "/v1/cases/victim-2/results", body); r.status/100 != 2 {
			t.Fatalf("result %d: %d %s", i+1, r.status, r.body)
		}
	}
	decline := veriffDecision(t, "victim-2", "declined", 9102, "2025-06-02T10:00:00Z")
	if r := e.do("POST", "/v1/webhooks/veriff", decline, signed(decline)...); r.status != 200 {
		t.Fatalf("the genuine webhook after 300 results: %d %s", r.status, r.body)
	}
	d := e.api("GET", "/v1/cases/victim-2", nil).json(t)["decision"].(map[string]any)
	if d["outcome"] == "approve" {
		t.Fatalf("the signed decline did not count: %v", d["outcome"])
	}
}

// Preventor's other webhook products (Identity Verification API,
// Invitations link), sent to the same URL by a genuine Preventor, are
// acknowledged with 202 and not stored, on the plain route and the
// encrypted one, so that Preventor does not resend them; the answer and
// the log name the product and nothing of the person. A malformed ticket
// webhook is still refused.
func TestPreventorOtherProducts(t *testing.T) {
	others := map[string][]byte{}
	for _, name := range []string{"identity_verification_completed", "onboarding_completed", "invitation_completed"} {
		b, err := os.ReadFile("../../../normalizers/preventor/testdata/" + name + ".json")
		if err != nil {
			t.Fatal(err)
		}
		others[name] = b
	}
	check := func(t *testing.T, e *env, post func([]byte) reply) {
		for name, doc := range others {
			r := post(doc)
			var st struct{ Status, Reason string }
			if err := json.Unmarshal(r.body, &st); r.status != 202 || err != nil || st.Status != "ignored" || !strings.Contains(st.Reason, "is not read") {
				t.Errorf("%s: %d %s", name, r.status, r.body)
			}
			for _, personal := range []string{"Jon Doe", "CIFCODE"} {
				if bytes.Contains(r.body, []byte(personal)) {
					t.Errorf("%s: the answer repeats %s", name, personal)
				}
			}
		}
		if got := e.stats(); got != (store.Stats{}) {
			t.Errorf("other products were stored: %+v", got)
		}
		if n := e.metric(`veredicto_webhooks_total{provider="preventor",result="ignored"}`); n != 3 {
			t.Errorf("ignored webhooks counted %v, want 3", n)
		}
		logs := e.logs.String()
		if strings.Count(logs, "webhook ignored") != 3 || strings.Contains(logs, "Jon Doe") || strings.Contains(logs, "CIFCODE") {
			t.Errorf("logs:\n%s", logs)
		}
		if r := post([]byte(`{"ticket": "x", "event": "ticket.verification.completed",`)); r.status == 202 || r.status == 200 {
			t.Errorf("a malformed ticket webhook: %d %s", r.status, r.body)
		}
	}
	t.Run("plain", func(t *testing.T) {
		e := start(t, storetest.SQLite(t))
		check(t, e, func(doc []byte) reply { return e.api("POST", "/v1/webhooks/preventor", doc) })
	})
	t.Run("encrypted", func(t *testing.T) {
		e := start(t, storetest.SQLite(t), withPreventorKey)
		check(t, e, func(doc []byte) reply {
			body, iv, err := server.EncryptPreventor(preventorKey, bytes.Repeat([]byte{3}, 16), doc)
			if err != nil {
				t.Fatal(err)
			}
			return e.do("POST", "/v1/webhooks/preventor/"+preventorToken, []byte(body), server.PreventorIVHeader, iv)
		})
	})
}
