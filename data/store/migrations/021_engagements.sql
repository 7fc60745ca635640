-- Planned engagements and debriefs (issue 14, docs/DOMAIN.md §2): the plan
-- (objectives, talking points, asks, red lines), the debrief (each
-- objective's result, atmospherics, commitments both ways) and the notes
-- of state changes. Objectives and commitments hold JSON arrays of objects
-- (data/engagement.go).
ALTER TABLE exchanges ADD COLUMN objectives TEXT NOT NULL DEFAULT '[]';
ALTER TABLE exchanges ADD COLUMN talking_points TEXT NOT NULL DEFAULT '';
ALTER TABLE exchanges ADD COLUMN asks TEXT NOT NULL DEFAULT '';
ALTER TABLE exchanges ADD COLUMN red_lines TEXT NOT NULL DEFAULT '';
ALTER TABLE exchanges ADD COLUMN atmospherics TEXT NOT NULL DEFAULT '';
ALTER TABLE exchanges ADD COLUMN commitments TEXT NOT NULL DEFAULT '[]';
ALTER TABLE exchanges ADD COLUMN state_notes TEXT NOT NULL DEFAULT '';
