package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/veredicto/veredicto/cmd/internal/server"
)

func TestLoopbackOnly(t *testing.T) {
	ctx := context.Background()
	for _, u := range []string{"http://10.0.0.1:8080", "http://192.168.1.5", "http://8.8.8.8:80", "https://127.0.0.1:1", "127.0.0.1:8080"} {
		if _, err := checkLoopback(ctx, u); err == nil {
			t.Errorf("%s accepted", u)
		}
	}
	for _, u := range []string{"http://127.0.0.1:8080", "http://localhost:9", "http://[::1]:8080", "http://127.0.0.2"} {
		if _, err := checkLoopback(ctx, u); err != nil {
			t.Errorf("%s: %v", u, err)
		}
	}
}

func TestBounds(t *testing.T) {
	base := options{target: "http://127.0.0.1:1", mode: "decisions", duration: time.Second, concurrency: 1, perCase: 1}
	for _, mod := range []func(*options){
		func(o *options) { o.duration = 3 * time.Minute },
		func(o *options) { o.duration = 0 },
		func(o *options) { o.requests = maxRequests + 1 },
		func(o *options) { o.concurrency = maxConcurrency + 1 },
		func(o *options) { o.mode = "nope" },
	} {
		o := base
		mod(&o)
		if _, err := run(context.Background(), o); err == nil {
			t.Errorf("%+v accepted", o)
		}
	}
}

// TestRun loads a test server with each mode and checks the requests it
// received: signed, encrypted and distinct.
func TestRun(t *testing.T) {
	t.Setenv(server.EnvAPIKeys, "load-test-key-0123456789")
	t.Setenv(server.EnvVeriffSecret, "s")
	t.Setenv(server.EnvPreventorKey, strings.Repeat("ab", 32))
	var n, bad atomic.Int64
	seen := map[string]bool{}
	ch := make(chan string, 1000)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		n.Add(1)
		switch r.URL.Path {
		case "/v1/decisions":
			if r.Header.Get("Authorization") != "Bearer load-test-key-0123456789" {
				bad.Add(1)
			}
		case "/v1/webhooks/veriff":
			if r.Header.Get("X-HMAC-SIGNATURE") != server.SignVeriff([]byte("s"), body) {
				bad.Add(1)
			}
		case "/v1/webhooks/preventor":
			if r.Header.Get(server.PreventorIVHeader) == "" {
				bad.Add(1)
			}
		}
		ch <- string(body)
		w.Write([]byte(`{"status":"stored"}`))
	}))
	defer ts.Close()
	drained := make(chan struct{})
	go func() {
		for b := range ch {
			seen[b] = true
		}
		close(drained)
	}()
	for _, mode := range []string{"decisions", "veriff", "preventor"} {
		n.Store(0)
		res, err := run(context.Background(), options{target: ts.URL, mode: mode, duration: 10 * time.Second, requests: 200,
			concurrency: 4, perCase: 4, caseFile: "cases/mx_full_approved.json"})
		if err != nil {
			t.Fatal(err)
		}
		if res.Requests != 200 || res.Errors != 0 || res.Statuses["200"] != 200 || res.P50ms <= 0 || res.PerSecond <= 0 {
			t.Fatalf("%s: %+v", mode, res)
		}
		if n.Load() != 200 && mode != "decisions" {
			t.Fatalf("%s: server saw %d requests", mode, n.Load())
		}
	}
	close(ch)
	<-drained
	if bad.Load() != 0 {
		t.Fatalf("%d requests without their key, signature or IV", bad.Load())
	}
	if len(seen) < 401 { // one decisions body and 400 distinct webhooks
		t.Fatalf("%d distinct bodies", len(seen))
	}
}

func TestProcessCPU(t *testing.T) {
	start := time.Now()
	x := 0
	for time.Since(start) < 100*time.Millisecond {
		x++
	}
	got := processCPU(os.Getpid())
	if got < 50*time.Millisecond || got > selfCPU()+20*time.Millisecond {
		t.Fatalf("processCPU %v, selfCPU %v (%d)", got, selfCPU(), x)
	}
	if processCPU(0) != 0 || processCPU(1<<30) != 0 {
		t.Fatal("unknown processes have CPU time")
	}
}
