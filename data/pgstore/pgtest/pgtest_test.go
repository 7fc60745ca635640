package pgtest

import (
	"context"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"
)

var server *Server

func TestMain(m *testing.M) {
	s, err := Start()
	if err != nil {
		panic(err)
	}
	server = s
	code := m.Run()
	s.Stop()
	os.Exit(code)
}

// Each test gets its own empty database, which it can write to.
func TestEachTestGetsAFreshDatabase(t *testing.T) {
	ctx := context.Background()
	a, b := server.Database(t), server.Database(t)
	if a == b {
		t.Fatal("two tests were given the same database")
	}
	conn, err := pgx.Connect(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `CREATE TABLE t (x int); INSERT INTO t VALUES (1)`); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM pg_tables WHERE schemaname = 'public'`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("fresh database has %d tables: %v", n, err)
	}
}
