// Command veredicto-load measures a running `veredicto serve` on this
// machine: requests per second and latency percentiles of POST
// /v1/decisions or of webhook ingestion.
//
//	veredicto-load -mode decisions -duration 10s -concurrency 32
//	veredicto-load -mode veriff -requests 20000
//	veredicto-load -mode preventor -duration 5s
//
// It only targets loopback addresses, and every run is bounded: at most
// -duration (2 minutes at most) and at most -requests requests. Each
// worker keeps one HTTP/1.1 keep-alive connection and writes requests and
// reads responses itself, so that the generator spends little of the CPU it
// shares with the server.
//
// Secrets come from the server's environment variables: VEREDICTO_API_KEYS
// (the first key), VEREDICTO_VERIFF_SECRET and VEREDICTO_PREVENTOR_KEY.
// Webhook modes send distinct deliveries, -per-case results to each case.
package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/signal"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/veredicto/veredicto/cmd/internal/server"
	"github.com/veredicto/veredicto/fixtures"
)

const (
	maxDuration    = 2 * time.Minute
	maxRequests    = 10_000_000
	maxConcurrency = 1024
)

type options struct {
	target      string
	mode        string
	duration    time.Duration
	requests    int64
	concurrency int
	warmup      time.Duration
	caseFile    string
	perCase     int
	asJSON      bool
	serverPID   int
}

func main() {
	var o options
	flag.StringVar(&o.target, "url", "http://127.0.0.1:8080", "server base URL (loopback only)")
	flag.StringVar(&o.mode, "mode", "decisions", "decisions (POST /v1/decisions), veriff or preventor (webhooks)")
	flag.DurationVar(&o.duration, "duration", 10*time.Second, "how long to send (at most 2m)")
	flag.Int64Var(&o.requests, "requests", 0, "stop after this many requests (0: only -duration; at most 10,000,000)")
	flag.IntVar(&o.concurrency, "concurrency", 32, "connections, one request in flight on each")
	flag.DurationVar(&o.warmup, "warmup", time.Second, "time sent before measuring (decisions mode)")
	flag.StringVar(&o.caseFile, "case", "cases/mx_full_approved.json", "fixture posted in decisions mode")
	flag.IntVar(&o.perCase, "per-case", 4, "webhook deliveries per case id in webhook modes")
	flag.BoolVar(&o.asJSON, "json", false, "print the result as JSON")
	flag.IntVar(&o.serverPID, "server-pid", 0, "the server's process id, to report its CPU time per request")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	res, err := run(ctx, o)
	if err != nil {
		fmt.Fprintln(os.Stderr, "veredicto-load:", err)
		os.Exit(1)
	}
	if o.asJSON {
		_ = json.NewEncoder(os.Stdout).Encode(res)
	} else {
		fmt.Println(res)
	}
	if res.Errors > 0 {
		os.Exit(2)
	}
}

// Result is what a run measured.
type Result struct {
	Mode        string         `json:"mode"`
	Concurrency int            `json:"concurrency"`
	Requests    int64          `json:"requests"`
	Errors      int64          `json:"errors"`
	Statuses    map[string]int `json:"statuses"`
	Seconds     float64        `json:"seconds"`
	PerSecond   float64        `json:"per_second"`
	P50ms       float64        `json:"p50_ms"`
	P90ms       float64        `json:"p90_ms"`
	P99ms       float64        `json:"p99_ms"`
	P999ms      float64        `json:"p999_ms"`
	MaxMs       float64        `json:"max_ms"`
	// CPU time per request, in microseconds, of this program and (with
	// -server-pid) of the server: on a shared machine they vary less than
	// the rate.
	ClientCPUus float64 `json:"client_cpu_us"`
	ServerCPUus float64 `json:"server_cpu_us,omitempty"`
}

func (r Result) String() string {
	var st []string
	for k, v := range r.Statuses {
		st = append(st, fmt.Sprintf("%s×%d", k, v))
	}
	slices.Sort(st)
	cpu := fmt.Sprintf("; CPU per request: client %.0f µs", r.ClientCPUus)
	if r.ServerCPUus > 0 {
		cpu += fmt.Sprintf(", server %.0f µs", r.ServerCPUus)
	}
	return fmt.Sprintf("%s: %d requests in %.2fs over %d connections: %.0f req/s; latency p50 %.3f ms, p90 %.3f ms, p99 %.3f ms, p99.9 %.3f ms, max %.3f ms; statuses %s%s",
		r.Mode, r.Requests, r.Seconds, r.Concurrency, r.PerSecond, r.P50ms, r.P90ms, r.P99ms, r.P999ms, r.MaxMs, strings.Join(st, " "), cpu)
}

// checkLoopback refuses any target that is not this machine's loopback.
func checkLoopback(ctx context.Context, target string) (host string, err error) {
	u, err := url.Parse(target)
	if err != nil || u.Scheme != "http" || u.Host == "" {
		return "", fmt.Errorf("-url %q: want http://127.0.0.1:PORT", target)
	}
	h := u.Hostname()
	addrs, err := net.DefaultResolver.LookupIPAddr(ctx, h)
	if err != nil {
		return "", fmt.Errorf("-url %q: %v", target, err)
	}
	for _, a := range addrs {
		if !a.IP.IsLoopback() {
			return "", fmt.Errorf("-url %q: %s is not a loopback address; this tool only loads this machine", target, a.IP)
		}
	}
	port := u.Port()
	if port == "" {
		port = "80"
	}
	return net.JoinHostPort(addrs[0].IP.String(), port), nil
}

func run(ctx context.Context, o options) (Result, error) {
	addr, err := checkLoopback(ctx, o.target)
	if err != nil {
		return Result{}, err
	}
	switch {
	case o.duration <= 0 || o.duration > maxDuration:
		return Result{}, fmt.Errorf("-duration %s: want more than 0 and at most %s", o.duration, maxDuration)
	case o.requests < 0 || o.requests > maxRequests:
		return Result{}, fmt.Errorf("-requests %d: at most %d", o.requests, maxRequests)
	case o.concurrency < 1 || o.concurrency > maxConcurrency:
		return Result{}, fmt.Errorf("-concurrency %d: 1 to %d", o.concurrency, maxConcurrency)
	case o.perCase < 1:
		return Result{}, errors.New("-per-case: at least 1")
	}
	gen, err := newGenerator(o, addr)
	if err != nil {
		return Result{}, err
	}
	if o.mode == "decisions" && o.warmup > 0 {
		wctx, cancel := context.WithTimeout(ctx, o.warmup)
		_, _ = load(wctx, o, addr, gen, 0)
		cancel()
	}
	ctx, cancel := context.WithTimeout(ctx, o.duration)
	defer cancel()
	client0, server0 := selfCPU(), processCPU(o.serverPID)
	res, err := load(ctx, o, addr, gen, o.requests)
	if err != nil {
		return res, err
	}
	res.ClientCPUus = float64((selfCPU() - client0).Microseconds()) / float64(res.Requests)
	if o.serverPID > 0 {
		res.ServerCPUus = float64((processCPU(o.serverPID) - server0).Microseconds()) / float64(res.Requests)
	}
	return res, nil
}

// selfCPU is the CPU time this process used.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// processCPU is the CPU time process pid used, from /proc (0 when unknown).
func processCPU(pid int) time.Duration {
	if pid <= 0 {
		return 0
	}
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0
	}
	// The fields after the command name, which is in parentheses: utime
	// and stime are the 12th and 13th of them, in clock ticks (100 a second
	// on Linux).
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return 0
	}
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(ut+st) * 10 * time.Millisecond
}

// generator makes the raw HTTP request number n.
type generator func(n int64, buf []byte) []byte

func newGenerator(o options, addr string) (generator, error) {
	apiKey := firstKey(os.Getenv(server.EnvAPIKeys))
	host := "Host: " + addr + "\r\n"
	switch o.mode {
	case "decisions":
		if apiKey == "" {
			return nil, fmt.Errorf("%s is not set (the server's API keys)", server.EnvAPIKeys)
		}
		doc, err := fixtures.Read(o.caseFile)
		if err != nil {
			return nil, fmt.Errorf("-case %s: %v", o.caseFile, err)
		}
		req := []byte("POST /v1/decisions HTTP/1.1\r\n" + host + "Authorization: Bearer " + apiKey +
			"\r\nContent-Type: application/json\r\nContent-Length: " + strconv.Itoa(len(doc)) + "\r\n\r\n" + string(doc))
		return func(int64, []byte) []byte { return req }, nil
	case "veriff":
		secret := os.Getenv(server.EnvVeriffSecret)
		if secret == "" {
			return nil, fmt.Errorf("%s is not set", server.EnvVeriffSecret)
		}
		tmpl, err := fixtures.Read("veriff/mx_ine_db_verification.json")
		if err != nil {
			return nil, err
		}
		run := runID()
		return func(n int64, buf []byte) []byte {
			body := bytes.Replace(tmpl, []byte(`"vendorData": "1234567890"`),
				fmt.Appendf(nil, `"vendorData": "load-%s-%d"`, run, n/int64(o.perCase)), 1)
			body = bytes.Replace(body, []byte(`"attemptId": "00bca969-b53a-4fad-b065-874d41a7b2b8"`),
				fmt.Appendf(nil, `"attemptId": "load-%s-%d"`, run, n), 1)
			buf = append(buf[:0], "POST /v1/webhooks/veriff HTTP/1.1\r\n"+host+"X-HMAC-SIGNATURE: "...)
			buf = append(buf, server.SignVeriff([]byte(secret), body)...)
			buf = fmt.Appendf(buf, "\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n", len(body))
			return append(buf, body...)
		}, nil
	case "preventor":
		keyText := os.Getenv(server.EnvPreventorKey)
		if keyText == "" {
			return nil, fmt.Errorf("%s is not set", server.EnvPreventorKey)
		}
		key, err := server.ParsePreventorKey(keyText)
		if err != nil {
			return nil, err
		}
		tmpl, err := fixtures.Read("preventor/liveness_passed.json")
		if err != nil {
			return nil, err
		}
		run := runID()
		return func(n int64, buf []byte) []byte {
			plain := bytes.Replace(tmpl, []byte("762ebbda-0edb-4e48-86bc-11a280273601"),
				fmt.Appendf(nil, "load-%s-%d", run, n/int64(o.perCase)), 1)
			plain = bytes.Replace(plain, []byte(`"remaining_attempts": 3`), fmt.Appendf(nil, `"remaining_attempts": %d`, n), 1)
			iv := make([]byte, 16)
			_, _ = rand.Read(iv)
			body, ivText, _ := server.EncryptPreventor(key, iv, plain)
			buf = append(buf[:0], "POST /v1/webhooks/preventor HTTP/1.1\r\n"+host+server.PreventorIVHeader+": "+ivText...)
			buf = fmt.Appendf(buf, "\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n\r\n", len(body))
			return append(buf, body...)
		}, nil
	}
	return nil, fmt.Errorf("-mode %q: want decisions, veriff or preventor", o.mode)
}

func firstKey(keys string) string {
	k, _, _ := strings.Cut(keys, ",")
	return strings.TrimSpace(k)
}

func runID() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return fmt.Sprintf("%x", b)
}

// load runs the workers until ctx ends or limit requests were sent.
func load(ctx context.Context, o options, addr string, gen generator, limit int64) (Result, error) {
	var (
		next     atomic.Int64
		mu       sync.Mutex
		lat      []time.Duration
		statuses = map[string]int{}
		errs     int64
		firstErr error
		wg       sync.WaitGroup
	)
	start := time.Now()
	for range o.concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := &worker{addr: addr}
			defer w.close()
			mine := make([]time.Duration, 0, 4096)
			st := map[string]int{}
			var nerr int64
			var werr error
			var buf []byte
			for ctx.Err() == nil {
				n := next.Add(1) - 1
				if limit > 0 && n >= limit {
					break
				}
				buf = gen(n, buf)
				t0 := time.Now()
				status, err := w.do(buf)
				d := time.Since(t0)
				if err != nil {
					if ctx.Err() != nil {
						break
					}
					nerr++
					st["error"]++
					if werr == nil {
						werr = err
					}
					continue
				}
				mine = append(mine, d)
				st[strconv.Itoa(status)]++
				if status >= 300 {
					nerr++
				}
			}
			mu.Lock()
			lat = append(lat, mine...)
			for k, v := range st {
				statuses[k] += v
			}
			errs += nerr
			if firstErr == nil {
				firstErr = werr
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	if len(lat) == 0 {
		if firstErr != nil {
			return Result{}, firstErr
		}
		return Result{}, errors.New("no request completed")
	}
	slices.Sort(lat)
	pct := func(p float64) float64 {
		i := int(p * float64(len(lat)-1))
		return float64(lat[i].Microseconds()) / 1000
	}
	return Result{
		Mode: o.mode, Concurrency: o.concurrency, Requests: int64(len(lat)), Errors: errs, Statuses: statuses,
		Seconds: elapsed.Seconds(), PerSecond: float64(len(lat)) / elapsed.Seconds(),
		P50ms: pct(0.50), P90ms: pct(0.90), P99ms: pct(0.99), P999ms: pct(0.999), MaxMs: float64(lat[len(lat)-1].Microseconds()) / 1000,
	}, nil
}

// worker is one keep-alive HTTP/1.1 connection.
type worker struct {
	addr string
	conn net.Conn
	r    *bufio.Reader
}

func (w *worker) close() {
	if w.conn != nil {
		_ = w.conn.Close()
		w.conn = nil
	}
}

// do sends one request and reads its response; it reconnects once when a
// kept-alive connection was closed by the server.
func (w *worker) do(req []byte) (int, error) {
	for attempt := 0; ; attempt++ {
		fresh := w.conn == nil
		if fresh {
			c, err := net.DialTimeout("tcp", w.addr, 5*time.Second)
			if err != nil {
				return 0, err
			}
			w.conn, w.r = c, bufio.NewReaderSize(c, 16<<10)
		}
		_ = w.conn.SetDeadline(time.Now().Add(30 * time.Second))
		status, keep, err := w.roundTrip(req)
		if err == nil {
			if !keep {
				w.close()
			}
			return status, nil
		}
		w.close()
		if fresh || attempt > 0 {
			return 0, err
		}
	}
}

func (w *worker) roundTrip(req []byte) (status int, keepAlive bool, err error) {
	if _, err := w.conn.Write(req); err != nil {
		return 0, false, err
	}
	line, err := w.r.ReadSlice('\n')
	if err != nil {
		return 0, false, err
	}
	if len(line) < 12 || !bytes.HasPrefix(line, []byte("HTTP/1.1 ")) {
		return 0, false, fmt.Errorf("bad status line %q", line)
	}
	status, err = strconv.Atoi(string(line[9:12]))
	if err != nil {
		return 0, false, fmt.Errorf("bad status line %q", line)
	}
	length, keepAlive := -1, true
	for {
		h, err := w.r.ReadSlice('\n')
		if err != nil {
			return 0, false, err
		}
		h = bytes.TrimRight(h, "\r\n")
		if len(h) == 0 {
			break
		}
		name, value, _ := bytes.Cut(h, []byte(":"))
		value = bytes.TrimSpace(value)
		switch {
		case bytes.EqualFold(name, []byte("Content-Length")):
			if length, err = strconv.Atoi(string(value)); err != nil {
				return 0, false, fmt.Errorf("bad Content-Length %q", value)
			}
		case bytes.EqualFold(name, []byte("Connection")) && bytes.EqualFold(value, []byte("close")):
			keepAlive = false
		case bytes.EqualFold(name, []byte("Transfer-Encoding")):
			return 0, false, errors.New("chunked responses are not supported")
		}
	}
	if length < 0 {
		return 0, false, errors.New("response without Content-Length")
	}
	if _, err := w.r.Discard(length); err != nil {
		return 0, false, err
	}
	return status, keepAlive, nil
}
