package store

import (
	"context"
)

// readColumn runs a query of one column and returns its values in order.
// It asks the rows why they ended, so a read cut short (an I/O error, a
// busy store) is an error, never a short result.
func readColumn[T any](ctx context.Context, q querier, query string, args ...any) ([]T, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	var out []T
	for rows.Next() {
		var v T
		if err := rows.Scan(&v); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, v)
	}
	if err := closeRows(rows); err != nil {
		return nil, err
	}
	return out, nil
}

type rowCloser interface {
	Close() error
	Err() error
}

// closeRows closes rows a loop is done with and returns why the loop
// ended: rows.Next is false both at the end and on an error.
func closeRows(r rowCloser) error {
	err := r.Err()
	if cerr := r.Close(); err == nil {
		err = cerr
	}
	return err
}
