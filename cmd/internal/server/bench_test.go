package server_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/veredicto/veredicto/cmd/internal/store/storetest"
	"github.com/veredicto/veredicto/engine"
	"github.com/veredicto/veredicto/normalizers"
	"github.com/veredicto/veredicto/rules"
)

// discard is a ResponseWriter that keeps nothing, so that the benchmark
// measures the handler.
type discard struct {
	h      http.Header
	status int
}

func (d *discard) Header() http.Header         { return d.h }
func (d *discard) Write(b []byte) (int, error) { return len(b), nil }
func (d *discard) WriteHeader(s int)           { d.status = s }

// benchDocs are the documents POSTed by the decision benchmarks: a full
// case of nine results from five providers, and one Veriff payload.
var benchDocs = []struct{ name, fixture string }{
	{"full-case", "cases/mx_full_approved.json"},
	{"veriff", "veriff/mx_ine_db_verification.json"},
}

// BenchmarkDecisionsHandler is POST /v1/decisions through the handler
// (auth, body, normalize, evaluate, metrics, JSON), without the network.
func BenchmarkDecisionsHandler(b *testing.B) {
	e := start(b, storetest.SQLite(b))
	h := e.srv.Handler()
	for _, bd := range benchDocs {
		doc := fixture(b, bd.fixture)
		b.Run(bd.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(doc)))
			defer cpuPerOp(b)()
			b.RunParallel(func(pb *testing.PB) {
				r := bytes.NewReader(doc)
				req := httptest.NewRequest("POST", "/v1/decisions", r)
				req.Header.Set("Authorization", "Bearer "+apiKey)
				w := &discard{h: http.Header{}}
				for pb.Next() {
					r.Reset(doc)
					req.Body = io.NopCloser(r)
					req.ContentLength = int64(len(doc))
					clear(w.h)
					w.status = 0
					h.ServeHTTP(w, req)
					if w.status != 200 {
						b.Fatalf("status %d", w.status)
					}
				}
			})
		})
	}
}

// BenchmarkDecisionsLoopback is POST /v1/decisions over real loopback
// connections, with the Go HTTP client on the same machine.
func BenchmarkDecisionsLoopback(b *testing.B) {
	e := start(b, storetest.SQLite(b))
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	for _, bd := range benchDocs {
		doc := fixture(b, bd.fixture)
		b.Run(bd.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetParallelism(4)
			defer cpuPerOp(b)()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					req, _ := http.NewRequest("POST", e.url+"/v1/decisions", bytes.NewReader(doc))
					req.Header.Set("Authorization", "Bearer "+apiKey)
					resp, err := client.Do(req)
					if err != nil {
						b.Fatal(err)
					}
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != 200 {
						b.Fatalf("status %d", resp.StatusCode)
					}
				}
			})
		})
	}
}

// BenchmarkWebhookSQLite is a signed Veriff webhook stored in SQLite
// (a durable commit each) and decided, over loopback.
func BenchmarkWebhookSQLite(b *testing.B) { benchWebhook(b, storetest.SQLite(b)) }

// BenchmarkWebhookPostgres is the same with PostgreSQL.
func BenchmarkWebhookPostgres(b *testing.B) { benchWebhook(b, storetest.Postgres(b)) }

func benchWebhook(b *testing.B, addr string) {
	e := start(b, addr)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	var n atomic.Int64
	b.ReportAllocs()
	b.SetParallelism(4)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := int(n.Add(1))
			body := veriffBody(b, i/4, i)
			req, _ := http.NewRequest("POST", e.url+"/v1/webhooks/veriff", bytes.NewReader(body))
			req.Header.Set(signed(body)[0], signed(body)[1])
			resp, err := client.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 {
				b.Fatalf("status %d", resp.StatusCode)
			}
		}
	})
	b.StopTimer()
	if s := e.stats(); s.Results != n.Load() || s.Decisions != n.Load() {
		b.Fatalf("%d webhooks, store %+v", n.Load(), s)
	}
	b.ReportMetric(float64(n.Load())/b.Elapsed().Seconds(), "webhooks/s")
}

// cpuPerOp reports the CPU time (user and system) of the whole process per
// operation: on a shared machine it varies less than the elapsed time.
func cpuPerOp(b *testing.B) func() {
	start := cpuTime()
	return func() {
		b.ReportMetric(float64((cpuTime()-start).Nanoseconds())/float64(b.N), "cpu-ns/op")
	}
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkDecisionParts splits the work of POST /v1/decisions for the
// full case: reading it into facts, evaluating the policy, encoding the
// decision.
func BenchmarkDecisionParts(b *testing.B) {
	doc := fixture(b, "cases/mx_full_approved.json")
	pol, err := rules.Load(standardPolicy, normalizers.Catalog())
	if err != nil {
		b.Fatal(err)
	}
	f := engine.NewFacts(normalizers.Catalog())
	b.Run("normalize", func(b *testing.B) {
		b.ReportAllocs()
		defer cpuPerOp(b)()
		for b.Loop() {
			if err := normalizers.Normalize(doc, f, normalizers.Options{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	_ = normalizers.Normalize(doc, f, normalizers.Options{})
	b.Run("evaluate", func(b *testing.B) {
		b.ReportAllocs()
		defer cpuPerOp(b)()
		for b.Loop() {
			_ = pol.Evaluate(f)
		}
	})
	d := pol.Evaluate(f)
	var buf bytes.Buffer
	b.Run("encode-json", func(b *testing.B) {
		b.ReportAllocs()
		defer cpuPerOp(b)()
		for b.Loop() {
			buf.Reset()
			_ = json.NewEncoder(&buf).Encode(&d)
		}
	})
	b.Run("encode", func(b *testing.B) {
		b.ReportAllocs()
		defer cpuPerOp(b)()
		var out []byte
		for b.Loop() {
			out = d.AppendJSON(out[:0])
		}
	})
}
