package store_test

import (
	"bufio"
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/veredicto/veredicto/cmd/internal/store"
	"github.com/veredicto/veredicto/cmd/internal/store/storetest"
)

// TestSQLiteRefusesUnsafeSettings opens the store with write-connection
// settings under which an acknowledged commit could be lost: Open must
// refuse them, naming the setting and its value.
func TestSQLiteRefusesUnsafeSettings(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct{ from, to, want string }{
		{"synchronous(FULL)", "synchronous(NORMAL)", "synchronous is 1 (NORMAL)"},
		{"synchronous(FULL)", "synchronous(OFF)", "synchronous is 0 (OFF)"},
		{"journal_mode(WAL)", "journal_mode(DELETE)", "journal_mode is delete"},
		{"journal_mode(WAL)", "journal_mode(MEMORY)", "journal_mode is memory"},
		{"synchronous(FULL)", "synchronous(EXTRA)", ""},
	} {
		t.Run(c.to, func(t *testing.T) {
			o := strings.Replace(store.SQLiteWriteOptions, c.from, c.to, 1)
			if o == store.SQLiteWriteOptions {
				t.Fatalf("the write options have no %s: %s", c.from, o)
			}
			defer store.SetSQLiteWriteOptions(o)()
			addr := storetest.SQLite(t)
			st, err := store.Open(ctx, addr)
			if c.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				st.Close()
				return
			}
			if err == nil {
				st.Close()
				t.Fatalf("Open accepted %s", c.to)
			}
			if msg := err.Error(); !strings.Contains(msg, c.want) || !strings.Contains(msg, addr[len("sqlite:"):]) || strings.Contains(msg, "\n") {
				t.Fatalf("Open with %s: %q, want one line naming the file and %q", c.to, msg, c.want)
			}
		})
	}
}

// TestPostgresRefusesUnsafeSettings opens the store where PostgreSQL would
// acknowledge a commit before it is on disk: synchronous_commit off for the
// connection (in the address or set for the role), or fsync off for the
// server. Settings that flush the local WAL before the acknowledgement are
// accepted.
func TestPostgresRefusesUnsafeSettings(t *testing.T) {
	ctx := context.Background()
	c := ownCluster(t)
	db := c.database(t)
	base := c.dsn(db, c.password)
	withOptions := func(o string) string {
		return base + "&options=" + strings.ReplaceAll(url.QueryEscape(o), "+", "%20")
	}
	refused := func(t *testing.T, addr, want string) {
		t.Helper()
		st, err := store.Open(ctx, addr)
		if err == nil {
			st.Close()
			t.Fatalf("Open(%s) accepted it", store.Redact(addr))
		}
		if msg := err.Error(); !strings.Contains(msg, want) || strings.Contains(msg, c.password) || strings.Contains(msg, "\n") {
			t.Fatalf("Open: %q, want one line with %q and no password", msg, want)
		}
	}
	refused(t, withOptions("-c synchronous_commit=off"), "synchronous_commit is off")
	refused(t, withOptions("-c synchronous_commit=false"), "synchronous_commit is off")
	for _, v := range []string{"local", "remote_write", "on", "remote_apply"} {
		st, err := store.Open(ctx, withOptions("-c synchronous_commit="+v))
		if err != nil {
			t.Fatalf("synchronous_commit=%s: %v", v, err)
		}
		st.Close()
	}

	// Set for the role, as an administrator might.
	admin := c.admin(t, db)
	if _, err := admin.ExecContext(ctx, `CREATE ROLE lazy LOGIN PASSWORD 'lazy-pw' SUPERUSER`); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = c.admin(t, "postgres").Exec(`DROP OWNED BY lazy; DROP ROLE lazy`) })
	if _, err := admin.ExecContext(ctx, `ALTER ROLE lazy SET synchronous_commit = off`); err != nil {
		t.Fatal(err)
	}
	refused(t, strings.Replace(base, "veredicto:"+c.password, "lazy:lazy-pw", 1), "synchronous_commit is off")

	// fsync off for the whole server.
	if _, err := admin.ExecContext(ctx, `ALTER SYSTEM SET fsync = off`); err != nil {
		t.Fatal(err)
	}
	reload := func() {
		if _, err := admin.ExecContext(ctx, `SELECT pg_reload_conf()`); err != nil {
			t.Fatal(err)
		}
		time.Sleep(200 * time.Millisecond) // the postmaster signals the backends
	}
	defer func() {
		_, _ = admin.ExecContext(ctx, `ALTER SYSTEM RESET fsync`)
		reload()
	}()
	reload()
	refused(t, base, "fsync is off")
}

// envSyncChild names the SQLite file that the test binary, run again as a
// child under strace, writes to.
const envSyncChild = "VEREDICTO_STORE_SYNC_CHILD"

const syncChildAdds = 12

// TestSQLiteSyncsBeforeAck checks durability where a kill -9 cannot: the
// page cache survives a killed process, but not a power failure, so what
// counts is whether the WAL was synced to disk before Add returned. It
// runs a child that acknowledges each Add on its standard output, traces
// its system calls with strace, and asserts that before every
// acknowledgement the child wrote the WAL and then fsynced it. With
// synchronous NORMAL or OFF the WAL is not synced at commit, and the test
// fails.
func TestSQLiteSyncsBeforeAck(t *testing.T) {
	if path := os.Getenv(envSyncChild); path != "" {
		syncChild(t, path)
		return
	}
	strace, err := exec.LookPath("strace")
	if err != nil {
		t.Skip("strace is not installed (Debian: apt-get install strace); the SQLite sync test needs it")
	}
	if out, err := exec.Command(strace, "-f", "-o", os.DevNull, "true").CombinedOutput(); err != nil {
		t.Skipf("strace cannot trace here (ptrace not permitted?): %v: %s", err, strings.TrimSpace(string(out)))
	}
	dir := t.TempDir()
	trace := filepath.Join(dir, "trace")
	cmd := exec.Command(strace, "-f", "-qq", "-s", "24", "-o", trace,
		"-e", "trace=open,openat,close,write,writev,pwrite64,pwritev,pwritev2,fsync,fdatasync",
		os.Args[0], "-test.run=^TestSQLiteSyncsBeforeAck$", "-test.count=1")
	cmd.Env = append(os.Environ(), envSyncChild+"="+filepath.Join(dir, "cases.db"))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	f, err := os.Open(trace)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	acks, problems := checkSyncedBeforeAck(bufio.NewScanner(f))
	for _, p := range problems {
		t.Error(p)
	}
	if acks != syncChildAdds {
		t.Errorf("saw %d acknowledgements in the trace, want %d\n%s", acks, syncChildAdds, out)
	}
}

// syncChild is the child of TestSQLiteSyncsBeforeAck: it acknowledges each
// Add with a line "ack N" written to its standard output.
func syncChild(t *testing.T, path string) {
	ctx := context.Background()
	st, err := store.Open(ctx, "sqlite:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for i := range syncChildAdds {
		if i%4 == 3 {
			_, err = st.Redecide(ctx, fmt.Sprint("case-", i%3), decideCount(nil))
		} else {
			_, err = st.Add(ctx, fmt.Sprint("case-", i%3), []store.Result{res(fmt.Sprintf(`{"i":%d}`, i))}, decideCount(nil))
		}
		if err != nil {
			t.Fatal(err)
		}
		if _, err := fmt.Fprintf(os.Stdout, "ack %d\n", i); err != nil {
			t.Fatal(err)
		}
	}
}

var (
	// 123 open("/x/cases.db-wal", O_RDWR|O_CREAT, 0644) = 7
	// 123 fsync(7) = 0
	// 123 fsync(7 <unfinished ...>
	// 124 <... fsync resumed>) = 0
	straceCall     = regexp.MustCompile(`^(\d+) +(\w+)\((.*)\) += (-?\d+)`)
	straceStart    = regexp.MustCompile(`^(\d+) +(\w+)\((.*) <unfinished \.\.\.>$`)
	straceResumed  = regexp.MustCompile(`^(\d+) +<\.\.\. (\w+) resumed>(.*)\) += (-?\d+)`)
	straceOpenPath = regexp.MustCompile(`^(?:AT_FDCWD, )?"((?:[^"\\]|\\.)*)"`)
)

// checkSyncedBeforeAck reads an strace log (strace -f) and checks that
// each write of "ack" to standard output comes after a write to the WAL
// file made since the previous acknowledgement, and after a completed
// fsync or fdatasync of the WAL that followed the last such write. It
// returns the number of acknowledgements and what it found wrong.
func checkSyncedBeforeAck(sc *bufio.Scanner) (acks int, problems []string) {
	paths := map[string]string{} // fd to path
	pending := map[string]string{}
	walWrites, lastWrite, lastSync := 0, -1, -1
	for n := 0; sc.Scan(); n++ {
		line := sc.Text()
		var name, args, ret string
		if m := straceStart.FindStringSubmatch(line); m != nil {
			pending[m[1]] = m[3]
			if m[2] == "write" && strings.HasPrefix(m[3], `1, "ack `) {
				// An acknowledgement counts from when it starts.
				name, args = "ack", m[3]
			} else {
				continue
			}
		} else if m := straceResumed.FindStringSubmatch(line); m != nil {
			name, args, ret = m[2], pending[m[1]]+m[3], m[4]
			delete(pending, m[1])
			if name == "write" && strings.HasPrefix(args, `1, "ack `) {
				continue // counted at its start
			}
		} else if m := straceCall.FindStringSubmatch(line); m != nil {
			name, args, ret = m[2], m[3], m[4]
		} else {
			continue
		}
		fd, rest, _ := strings.Cut(args, ", ")
		switch name {
		case "open", "openat":
			if name == "openat" {
				rest = strings.TrimPrefix(args, "AT_FDCWD, ")
			} else {
				rest = args
			}
			if m := straceOpenPath.FindStringSubmatch(rest); m != nil && !strings.HasPrefix(ret, "-") {
				paths[ret] = m[1]
			}
		case "close":
			delete(paths, fd)
		case "write", "writev", "pwrite64", "pwritev", "pwritev2":
			if fd == "1" && strings.HasPrefix(rest, `"ack `) {
				name = "ack"
				break
			}
			if strings.HasSuffix(paths[fd], "-wal") && !strings.HasPrefix(ret, "-") {
				walWrites++
				lastWrite = n
			}
		case "fsync", "fdatasync":
			if strings.HasSuffix(paths[fd], "-wal") && ret == "0" {
				lastSync = n
			}
		}
		if name != "ack" {
			continue
		}
		acks++
		switch {
		case walWrites == 0:
			problems = append(problems, fmt.Sprintf("acknowledgement %d: no write to the WAL since the previous one", acks))
		case lastSync < lastWrite:
			problems = append(problems, fmt.Sprintf("acknowledgement %d: the WAL was written (trace line %d) but not synced before it (trace line %d)", acks, lastWrite+1, n+1))
		}
		walWrites = 0
	}
	if err := sc.Err(); err != nil {
		problems = append(problems, err.Error())
	}
	return acks, problems
}

// TestPostgresCrashKeepsAcknowledged acknowledges Adds through the store,
// crashes the server (pg_ctl stop -m immediate: what is only in its WAL
// buffers is lost) and starts it again: every acknowledged result and its
// decision must be there. The cluster's WAL writer waits 10 s, so only a
// commit that flushed the WAL itself survives; with synchronous_commit off
// the last acknowledged Adds are lost.
func TestPostgresCrashKeepsAcknowledged(t *testing.T) {
	ctx := context.Background()
	c := ownCluster(t)
	addr := c.dsn(c.database(t), c.password)
	st := open(t, addr)
	const n = 120
	for i := range n {
		id := fmt.Sprint("case-", i%7)
		if _, err := st.Add(ctx, id, []store.Result{res(fmt.Sprintf(`{"i":%d}`, i))}, decideCount(nil)); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.stop("immediate"); err != nil {
		t.Fatal(err)
	}
	if msg := c.start(); msg != "" {
		t.Fatal(msg)
	}
	st.Close()
	st = open(t, addr)
	if got := stats(t, st); got != (store.Stats{Cases: 7, Results: n, Decisions: n}) {
		t.Errorf("after the crash: %+v, want 7 cases and %d results and decisions", got, n)
	}
	for k := range 7 {
		id := fmt.Sprint("case-", k)
		c, err := st.Case(ctx, id)
		if err != nil {
			t.Fatalf("%s: %v", id, err)
		}
		for j, r := range c.Results {
			if want := fmt.Sprintf(`{"i":%d}`, k+7*j); string(r.Payload) != want {
				t.Errorf("%s result %d: %s, want %s", id, j+1, r.Payload, want)
			}
		}
		if len(c.Decisions) != len(c.Results) || (len(c.Decisions) > 0 && c.Current().Results != len(c.Results)) {
			t.Errorf("%s: %d results, %d decisions", id, len(c.Results), len(c.Decisions))
		}
	}
}
