-- DPAS exactly (issue 14, docs/DOMAIN.md §4.4): the fields of the rules in
-- data/dpas.go, and the fingerprint of the rule table the derived DPAS
-- dates were computed under. A store whose fingerprint differs recomputes
-- acceptance_due and delay_confirm_due when it opens (dpasRederive), so a
-- corrected clock reaches existing records with no step by the user.
ALTER TABLE requests ADD COLUMN delay_notice TEXT NOT NULL DEFAULT '';
ALTER TABLE requests ADD COLUMN delay_learned_on TEXT NOT NULL DEFAULT '';
ALTER TABLE requests ADD COLUMN rejection_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE requests ADD COLUMN earliest_offered_on TEXT NOT NULL DEFAULT '';
ALTER TABLE requests ADD COLUMN amendment_received_on TEXT NOT NULL DEFAULT '';
ALTER TABLE requests ADD COLUMN amendment_significant INTEGER NOT NULL DEFAULT 0;
ALTER TABLE requests ADD COLUMN rating_changed_on TEXT NOT NULL DEFAULT '';
ALTER TABLE requests ADD COLUMN spa_basis TEXT NOT NULL DEFAULT '';
ALTER TABLE requests ADD COLUMN urgent_need TEXT NOT NULL DEFAULT '';
ALTER TABLE requests ADD COLUMN effort_made TEXT NOT NULL DEFAULT '';
ALTER TABLE requests ADD COLUMN spa_sponsored_on TEXT NOT NULL DEFAULT '';
ALTER TABLE requests ADD COLUMN spa_endorsed_on TEXT NOT NULL DEFAULT '';
ALTER TABLE requests ADD COLUMN spa_forwarded_on TEXT NOT NULL DEFAULT '';

CREATE TABLE derived_rules (
    name        TEXT PRIMARY KEY,  -- 'dpas'
    fingerprint TEXT NOT NULL      -- data.DPASFingerprint() the derived dates were computed under
);
