package gui

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"liaisondesk/data"
)

func TestGiftThroughTheForm(t *testing.T) {
	t.Run("the deadline follows the rule as typed, and the saved gift lists it", func(t *testing.T) {
		a, s := newTestApp(t)
		a.showSection("Gifts")
		_, p, ok := a.sectionOf(data.KindGift)
		if !ok {
			t.Fatal("no Gifts section")
		}
		var sc *giftsScreen
		for _, it := range a.nav {
			if g, ok := it.sec.(*giftsScreen); ok && &g.recordPages == p {
				sc = g
			}
		}
		test.Tap(sc.newBtn)
		f := sc.form
		if f.recipient.Text != "Col. A. Sharma" || f.nation.Text != "IND" || f.disposition.Selected != data.GiftPending {
			t.Fatalf("a new gift: %q %q %q", f.recipient.Text, f.nation.Text, f.disposition.Selected)
		}
		f.given.SetText("2026-11-10")
		test.Type(f.giver, "RADM B. Cooper")
		test.Type(f.item, "Silver salver")
		test.Type(f.valueINR, "4,000")
		if !strings.HasPrefix(f.deadline.Text, "None: at or under") {
			t.Fatalf("under the threshold: %q", f.deadline.Text)
		}
		f.valueINR.SetText("18,000")
		if !strings.HasPrefix(f.deadline.Text, "2026-12-10: ") {
			t.Fatalf("above the threshold: %q", f.deadline.Text)
		}
		f.valueUSD.SetText("a lot")
		if msg := f.ff.errorText("value_usd"); !strings.Contains(msg, "not a sum") {
			t.Fatalf("value_usd problem %q", msg)
		}
		pressCtrlS(t, a)
		if n := storeCount(t, s, "gifts"); n != 0 {
			t.Fatalf("%d gifts stored with a value that is no number", n)
		}
		f.valueUSD.SetText("")
		pressCtrlS(t, a)
		if sc.frame.editing {
			t.Fatalf("still editing: %v", sc.frame.lastErr)
		}
		rec, err := s.Get(context.Background(), data.KindGift, sc.frame.id)
		if err != nil || rec.(*data.Gift).DepositDue != "2026-12-10" || rec.(*data.Gift).ValueINR != 18000 {
			t.Fatalf("stored %+v %v", rec, err)
		}
		sc.frame.close()
		rows := listRows(t, sc.list)
		if len(rows) != 1 || rows[0].Values["deposit_due"] != "2026-12-10" {
			t.Fatalf("list rows %v", rows)
		}
	})
}

// TestAPendingGiftsDeadlineIsAReminder: the day before the deposit
// deadline the gift notifies, by what it is and who gave it (gifts carry
// no marking); once deposited it no longer comes due.
func TestAPendingGiftsDeadlineIsAReminder(t *testing.T) {
	// Dated ten days ago (the store refuses a gift in the future); its value
	// not known, so due 30 days on; the window's day is the day before.
	given := time.Now().UTC().AddDate(0, 0, -10)
	due := given.AddDate(0, 0, 30)
	a, s := dueApp(t, time.Date(due.Year(), due.Month(), due.Day()-1, 10, 0, 0, 0, time.UTC))
	ids := addRecords(t, s, &data.Gift{GivenOn: given.Format(data.DateLayout), Giver: "VADM L. Ortiz", Recipient: "Col. A. Sharma",
		RecipientNation: "IND", Item: "Crystal bowl"})
	test.AssertNotificationSent(t, &fyne.Notification{Title: "Crystal bowl from VADM L. Ortiz",
		Content: "gift to deposit or report by " + due.Format("Mon 2 Jan")}, a.reminders.check)
	if err := s.Update(context.Background(), data.KindGift, ids[0], []byte(`{"disposition": "deposited"}`)); err != nil {
		t.Fatal(err)
	}
	a.reminders.check()
	if a.reminders.due.Count != 0 {
		t.Fatalf("a deposited gift still comes due: %+v", a.reminders.due.Items)
	}
}
