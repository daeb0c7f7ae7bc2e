package server

import (
	"bytes"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"net/http"
	"slices"

	"github.com/tidwall/gjson"

	"github.com/veredicto/veredicto/cmd/internal/store"
	"github.com/veredicto/veredicto/normalizers"
)

// handleVeriff ingests a Veriff webhook: a decision (provider veriff), or
// the INE registry ({"eventType": "ine_registry", ...}) or CURP registry
// ({"type": "curp_registry", ...}) webhook (provider veriff_ine), stored
// under the vendorData, endUserId or session id it carries. Every one is
// signed the same way: the HMAC-SHA256 of the raw body with the shared
// secret must be in X-HMAC-SIGNATURE or vrf-hmac-signature; unsigned or
// wrongly signed bodies get 401 and are not stored.
func (s *Server) handleVeriff(w http.ResponseWriter, r *http.Request) {
	if s.cfg.VeriffSecret == nil {
		s.fail(w, &inputError{status: 404, code: codeWebhookDisabled, msg: "the Veriff webhook is not configured: set VEREDICTO_VERIFF_SECRET"})
		return
	}
	body, ok := s.webhookBody(w, r, "veriff")
	if !ok {
		return
	}
	if reason := verifyVeriff(s.cfg.VeriffSecret, r.Header, body); reason != "" {
		s.m.webhookFailures.WithLabelValues("veriff", reason).Inc()
		s.m.webhooks.WithLabelValues("veriff", "rejected").Inc()
		s.log.WarnContext(r.Context(), "webhook refused: bad signature", "provider", "veriff", "reason", reason, "remote", r.RemoteAddr)
		s.fail(w, &inputError{status: 401, code: codeBadSignature, msg: "missing or wrong X-HMAC-SIGNATURE: the body must be signed with the integration's shared secret"})
		return
	}
	// Session event webhooks (started, submitted) carry no decision.
	if ev := gjson.GetManyBytes(body, "verification", "action", "feature"); !ev[0].Exists() && ev[1].Exists() && ev[2].Exists() {
		s.m.webhooks.WithLabelValues("veriff", "ignored").Inc()
		writeJSON(w, 202, []byte(`{"status":"ignored","reason":"a Veriff session event carries no decision"}`))
		return
	}
	s.ingest(w, r, "veriff", body, false, false, "veriff", "veriff_ine")
}

// handlePreventor ingests a Preventor ticket webhook. With a key
// configured the URL must end with the secret token (compared in constant
// time; a wrong one is a 404 like any unknown path), and the body is base64
// AES-256-CBC ciphertext with its IV in x-pvt-cipher-iv; what does not
// decrypt, or decrypts to something that is not a Preventor payload, gets
// 400 with one message after the same work, and is not stored.
func (s *Server) handlePreventor(w http.ResponseWriter, r *http.Request) {
	encrypted := s.cfg.PreventorKey != nil
	if encrypted && !tokenMatches(s.cfg.PreventorToken, r.PathValue("token")) {
		s.m.webhookFailures.WithLabelValues("preventor", reasonToken).Inc()
		s.m.webhooks.WithLabelValues("preventor", "rejected").Inc()
		s.log.WarnContext(r.Context(), "webhook refused: wrong URL token", "provider", "preventor", "remote", r.RemoteAddr)
		s.fail(w, noSuchRoute(r))
		return
	}
	body, ok := s.webhookBody(w, r, "preventor")
	if !ok {
		return
	}
	forged := false
	if encrypted {
		plain, valid, err := decryptPreventor(s.cfg.PreventorKey, r.Header, body)
		if err != nil {
			s.refusePreventor(w, r, err)
			return
		}
		body, forged = plain, !valid
	}
	s.ingest(w, r, "preventor", body, encrypted, forged, "preventor")
}

// tokenMatches compares a presented URL token with the configured one in
// constant time (over their hashes, so the length does not show either).
func tokenMatches(want []byte, got string) bool {
	a, b := sha256.Sum256(want), sha256.Sum256([]byte(got))
	return len(want) > 0 && subtle.ConstantTimeCompare(a[:], b[:]) == 1
}

func (s *Server) refusePreventor(w http.ResponseWriter, r *http.Request, err error) {
	s.m.webhookFailures.WithLabelValues("preventor", reasonDecrypt).Inc()
	s.m.webhooks.WithLabelValues("preventor", "rejected").Inc()
	s.log.WarnContext(r.Context(), "webhook refused: does not decrypt", "provider", "preventor", "remote", r.RemoteAddr)
	s.fail(w, &inputError{status: 400, code: codeUndecryptable, msg: err.Error()})
}

// webhookBody reads a webhook body; it answers the request when it cannot.
func (s *Server) webhookBody(w http.ResponseWriter, r *http.Request, provider string) ([]byte, bool) {
	var buf bytes.Buffer
	if err := s.readBody(w, r, &buf); err != nil {
		s.m.webhooks.WithLabelValues(provider, "rejected").Inc()
		s.fail(w, err)
		return nil, false
	}
	return buf.Bytes(), true
}

// webhookStatus is the answer to a webhook that is not refused.
type webhookStatus struct {
	Status string `json:"status"`
	Reason string `json:"reason,omitempty"`
}

// ingest stores a verified webhook payload under the case id its provider
// gives it and re-decides the case. It answers 200 only after the commit.
// A forged body (an encrypted one whose padding was wrong) is read like
// any other and then refused with the answer of every undecryptable body.
func (s *Server) ingest(w http.ResponseWriter, r *http.Request, endpoint string, body []byte, encrypted, forged bool, providers ...string) {
	reject := func(err error) {
		if encrypted {
			// Whether the padding was right must not show: one answer.
			s.refusePreventor(w, r, errUndecryptable)
			return
		}
		s.m.webhooks.WithLabelValues(endpoint, "rejected").Inc()
		s.fail(w, err)
	}
	f := getFacts()
	err := normalizers.Normalize(body, f, normalizers.Options{})
	var notRead *normalizers.Error
	provider, caseID := "", f.CaseID
	if len(f.Providers) == 1 {
		provider = f.Providers[0]
	}
	putFacts(f)
	switch {
	case forged:
		reject(errUndecryptable)
		return
	case errors.As(err, &notRead) && errors.Is(err, normalizers.ErrNotRead):
		// Another product of the provider, sent to this URL as well: it
		// is acknowledged and not stored, so that the provider does not
		// send it again and again. Its message names only the product.
		s.m.webhooks.WithLabelValues(endpoint, "ignored").Inc()
		s.log.InfoContext(r.Context(), "webhook ignored", "provider", notRead.Provider, "reason", notRead.Msg)
		body, _ := json.Marshal(webhookStatus{Status: "ignored", Reason: notRead.Msg})
		writeJSON(w, 202, body)
		return
	case err != nil:
		reject(unreadable(err))
		return
	case !slices.Contains(providers, provider):
		reject(unprocessable(codeWrongProvider, "not a %s payload (its shape is %s's)", endpoint, provider))
		return
	case caseID == "":
		reject(unprocessable(codeNoCaseID, "the payload carries no case id (Veriff vendorData, endUserId or session id; Preventor ticket)"))
		return
	}
	out, ok := s.add(r.Context(), w, caseID, []store.Result{store.NewResult(provider, "", "", body)}, "webhook", sourceWebhook)
	if !ok {
		s.m.webhooks.WithLabelValues(endpoint, "rejected").Inc()
		return
	}
	if out.Added == 0 {
		s.m.webhooks.WithLabelValues(endpoint, "duplicate").Inc()
		writeJSON(w, 200, []byte(`{"status":"duplicate"}`))
		return
	}
	s.m.webhooks.WithLabelValues(endpoint, "stored").Inc()
	writeJSON(w, 200, []byte(`{"status":"stored"}`))
}
