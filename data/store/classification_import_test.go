package store

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"liaisondesk/data"
)

// A classification change synced in from an enrolled peer that would
// re-rank, delete or misplace a level is held for review with the reason
// (its author's later work waits behind it), and the order every banner
// and ceiling uses stays as it was.
func TestASyncedChangeThatReordersLevelsIsHeld(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name   string
		row    string
		fields string
		why    string
	}{
		{"SECRET re-ranked below RESTRICTED", "SECRET", `{"rank":5}`, "rank of a built-in level cannot change"},
		{"a built-in deleted", "CONFIDENTIAL", `{"_deleted":true}`, "CONFIDENTIAL"},
		{"a new level on a built-in's rank", "NATO SECRET", `{"rank":30,"colour":"#FF8C00"}`, "NATO SECRET"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, x := openTestStore(t), openTestStore(t)
			enrolled(t, b, "x", x)
			var fields map[string]json.RawMessage
			if err := json.Unmarshal([]byte(tc.fields), &fields); err != nil {
				t.Fatal(err)
			}
			if err := x.CraftChange(ctx, "classifications", tc.row, fields); err != nil {
				t.Fatal(err)
			}
			ex := sampleExchange()
			ex.Title = "After the crafted change"
			if _, err := x.Add(ctx, ex); err != nil {
				t.Fatal(err)
			}
			push, err := x.Outgoing(ctx, data.Vector{})
			if err != nil {
				t.Fatal(err)
			}
			before, _ := b.Classifications(ctx)
			res, err := b.Import(ctx, data.Incoming{Sender: siteOf(t, x).Site, Batch: push})
			if err != nil {
				t.Fatalf("the push was refused whole: %v", err)
			}
			if len(res.Held) == 0 || res.Held[0].Reason != "invalid" || !strings.Contains(res.Held[0].Detail, tc.why) {
				t.Fatalf("the change was not held with its reason: %+v", res.Held)
			}
			after, _ := b.Classifications(ctx)
			if levelOrder(after) != levelOrder(before) {
				t.Fatalf("the levels moved: %s, before %s", levelOrder(after), levelOrder(before))
			}
			checkStoreClean(t, b)
		})
	}
}

func levelOrder(levels []data.Classification) string {
	var parts []string
	for _, l := range levels {
		parts = append(parts, l.ID)
	}
	return strings.Join(parts, " < ")
}
