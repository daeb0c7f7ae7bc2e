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
)

// TestFailInternal: an error that is not the client's is a 500 problem
// whose cause is logged with the request id and never sent; a body that
// cannot be read is a 400 unreadable-body.
func TestFailInternal(t *testing.T) {
	var logs bytes.Buffer
	s := &Server{log: slog.New(ctxHandler{slog.NewJSONHandler(&logs, nil)}), m: newMetrics(), cfg: Config{MaxBodyBytes: 10}}
	h := s.instrument(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/body" {
			var b bytes.Buffer
			s.fail(w, s.readBody(w, r, &b))
			return
		}
		s.fail(w, errors.New("secret cause"))
	}))
	for path, want := range map[string]struct {
		status int
		code   string
	}{"/x": {500, codeInternal}, "/body": {400, codeUnreadableBody}} {
		w := httptest.NewRecorder()
		req := httptest.NewRequest("POST", path, errReader{})
		req.ContentLength = -1
		req.Header.Set(RequestIDHeader, "rid-1")
		h.ServeHTTP(w, req)
		var p problem
		if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil || w.Code != want.status || p.Code != want.code || p.RequestID != "rid-1" ||
			p.Type != ProblemTypePrefix+want.code || strings.Contains(w.Body.String(), "secret cause") {
			t.Errorf("%s: %d %s", path, w.Code, w.Body)
		}
	}
	if !strings.Contains(logs.String(), `"msg":"internal error","error":"secret cause","request_id":"rid-1"`) {
		t.Errorf("the cause is not logged with the request id: %s", logs.String())
	}
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errors.New("connection reset") }
