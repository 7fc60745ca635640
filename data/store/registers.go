package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"liaisondesk/data"
)

// The documents and gifts registers (data/document.go, data/gift.go): the
// rules of theirs that read the store or its clock.

var (
	documentsTable = mustTable(data.KindDocument)
	giftsTable     = mustTable(data.KindGift)
)

// checkDocument checks what a document names: its classification, the
// exchange where it was received, and dates no later than today. As for
// every reference, an edit checks only what it changes, so a document
// whose exchange was deleted elsewhere can still be edited.
func (w *writer) checkDocument(r *refs, v, o *data.Document) error {
	if o == nil || o.Classification != v.Classification {
		if err := w.checkMarking(r, v.Marking); err != nil {
			return err
		}
	}
	if v.ExchangeID != "" && (o == nil || o.ExchangeID != v.ExchangeID) {
		ok, err := w.exists(r, exchangesTable, v.ExchangeID)
		if err != nil {
			return err
		}
		if !ok {
			return data.Invalid("exchange_id", "no exchange has id %s", v.ExchangeID)
		}
	}
	if o == nil || o.ReceivedOn != v.ReceivedOn || o.DispositionOn != v.DispositionOn {
		return v.CheckDates(w.s.Now())
	}
	return nil
}

// checkGift refuses a gift dated in the future.
func (w *writer) checkGift(v, o *data.Gift) error {
	if o == nil || o.GivenOn != v.GivenOn {
		return v.CheckDates(w.s.Now())
	}
	return nil
}

// giftDeadline derives a gift's deposit deadline from its synced values,
// the way every store does (data.Gift.Derive).
func giftDeadline(values map[string]json.RawMessage) string {
	var g data.Gift
	b, _ := json.Marshal(values)
	_ = json.Unmarshal(b, &g)
	g.Derive()
	return g.DepositDue
}

// rederiveGifts recomputes every gift's deposit deadline when the rule
// table (data/gift.go) differs from the one they were computed under, so
// a corrected rule reaches existing gifts with no step by the user. The
// deadline is a derived column, never in the change log: the update is
// local, and two stores under one table agree.
func (s *Store) rederiveGifts(ctx context.Context) error {
	want := data.GiftFingerprint()
	var have string
	err := s.rdb.QueryRowContext(ctx, `SELECT fingerprint FROM derived_rules WHERE name = 'gifts'`).Scan(&have)
	if err != nil && err != sql.ErrNoRows {
		return fmt.Errorf("read gift rule fingerprint: %w", err)
	}
	if have == want {
		return nil
	}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT id, given_on, recipient_nation, value_usd, value_inr, deposit_due FROM gifts`)
		if err != nil {
			return err
		}
		fixes := map[string]string{}
		for rows.Next() {
			var g data.Gift
			var old string
			if err := rows.Scan(&g.ID, &g.GivenOn, &g.RecipientNation, &g.ValueUSD, &g.ValueINR, &old); err != nil {
				rows.Close()
				return err
			}
			if g.Derive(); g.DepositDue != old {
				fixes[g.ID] = g.DepositDue
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for id, due := range fixes {
			if _, err := tx.ExecContext(ctx, `UPDATE gifts SET deposit_due = ? WHERE id = ?`, due, id); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO derived_rules (name, fingerprint) VALUES ('gifts', ?)
			ON CONFLICT (name) DO UPDATE SET fingerprint = excluded.fingerprint`, want)
		return err
	})
	if err != nil {
		return fmt.Errorf("recompute the gift deadlines: %w", err)
	}
	return nil
}
