package store

import (
	"context"
	"slices"
	"testing"
)

func TestReadColumnReturnsTheColumnInOrder(t *testing.T) {
	s := openTestStore(t)
	got, err := readColumn[string](context.Background(), s.rdb, `SELECT value FROM json_each('["b","a","c"]') ORDER BY key`)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"b", "a", "c"}; !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestReadColumnOfNoRowsIsEmptyNotAnError(t *testing.T) {
	s := openTestStore(t)
	got, err := readColumn[int64](context.Background(), s.rdb, `SELECT seq FROM quarantine_discarded`)
	if err != nil || len(got) != 0 {
		t.Errorf("got %v, %v; want no values and no error", got, err)
	}
}

func TestReadColumnFailsOnAValueItCannotHoldRatherThanStopShort(t *testing.T) {
	s := openTestStore(t)
	got, err := readColumn[int64](context.Background(), s.rdb, `SELECT value FROM json_each('[1, "two", 3]') ORDER BY key`)
	if err == nil {
		t.Fatalf("got %v and no error; want the scan error", got)
	}
	if got != nil {
		t.Errorf("got the partial result %v alongside the error", got)
	}
}
