package server_test

import (
	"bytes"
	"log/slog"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/veredicto/veredicto/cmd/internal/server"
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
