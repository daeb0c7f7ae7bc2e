package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/veredicto/veredicto/normalizers"
)

// Every error answer is an RFC 9457 problem (application/problem+json)
// whose type is ProblemTypePrefix + its code. The codes are stable: clients
// may match on them. README lists them.
const ProblemTypePrefix = "urn:veredicto:problem:"

// The problem codes, with the status each is answered with and its title.
const (
	codeInvalidQuery     = "invalid-query"      // 400: a query parameter has a value the endpoint does not take
	codeUnreadableBody   = "unreadable-body"    // 400: the request body could not be read
	codeUndecryptable    = "undecryptable"      // 400: a Preventor body that does not decrypt
	codeUnauthenticated  = "unauthenticated"    // 401: no API key, or an unknown one
	codeBadSignature     = "bad-signature"      // 401: a Veriff webhook without the right signature
	codeForbidden        = "forbidden"          // 403: the API key lacks the scope the request needs
	codeNotFound         = "not-found"          // 404: no such case
	codeNoSuchRoute      = "no-such-route"      // 404: no such endpoint
	codeWebhookDisabled  = "webhook-disabled"   // 404: a webhook whose secret is not configured
	codeMethodNotAllowed = "method-not-allowed" // 405
	codeTooLarge         = "too-large"          // 413: the body exceeds --max-body
	codeUnreadable       = "unreadable"         // 422: a payload the normalizers cannot read (provider, offset)
	codeNoCaseID         = "no-case-id"         // 422: nothing names the case
	codeInvalidCaseID    = "invalid-case-id"    // 422: a case id that is empty, too long or has control characters
	codeCaseIDMismatch   = "case-id-mismatch"   // 422: the envelope names another case than the URL
	codeWrongProvider    = "wrong-provider"     // 422: a webhook payload of another provider
	codeUndecidable      = "undecidable"        // 422: results that cannot be decided together
	codeInternal         = "internal"           // 500
	codeStoreUnavailable = "store-unavailable"  // 503: the case store failed; retry
	codeShuttingDown     = "shutting-down"      // 503: /readyz while draining
)

// problemTitles are the fixed titles of the codes; problemStatus their
// statuses.
var problemTitles = map[string]string{
	codeInvalidQuery:     "Invalid query parameter",
	codeUnreadableBody:   "Unreadable request body",
	codeUndecryptable:    "Undecryptable webhook",
	codeUnauthenticated:  "Missing or unknown API key",
	codeBadSignature:     "Bad webhook signature",
	codeForbidden:        "API key lacks the scope",
	codeNotFound:         "No such case",
	codeNoSuchRoute:      "No such endpoint",
	codeWebhookDisabled:  "Webhook not configured",
	codeMethodNotAllowed: "Method not allowed",
	codeTooLarge:         "Request body too large",
	codeUnreadable:       "Unreadable payload",
	codeNoCaseID:         "No case id",
	codeInvalidCaseID:    "Invalid case id",
	codeCaseIDMismatch:   "Case id mismatch",
	codeWrongProvider:    "Payload of another provider",
	codeUndecidable:      "Results cannot be decided together",
	codeInternal:         "Internal error",
	codeStoreUnavailable: "Case store unavailable",
	codeShuttingDown:     "Shutting down",
}

// ProblemCodes returns every problem code the server answers with, for
// documentation and its tests.
func ProblemCodes() []string {
	out := make([]string, 0, len(problemTitles))
	for c := range problemTitles {
		out = append(out, c)
	}
	return out
}

// inputError is a problem with a request: its status, code and a one-line
// detail for the client. The code is a fixed word for logs and metrics,
// which never carry the detail (it may quote the payload).
type inputError struct {
	status int
	code   string
	msg    string
	// Where in the payload, for unreadable payloads: the provider and the
	// byte offset in the request body (offset < 0 when unknown).
	provider string
	offset   int
	hasPos   bool
	scope    string // the scope a 403 needed
}

func (e *inputError) Error() string { return e.msg }

func unprocessable(code, format string, args ...any) *inputError {
	return &inputError{status: 422, code: code, msg: oneLine(fmt.Sprintf(format, args...))}
}

// unreadable is the 422 of a payload the normalizers refused, with the
// provider and byte offset they name.
func unreadable(err error) *inputError {
	ie := unprocessable(codeUnreadable, "%v", err)
	var ne *normalizers.Error
	if errors.As(err, &ne) {
		ie.provider, ie.offset, ie.hasPos = ne.Provider, ne.Offset, true
	}
	return ie
}

func badQuery(msg string) *inputError {
	return &inputError{status: 400, code: codeInvalidQuery, msg: msg}
}

func oneLine(s string) string { return strings.ReplaceAll(strings.ReplaceAll(s, "\r", " "), "\n", " ") }

// problem is the body of an error answer (RFC 9457), with the extension
// members code and request_id, and the position of payload errors.
type problem struct {
	Type      string `json:"type"`
	Title     string `json:"title"`
	Status    int    `json:"status"`
	Detail    string `json:"detail"`
	Instance  string `json:"instance"`
	Code      string `json:"code"`
	RequestID string `json:"request_id"`
	Provider  string `json:"provider,omitempty"`
	Offset    *int   `json:"offset,omitempty"`
	Scope     string `json:"scope,omitempty"`
}

// fail answers an error as a problem. An error that is not an inputError
// is a 500 whose cause is logged, not sent.
func (s *Server) fail(w http.ResponseWriter, err error) {
	var ie *inputError
	rec, _ := w.(*recorder)
	if !errors.As(err, &ie) {
		ie = &inputError{status: 500, code: codeInternal, msg: "internal error"}
		s.log.ErrorContext(reqContext(w), "internal error", "error", err.Error())
	}
	p := problem{Type: ProblemTypePrefix + ie.code, Title: problemTitles[ie.code], Status: ie.status, Detail: ie.msg,
		Code: ie.code, Scope: ie.scope, Provider: ie.provider}
	if ie.hasPos {
		off := ie.offset
		p.Offset = &off
	}
	if rec != nil {
		rec.errCode = ie.code
		p.RequestID, p.Instance = rec.reqID, rec.instance
	}
	body, _ := json.Marshal(p) // strings and ints always encode
	h := w.Header()
	h.Set("Content-Type", "application/problem+json")
	h.Set("Content-Length", statusText(len(body)+1))
	w.WriteHeader(ie.status)
	_, _ = w.Write(append(body, '\n'))
}
