package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestAccessLogLines: without the access log only answers of 500 and up
// are logged, at error level; with it every answer is, at info level below
// 500, with the status the handler answered (200 when it wrote nothing),
// and the key, case and problem code only when the request had them.
func TestAccessLogLines(t *testing.T) {
	const key = "log-key-0123456789abcdef"
	for _, accessLog := range []bool{false, true} {
		var logs bytes.Buffer
		s := &Server{log: slog.New(ctxHandler{slog.NewJSONHandler(&logs, nil)}), m: newMetrics(), cfg: Config{AccessLog: accessLog}}
		var err error
		if s.keys, err = newKeyring([]string{"ops:" + key}); err != nil {
			t.Fatal(err)
		}
		h := s.instrument(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			switch r.URL.Path {
			case "/500":
				noteCase(w, "case-500")
				s.fail(w, errors.New("cause"))
			case "/503":
				s.fail(w, &inputError{status: 503, code: codeStoreUnavailable, msg: "down"})
			case "/499":
				w.WriteHeader(499)
				_, _ = w.Write([]byte("x"))
			case "/slow":
				time.Sleep(3 * time.Millisecond)
			case "/keyed":
				s.auth(scopeAny, func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, 201, []byte("{}")) }).ServeHTTP(w, r)
			}
		}))
		for _, path := range []string{"/500", "/503", "/499", "/empty", "/keyed", "/slow"} {
			req := httptest.NewRequest("GET", path, nil)
			req.Header.Set("X-API-Key", key)
			req.Header.Set(RequestIDHeader, "rid"+strings.ReplaceAll(path, "/", "-"))
			h.ServeHTTP(httptest.NewRecorder(), req)
		}
		got := map[string]map[string]any{}
		for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
			var rec map[string]any
			if err := json.Unmarshal([]byte(line), &rec); err != nil {
				t.Fatalf("%v: %s", err, line)
			}
			if rec["msg"] == "request" {
				got[rec["request_id"].(string)] = rec
			}
		}
		want := map[string]string{
			"rid-500": `level=ERROR status=500 case_id=case-500 error=internal key=<nil>`,
			"rid-503": `level=ERROR status=503 case_id=<nil> error=store-unavailable key=<nil>`,
		}
		if accessLog {
			want["rid-499"] = `level=INFO status=499 case_id=<nil> error=<nil> key=<nil>`
			want["rid-empty"] = `level=INFO status=200 case_id=<nil> error=<nil> key=<nil>`
			want["rid-keyed"] = `level=INFO status=201 case_id=<nil> error=<nil> key=ops`
			want["rid-slow"] = `level=INFO status=200 case_id=<nil> error=<nil> key=<nil>`
			// The time taken is in milliseconds.
			if ms, _ := got["rid-slow"]["ms"].(float64); ms < 3 || ms > 1000 {
				t.Errorf("a request of 3ms logged as %v ms", got["rid-slow"]["ms"])
			}
		}
		for id, w := range want {
			rec := got[id]
			if rec == nil {
				t.Errorf("access log %v: no line for %s: %s", accessLog, id, logs.String())
				continue
			}
			line := "level=" + str(rec["level"]) + " status=" + str(rec["status"]) + " case_id=" + str(rec["case_id"]) + " error=" + str(rec["error"]) + " key=" + str(rec["key"])
			if line != w {
				t.Errorf("access log %v, %s: %s, want %s", accessLog, id, line, w)
			}
		}
		if len(got) != len(want) {
			t.Errorf("access log %v: %d request lines, want %d: %s", accessLog, len(got), len(want), logs.String())
		}
	}
}

func str(v any) string {
	if v == nil {
		return "<nil>"
	}
	b, _ := json.Marshal(v)
	return strings.Trim(string(b), `"`)
}
