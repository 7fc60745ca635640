-- The dashboard's "recently updated" list reads the newest rows by
-- updated_at; without these indexes it would scan every exchange.
CREATE INDEX IF NOT EXISTS exchanges_updated ON exchanges (updated_at);
CREATE INDEX IF NOT EXISTS requests_updated ON requests (updated_at);
CREATE INDEX IF NOT EXISTS actions_updated ON actions (updated_at);
