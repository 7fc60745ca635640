package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"liaisondesk/data"
	"liaisondesk/data/store"
)

// The registers of the demo: documents received in recent exchanges and
// gifts, from their own random stream so the rest of the demo is the same
// with or without them.

var demoDocuments = []struct {
	title, originator, level, category, method, route string
}{
	{"CTF 150 threat assessment, Gulf of Oman", "NAVCENT N2", "CONFIDENTIAL", "2", "documentary", "Defence Wing diplomatic bag"},
	{"Boarding team drill card", "CTF 151 N3", "UNCLASSIFIED", "1", "visual", ""},
	{"Escort schedule, Strait of Hormuz", "CMF N3", "RESTRICTED", "1", "documentary", "Secure e-mail to NHQ"},
	{"P-8I spares availability note", "NAVSUP WSS", "UNCLASSIFIED", "3", "documentary", "Secure e-mail to NHQ"},
	{"Maritime domain awareness picture brief", "IFC-IOR liaison", "CONFIDENTIAL", "8", "oral", ""},
	{"Exercise Sea Dragon after-action summary", "CTF 72", "RESTRICTED", "1", "documentary", "Defence Wing diplomatic bag"},
	{"Counter-piracy lessons identified", "CTF 151 staff", "UNCLASSIFIED", "1", "documentary", "Secure e-mail to NHQ"},
	{"Mine countermeasures survey extract", "CTF 52", "CONFIDENTIAL", "2", "visual", ""},
}

var demoGifts = []struct {
	giver, item, occasion, nation string
	usd, inr                      float64
}{
	{"RADM B. Cooper, Commander CTF 150", "Engraved silver salver", "change of command", "IND", 0, 18000},
	{"Capt. J. Hayes, USN", "Unit coin", "office call", "IND", 15, 1250},
	{"Cdr R. Iyer, IN", "Framed INS Vikrant print", "farewell call", "USA", 620, 0},
	{"VADM L. Ortiz, NAVCENT", "Crystal bowl", "national day reception", "IND", 0, 0},
	{"Col. A. Sharma", "Pashmina stole", "Diwali reception", "USA", 95, 0},
}

// registers adds the documents and gifts: each document received in one
// of the recent exchanges, dated no later than today.
func (g *gen) registers(ctx context.Context, s *store.Store, seed int64) error {
	r := rand.New(rand.NewPCG(uint64(seed), 0x5EED_D0C5))
	// Dated no later than the store's own today: it refuses a register
	// entry dated in the future, and a demo may be made for a day ahead.
	today := g.today
	if clock := s.Now().UTC().Truncate(24 * time.Hour); clock.Before(today) {
		today = clock
	}
	var recent []*data.Exchange
	err := s.List(ctx, data.KindExchange, data.ListFilter{To: date(today), Limit: 40}, func(rec data.Record) error {
		recent = append(recent, rec.(*data.Exchange))
		return nil
	})
	if err != nil {
		return err
	}
	var recs []data.Record
	for i, d := range demoDocuments {
		doc := &data.Document{Title: d.title, Originator: d.originator, Category: d.category, Disclosure: d.method, HQRoute: d.route,
			Marking:       data.Marking{Classification: d.level, Releasability: []string{"USA", "IND"}},
			ControlNumber: fmt.Sprintf("%c-%04d", d.level[0], 100+r.IntN(900)), ReleaseRef: fmt.Sprintf("FDO-%02d-%03d", today.Year()%100, 10+i*7),
			ReceivedOn: date(today.AddDate(0, 0, -1-r.IntN(27)))}
		if len(recent) > 0 {
			e := recent[r.IntN(len(recent))]
			doc.ExchangeID = e.ID
			if t, err := time.Parse(time.RFC3339, e.OccurredAt); err == nil && !t.After(today) {
				doc.ReceivedOn = date(t)
			}
		}
		switch r.IntN(4) {
		case 0:
			doc.Disposition, doc.DispositionOn = data.DispositionForwarded, doc.ReceivedOn
		case 1:
			if d.level == "UNCLASSIFIED" {
				doc.Disposition, doc.DispositionOn = data.DispositionDestroyed, doc.ReceivedOn
			}
		}
		recs = append(recs, doc)
	}
	for i, d := range demoGifts {
		recipient := "Col. A. Sharma"
		if len(g.posts) > 0 && g.posts[0].lo != "" {
			recipient = g.posts[0].lo
		}
		if d.nation == "USA" {
			recipient = "Capt. J. Hayes, USN"
		}
		gift := &data.Gift{GivenOn: date(today.AddDate(0, 0, -3-i*9-r.IntN(5))), Giver: d.giver, Recipient: recipient,
			RecipientNation: d.nation, Item: d.item, Occasion: d.occasion, ValueUSD: d.usd, ValueINR: d.inr}
		if i == 1 {
			gift.Disposition = data.GiftRetained
		}
		recs = append(recs, gift)
	}
	if _, err := s.Add(ctx, recs...); err != nil {
		return fmt.Errorf("registers: %w", err)
	}
	return nil
}
