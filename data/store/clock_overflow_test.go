package store

import (
	"context"
	"math"
	"testing"

	"liaisondesk/data"
)

// An enrolled peer stamps a title change with the highest clock reading
// there is. Import takes it (with a warning). When R's officer then edits
// the title, the edit must still supersede it: the writer's clock, moved
// to the reading of the value it replaces, must not wrap around to zero
// and leave the officer unable ever to change the field.
func TestAnEditSupersedesAValueStampedAtTheLastClockReading(t *testing.T) {
	ctx := context.Background()
	x, p, r := openTestStore(t), openTestStore(t), openTestStore(t)
	enrolAll(t, map[string]*Store{"x": x, "p": p, "r": r})
	id := addOne(t, x, sampleExchange())
	sendAll(t, x, p)
	sendAll(t, x, r)
	sendAll(t, p, r)
	crafted := craft(t, p, nextSeq(t, p), data.HLC(math.MaxUint64), "exchange", id, map[string]any{"title": "Stamped at the end of time"}, nil)
	pdev, _ := p.Device()
	if _, err := r.Import(ctx, data.Incoming{Sender: pdev.Site, Batch: crafted}); err != nil {
		t.Fatalf("import: %v", err)
	}
	if err := r.Update(ctx, "exchange", id, []byte(`{"title":"Edited on R"}`)); err != nil {
		t.Fatalf("R's officer cannot edit the title: %v", err)
	}
	if got := titleOf(t, r, id); got != "Edited on R" {
		t.Errorf("title %q after R's officer edited it to %q (conflicts %v)", got, "Edited on R", conflictFields(t, r, id))
	}
	// Resolving the conflict must settle it, too.
	cs, _ := r.Conflicts(ctx)
	for _, c := range cs {
		if c.ID == id && c.Field == "title" {
			for _, v := range c.Values {
				if clCanon(v.Value) == `"Edited on R"` {
					if err := r.Resolve(ctx, "exchange", id, "title", nil, v.Change); err != nil {
						t.Fatalf("resolve: %v", err)
					}
				}
			}
		}
	}
	if got, cs := titleOf(t, r, id), conflictFields(t, r, id); got != "Edited on R" || len(cs) != 0 {
		t.Errorf("after keeping R's title: %q, conflicts %v", got, cs)
	}
}
