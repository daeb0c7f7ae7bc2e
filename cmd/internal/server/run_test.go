package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/veredicto/veredicto/cmd/internal/server"
	"github.com/veredicto/veredicto/cmd/internal/store/storetest"
)

// TestRunWaitsForTheStore starts the server before its database exists:
// with --store-wait, Run keeps trying (and logs each retry, without the
// password) instead of exiting at the first refused connection; without
// it, Run gives up at once.
func TestRunWaitsForTheStore(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now: every connection is refused
	dsn := "postgres://veredicto:s3cret-password@" + addr + "/veredicto?sslmode=disable"

	var logs bytes.Buffer
	cfg := server.Config{Addr: "127.0.0.1:0", PolicyPath: standardPolicy, NoAuth: true, StoreAddr: dsn,
		StoreWait: 1500 * time.Millisecond, Logger: slog.New(slog.NewJSONHandler(&logs, nil))}
	start := time.Now()
	err = server.Run(t.Context(), cfg)
	waited := time.Since(start)
	if err == nil || !strings.Contains(err.Error(), "attempts") {
		t.Fatalf("Run with an unreachable store: %v, want the attempts it made", err)
	}
	if waited < time.Second {
		t.Errorf("Run gave up after %s, before --store-wait (1.5s)", waited)
	}
	if n := strings.Count(logs.String(), "the store cannot be reached yet"); n < 2 {
		t.Errorf("%d retries logged, want several:\n%s", n, logs.String())
	}
	if strings.Contains(logs.String()+err.Error(), "s3cret-password") {
		t.Error("the password was logged")
	}

	cfg.StoreWait, cfg.Logger = 0, slog.New(slog.NewJSONHandler(&bytes.Buffer{}, nil))
	start = time.Now()
	if err := server.Run(t.Context(), cfg); err == nil || strings.Contains(err.Error(), "attempts") {
		t.Fatalf("Run without a wait: %v, want one failed attempt", err)
	}
	if waited := time.Since(start); waited > time.Second {
		t.Errorf("Run without a wait took %s", waited)
	}
}

// TestRunListens runs the server as `veredicto serve` does and reads its
// "listening" line: the addresses it serves on (the metrics listener only
// when asked for), whether auth and each webhook are on; it stops when its
// context ends.
func TestRunListens(t *testing.T) {
	for _, metrics := range []bool{true, false} {
		logs := &logBuffer{}
		cfg := server.Config{Addr: "127.0.0.1:0", PolicyPath: standardPolicy, APIKeys: []string{apiKey}, StoreAddr: storetest.SQLite(t),
			VeriffSecret: []byte(veriffSecret), Logger: newLogger(logs)}
		if metrics {
			cfg.MetricsAddr = "127.0.0.1:0"
		}
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan error, 1)
		go func() { done <- server.Run(ctx, cfg) }()
		var line map[string]any
		for deadline := time.Now().Add(10 * time.Second); line == nil && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
			for _, l := range strings.Split(logs.String(), "\n") {
				var rec map[string]any
				if json.Unmarshal([]byte(l), &rec) == nil && rec["msg"] == "listening" {
					line = rec
				}
			}
		}
		if line == nil {
			cancel()
			t.Fatalf("no listening line: %v %s", <-done, logs.String())
		}
		if line["auth"] != true || line["keys"] != 1.0 || line["veriff_webhook"] != true || line["preventor_encrypted"] != false || line["store"] != "sqlite" {
			t.Errorf("metrics %v: listening %v", metrics, line)
		}
		addr, _ := line["addr"].(string)
		if s := get(t, "http://"+addr+"/healthz"); s != 200 {
			t.Errorf("metrics %v: /healthz on %s: %d", metrics, addr, s)
		}
		maddr, has := line["metrics_addr"].(string)
		if has != metrics {
			t.Errorf("metrics %v: listening %v", metrics, line)
		} else if metrics {
			if s := get(t, "http://"+maddr+"/metrics"); s != 200 {
				t.Errorf("/metrics on %s: %d", maddr, s)
			}
		}
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("metrics %v: Run: %v", metrics, err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("Run did not return when its context ended")
		}
	}
}
