package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// TestMain stops the PostgreSQL cluster that tests may have started.
func TestMain(m *testing.M) {
	code := m.Run()
	if shared.c != nil {
		shared.c.stop("fast")
		_ = os.RemoveAll(shared.c.dir)
	}
	os.Exit(code)
}

// cluster is a PostgreSQL server of the tests' own, in a temporary
// directory: password (scram-sha-256) authentication over TCP for the
// superuser veredicto, trust over its Unix socket, and a WAL writer that
// writes late (wal_writer_delay of 10 s), so that a crash loses what a
// commit did not flush itself.
type cluster struct {
	bin, dir, data string
	port           int
	password       string
	as             []string // runs a command as the user postgres when root
}

var shared struct {
	once sync.Once
	c    *cluster
	err  string
}

const clusterPassword = "Pw-of-the-test-cluster-7Q"

// ownCluster returns the tests' own PostgreSQL cluster, starting it the
// first time, or skips t when PostgreSQL's server programs are absent.
func ownCluster(t *testing.T) *cluster {
	t.Helper()
	shared.once.Do(func() { shared.c, shared.err = newCluster() })
	if shared.c == nil {
		t.Skip("PostgreSQL cluster tests skipped: " + shared.err)
	}
	return shared.c
}

func newCluster() (*cluster, string) {
	c := &cluster{password: clusterPassword}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return dirs[i] > dirs[j] })
	for _, d := range dirs {
		if isExec(filepath.Join(d, "initdb")) && isExec(filepath.Join(d, "pg_ctl")) && isExec(filepath.Join(d, "postgres")) {
			c.bin = d
			break
		}
	}
	if c.bin == "" {
		if p, err := exec.LookPath("pg_ctl"); err == nil {
			c.bin = filepath.Dir(p)
		} else {
			return nil, "no PostgreSQL server programs (initdb, pg_ctl) in /usr/lib/postgresql/*/bin or $PATH; `source .ci/postgres.sh` installs them"
		}
	}
	dir, err := os.MkdirTemp("", "veredicto-pgtest-")
	if err != nil {
		return nil, err.Error()
	}
	c.dir, c.data = dir, filepath.Join(dir, "data")
	if os.Getuid() == 0 {
		// initdb and postgres refuse to run as root.
		u, err := user.Lookup("postgres")
		if err != nil {
			return nil, "running as root and there is no user postgres to run the server as"
		}
		uid, _ := strconv.Atoi(u.Uid)
		if err := os.Chown(dir, uid, -1); err != nil {
			return nil, err.Error()
		}
		c.as = []string{"runuser", "-u", "postgres", "--"}
	}
	c.watch()
	pw := filepath.Join(dir, "pwfile")
	if err := os.WriteFile(pw, []byte(c.password), 0o644); err != nil {
		return nil, err.Error()
	}
	if out, err := c.run("initdb", "-D", c.data, "-U", "veredicto", "--pwfile", pw, "--auth-host=scram-sha-256",
		"--auth-local=trust", "-E", "UTF8", "--no-locale", "--no-sync"); err != nil {
		return nil, fmt.Sprintf("initdb: %v: %s", err, lastLine(out))
	}
	_ = os.Remove(pw)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err.Error()
	}
	c.port = l.Addr().(*net.TCPAddr).Port
	_ = l.Close()
	if msg := c.start(); msg != "" {
		return nil, msg
	}
	return c, ""
}

// watch starts a process that stops the cluster and removes its directory
// once this test process is gone, also when it is killed (a test timeout,
// a mutation tester) and TestMain cannot clean up.
func (c *cluster) watch() {
	stop := strings.Join(append(append([]string{}, c.as...), filepath.Join(c.bin, "pg_ctl")), " ")
	script := fmt.Sprintf(`while kill -0 %d 2>/dev/null; do sleep 1; done; %s -D %s -m immediate -w stop >/dev/null 2>&1; rm -rf %s`,
		os.Getpid(), stop, c.data, c.dir)
	cmd := exec.Command("sh", "-c", script)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err == nil {
		go func() { _ = cmd.Wait() }()
	}
}

func isExec(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.Mode()&0o111 != 0
}

func lastLine(b []byte) string {
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	return lines[len(lines)-1]
}

func (c *cluster) run(prog string, args ...string) ([]byte, error) {
	argv := append(append(append([]string{}, c.as...), filepath.Join(c.bin, prog)), args...)
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = c.dir
	return cmd.CombinedOutput()
}

// start starts the server and returns "" or why it did not start.
func (c *cluster) start() string {
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c synchronous_commit=on"+
		" -c wal_writer_delay=10000 -c wal_writer_flush_after=1GB -c max_connections=60", c.port, c.dir)
	if out, err := c.run("pg_ctl", "-D", c.data, "-l", filepath.Join(c.dir, "server.log"), "-w", "-t", "30", "-o", opts, "start"); err != nil {
		log, _ := os.ReadFile(filepath.Join(c.dir, "server.log"))
		return fmt.Sprintf("pg_ctl start: %v: %s %s", err, lastLine(out), lastLine(log))
	}
	return ""
}

// stop stops the server: "fast" shuts down cleanly, "immediate" kills it
// as a crash would, without writing what is in its buffers.
func (c *cluster) stop(mode string) error {
	if out, err := c.run("pg_ctl", "-D", c.data, "-w", "-t", "30", "-m", mode, "stop"); err != nil {
		return fmt.Errorf("pg_ctl stop -m %s: %v: %s", mode, err, lastLine(out))
	}
	return nil
}

// admin returns a superuser connection over the Unix socket.
func (c *cluster) admin(t *testing.T, db string) *sql.DB {
	t.Helper()
	a, err := sql.Open("pgx", fmt.Sprintf("postgres://veredicto@/%s?host=%s&port=%d&sslmode=disable", db, c.dir, c.port))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = a.Close() })
	return a
}

var dbSeq int

// database creates a new database for t and returns its name.
func (c *cluster) database(t *testing.T) string {
	t.Helper()
	dbSeq++
	name := fmt.Sprintf("t%d_%d", os.Getpid(), dbSeq)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := c.admin(t, "postgres").ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatal(err)
	}
	return name
}

// dsn is the address of database db over TCP as the superuser; password
// "" leaves the password out of it.
func (c *cluster) dsn(db, password string) string {
	u := "veredicto"
	if password != "" {
		u += ":" + password
	}
	return fmt.Sprintf("postgres://%s@127.0.0.1:%d/%s?sslmode=disable", u, c.port, db)
}
