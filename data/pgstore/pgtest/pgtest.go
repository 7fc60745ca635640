// Package pgtest gives tests a real PostgreSQL: a throwaway cluster
// started once per test package (initdb into a temporary directory,
// listening only on a Unix socket there), or the server named by
// LIAISONDESK_TEST_PG, and a fresh database per test on it. No mocks.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// EnvURL names an existing server to use instead of a throwaway cluster.
const EnvURL = "LIAISONDESK_TEST_PG"

// Server is a PostgreSQL tests make their databases on.
type Server struct {
	admin string // URL of a database to run CREATE/DROP DATABASE from
	skip  string // why there is none: tests skip with this
	dir   string // the throwaway cluster's directory, "" for an existing server
	ctl   string // its pg_ctl
}

// Start finds or starts the server for a test package: call it from
// TestMain and Stop it after m.Run. Without initdb and without
// LIAISONDESK_TEST_PG it returns a Server whose tests skip, saying why.
func Start() (*Server, error) {
	if u := os.Getenv(EnvURL); u != "" {
		return &Server{admin: u}, nil
	}
	bin, err := findBin()
	if err != nil {
		return &Server{skip: err.Error()}, nil
	}
	return startCluster(bin)
}

// findBin is the directory holding initdb, pg_ctl and postgres.
func findBin() (string, error) {
	if p, err := exec.LookPath("initdb"); err == nil {
		return filepath.Dir(p), nil
	}
	found, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if len(found) == 0 {
		return "", fmt.Errorf("no PostgreSQL here (initdb not found; install Debian's postgresql package or set %s=postgres://…)", EnvURL)
	}
	return filepath.Dir(found[len(found)-1]), nil
}

// asPostgres runs a PostgreSQL program, as the postgres user when we are
// root (initdb and postgres refuse to run as root).
func asPostgres(name string, args ...string) *exec.Cmd {
	cmd := exec.Command(name, args...)
	if os.Geteuid() == 0 {
		cmd = exec.Command("runuser", append([]string{"-u", "postgres", "--", name}, args...)...)
	}
	// The postgres user may not enter the test's working directory (a
	// clone in a private temporary folder): start it from the root.
	cmd.Dir = "/"
	return cmd
}

func startCluster(bin string) (_ *Server, err error) {
	// As root the cluster runs as postgres, who must reach its folder:
	// TMPDIR may be a private one (make bench-smoke's), so use /tmp.
	parent := ""
	if os.Geteuid() == 0 {
		parent = "/tmp"
	}
	dir, err := os.MkdirTemp(parent, "liaisondesk-pg-")
	if err != nil {
		return nil, err
	}
	s := &Server{dir: dir, ctl: filepath.Join(bin, "pg_ctl")}
	defer func() {
		if err != nil {
			s.Stop()
		}
	}()
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			return nil, fmt.Errorf("running as root needs the postgres user: %w", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			return nil, err
		}
	}
	data := filepath.Join(dir, "data")
	if out, err := asPostgres(filepath.Join(bin, "initdb"), "-D", data, "-U", "postgres", "--auth=trust",
		"--no-sync", "-E", "UTF8", "--locale=C").CombinedOutput(); err != nil {
		return nil, fmt.Errorf("initdb: %v: %s", err, out)
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	// Only a Unix socket in dir; durability off: the cluster dies with
	// the test run.
	opts := fmt.Sprintf("-k %s -p %d -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200", dir, port)
	if out, err := asPostgres(s.ctl, "-D", data, "-o", opts, "-l", filepath.Join(dir, "log"), "-w", "-t", "60", "start").CombinedOutput(); err != nil {
		log, _ := os.ReadFile(filepath.Join(dir, "log"))
		return nil, fmt.Errorf("pg_ctl start: %v: %s\n%s", err, out, log)
	}
	s.admin = SocketURL(dir, port, "postgres")
	return s, nil
}

// SocketURL is the URL of database db on a server listening on a Unix
// socket in dir.
func SocketURL(dir string, port int, db string) string {
	return fmt.Sprintf("postgres://postgres@/%s?host=%s&port=%d", db, url.QueryEscape(dir), port)
}

// freePort is a TCP port number nothing listens on now: the cluster names
// its socket after it, and a clash with another cluster's socket in
// another directory is harmless, but a real port keeps it unique anyway.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// Stop stops and removes a throwaway cluster; an existing server is left
// as it was (each test dropped its own database).
func (s *Server) Stop() {
	if s == nil || s.dir == "" {
		return
	}
	data := filepath.Join(s.dir, "data")
	if _, err := os.Stat(filepath.Join(data, "postmaster.pid")); err == nil {
		asPostgres(s.ctl, "-D", data, "-m", "immediate", "-w", "stop").Run()
	}
	os.RemoveAll(s.dir)
}

// Database makes a fresh, empty database for t, dropped when t ends, and
// returns its URL. It skips t when there is no server.
func (s *Server) Database(t testing.TB) string {
	t.Helper()
	if s == nil || s.skip != "" {
		reason := "no PostgreSQL server"
		if s != nil {
			reason = s.skip
		}
		t.Skip(reason)
	}
	var b [6]byte
	rand.Read(b[:])
	name := "liaisondesk_test_" + hex.EncodeToString(b[:])
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, s.admin)
	if err != nil {
		t.Fatalf("connect to the test server: %v", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name+" TEMPLATE template0 ENCODING 'UTF8'"); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		conn, err := pgx.Connect(ctx, s.admin)
		if err != nil {
			t.Errorf("drop test database: %v", err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("drop test database: %v", err)
		}
	})
	return withDatabase(s.admin, name)
}

// withDatabase is admin's URL naming database db instead.
func withDatabase(admin, db string) string {
	u, err := url.Parse(admin)
	if err != nil {
		return admin
	}
	u.Path = "/" + db
	return u.String()
}

// Skipped says why this server's tests skip, or "".
func (s *Server) Skipped() string { return s.skip }

// Lazy starts its server at the first Database call, for a test package
// where few tests need PostgreSQL: call Stop from TestMain after m.Run.
type Lazy struct {
	once sync.Once
	s    *Server
	err  error
}

// Database is Server.Database on the server started at first use.
func (l *Lazy) Database(t testing.TB) string {
	t.Helper()
	l.once.Do(func() { l.s, l.err = Start() })
	if l.err != nil {
		t.Fatalf("start PostgreSQL: %v", l.err)
	}
	return l.s.Database(t)
}

// Stop stops the server if it was started.
func (l *Lazy) Stop() {
	l.once.Do(func() {}) // no start after Stop
	l.s.Stop()
}

// Tool is the path of one of PostgreSQL's client programs (pg_dump,
// pg_restore), for tests that back a hub up as its operators would.
func Tool(name string) (string, error) {
	if p, err := exec.LookPath(name); err == nil {
		return p, nil
	}
	found, _ := filepath.Glob("/usr/lib/postgresql/*/bin/" + name)
	if len(found) == 0 {
		return "", fmt.Errorf("no %s here (install Debian's postgresql package)", name)
	}
	return found[len(found)-1], nil
}
