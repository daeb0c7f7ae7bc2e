package server_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/veredicto/veredicto/cmd/internal/server"
	"github.com/veredicto/veredicto/cmd/internal/store"
)

// buildBinary builds the veredicto command into a temporary directory.
func buildBinary(t *testing.T) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		goTool = "/usr/local/go/bin/go"
	}
	bin := filepath.Join(t.TempDir(), "veredicto")
	cmd := exec.Command(goTool, "build", "-o", bin, "github.com/veredicto/veredicto/cmd/veredicto")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// proc is the veredicto server running as a child process.
type proc struct {
	cmd  *exec.Cmd
	url  string
	logs *logBuffer
	done chan error
}

// startProc runs `veredicto serve` and waits for it to listen.
func startProc(t *testing.T, bin, storeAddr, policy string, extra ...string) *proc {
	t.Helper()
	args := append([]string{"serve", "--policy", policy, "--store", storeAddr, "--addr", "127.0.0.1:0", "--access-log=false"}, extra...)
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), server.EnvAPIKeys+"="+apiKey, server.EnvVeriffSecret+"="+veriffSecret)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &proc{cmd: cmd, logs: &logBuffer{}, done: make(chan error, 1)}
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			line := sc.Bytes()
			p.logs.Write(append(bytes.Clone(line), '\n'))
			var rec struct{ Msg, Addr string }
			if json.Unmarshal(line, &rec) == nil && rec.Msg == "listening" {
				addr <- rec.Addr
			}
		}
		_, _ = io.Copy(io.Discard, stderr)
		p.done <- cmd.Wait()
	}()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			<-p.done
		}
	})
	select {
	case a := <-addr:
		p.url = "http://" + a
	case err := <-p.done:
		t.Fatalf("the server exited: %v\n%s", err, p.logs)
	case <-time.After(30 * time.Second):
		t.Fatalf("the server did not start\n%s", p.logs)
	}
	return p
}

// veriffBody returns a distinct Veriff decision for case c, delivery n.
func veriffBody(t testing.TB, c, n int) []byte {
	b := fixture(t, "veriff/mx_ine_db_verification.json")
	b = bytes.Replace(b, []byte(`"vendorData": "1234567890"`), []byte(fmt.Sprintf(`"vendorData": "fault-%03d"`, c)), 1)
	return bytes.Replace(b, []byte(`"attemptId": "00bca969-b53a-4fad-b065-874d41a7b2b8"`), []byte(fmt.Sprintf(`"attemptId": "attempt-%06d"`, n)), 1)
}

// post sends a signed Veriff webhook; it returns the status, or 0 when the
// connection failed.
func post(client *http.Client, url string, body []byte) (int, string) {
	req, _ := http.NewRequest("POST", url+"/v1/webhooks/veriff", bytes.NewReader(body))
	req.Header.Set("X-HMAC-SIGNATURE", server.SignVeriff([]byte(veriffSecret), body))
	resp, err := client.Do(req)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestKillMidStream streams webhooks at the real binary, kills it with
// SIGKILL in the middle, restarts it on the same SQLite file and checks
// that every acknowledged webhook is stored, that every stored result has
// exactly one decision, and that re-delivering everything adds nothing
// twice. Then it reloads the policy with SIGHUP and stops with SIGTERM.
func TestKillMidStream(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the binary; skipped with -short")
	}
	bin := buildBinary(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "cases.db")
	policy := writePolicy(t, dir, readFile(t, "testdata/small.yaml"))
	p := startProc(t, bin, "sqlite:"+db, policy, "--reload-interval=0")

	const senders, cases, maxBodies = 8, 25, 20000
	bodies := make([][]byte, maxBodies)
	for i := range bodies {
		bodies[i] = veriffBody(t, i%cases, i)
	}
	var (
		next      atomic.Int64
		acked     sync.Map // index → true
		nAcked    atomic.Int64
		killed    = make(chan struct{})
		wg        sync.WaitGroup
		badStatus atomic.Value
	)
	client := &http.Client{Timeout: 10 * time.Second}
	for range senders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := next.Add(1) - 1
				if i >= maxBodies {
					return
				}
				status, body := post(client, p.url, bodies[i])
				switch {
				case status == 200:
					acked.Store(i, true)
					nAcked.Add(1)
				case status == 0:
					select {
					case <-killed:
						return // the server is gone
					default:
						badStatus.Store(fmt.Sprintf("delivery %d failed before the kill: %s", i, body))
						return
					}
				default:
					badStatus.Store(fmt.Sprintf("delivery %d: %d %s", i, status, body))
					return
				}
			}
		}()
	}
	for deadline := time.Now().Add(20 * time.Second); nAcked.Load() < 400; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) || badStatus.Load() != nil {
			t.Fatalf("streaming: %d acknowledged; %v\n%s", nAcked.Load(), badStatus.Load(), p.logs)
		}
	}
	close(killed)
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	<-p.done
	if v := badStatus.Load(); v != nil {
		t.Fatal(v)
	}
	sent := next.Load()
	if sent > maxBodies {
		sent = maxBodies
	}
	inFlight := sent - nAcked.Load()
	t.Logf("killed with SIGKILL after %d acknowledged webhooks; %d more were sent and not acknowledged", nAcked.Load(), inFlight)
	if inFlight == 0 {
		t.Fatal("nothing was in flight at the kill")
	}

	// Restart on the same file: every acknowledged webhook is there.
	p = startProc(t, bin, "sqlite:"+db, policy, "--reload-interval=0")
	stored := map[string]bool{} // dedupe keys
	for c := range cases {
		var got struct {
			Results []struct {
				DedupeKey string `json:"dedupe_key"`
			}
			History []store.Decision
		}
		// Every page of the case, following its cursor.
		for after := ""; ; {
			resp := apiGet(t, p.url, fmt.Sprintf("/v1/cases/fault-%03d?limit=100&after=%s", c, after))
			var page struct {
				Results []struct {
					DedupeKey string `json:"dedupe_key"`
				}
				History []store.Decision
				Next    string
			}
			if err := json.Unmarshal(resp, &page); err != nil {
				t.Fatalf("case %d: %v: %s", c, err, resp)
			}
			got.Results, got.History = append(got.Results, page.Results...), append(got.History, page.History...)
			if after = page.Next; after == "" {
				break
			}
		}
		for i, d := range got.History {
			if d.Seq != int64(i+1) || d.Results != i+1 {
				t.Fatalf("case %d: decision %d has seq %d over %d results: lost or doubled", c, i, d.Seq, d.Results)
			}
		}
		if len(got.History) != len(got.Results) {
			t.Fatalf("case %d: %d results but %d decisions", c, len(got.Results), len(got.History))
		}
		for _, r := range got.Results {
			stored[r.DedupeKey] = true
		}
	}
	lost := 0
	acked.Range(func(k, _ any) bool {
		if !stored[store.DedupeKey("veriff", "", bodies[k.(int64)])] {
			lost++
		}
		return true
	})
	if lost > 0 {
		t.Fatalf("%d acknowledged webhooks are not in the store", lost)
	}
	extra := len(stored) - int(nAcked.Load())
	if extra < 0 || int64(extra) > inFlight {
		t.Fatalf("%d results stored for %d acknowledged and %d unacknowledged webhooks", len(stored), nAcked.Load(), inFlight)
	}
	t.Logf("after the restart: %d results stored (%d committed but not acknowledged before the kill)", len(stored), extra)

	// Re-deliver everything sent: acknowledged ones are duplicates, none is
	// stored twice.
	for i := range sent {
		status, body := post(client, p.url, bodies[i])
		_, wasAcked := acked.Load(i)
		wasStored := stored[store.DedupeKey("veriff", "", bodies[i])]
		want := `{"status":"stored"}`
		if wasStored {
			want = `{"status":"duplicate"}`
		}
		if status != 200 || body != want {
			t.Fatalf("re-delivery %d (acknowledged %v): %d %s, want %s", i, wasAcked, status, body, want)
		}
	}

	// SIGHUP reloads the policy.
	writePolicy(t, dir, strings.Replace(readFile(t, "testdata/small.yaml"), `version: "1"`, `version: "hup"`, 1))
	if err := p.cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); !bytes.Contains(apiGet(t, p.url, "/v1/policy"), []byte(`"version":"hup"`)); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("SIGHUP did not reload the policy\n%s", p.logs)
		}
	}

	// SIGTERM stops it cleanly.
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-p.done:
		if err != nil {
			t.Fatalf("exit after SIGTERM: %v\n%s", err, p.logs)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("no exit after SIGTERM")
	}
	if !strings.Contains(p.logs.String(), `"msg":"stopped"`) {
		t.Fatalf("no clean stop logged\n%s", p.logs)
	}

	// The file holds exactly one result and one decision per distinct
	// delivery.
	st, err := store.Open(context.Background(), "sqlite:"+db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	s, err := st.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if s.Results != sent || s.Decisions != sent || s.Cases != int64(min(int(sent), cases)) {
		t.Fatalf("after re-delivery of %d webhooks: %+v", sent, s)
	}
}

func apiGet(t *testing.T, url, path string) []byte {
	t.Helper()
	req, _ := http.NewRequest("GET", url+path, nil)
	req.Header.Set("X-API-Key", apiKey)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d %s", path, resp.StatusCode, b)
	}
	return b
}
