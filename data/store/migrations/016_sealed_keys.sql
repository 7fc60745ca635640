-- Keys at rest (docs/ARCHITECTURE.md §11). Once a passphrase is set,
-- device.private_key and device.age_identity are emptied and the keys live
-- only in sealed_keys, encrypted with a random store key; key_wrap is that
-- store key, age-encrypted to the passphrase (scrypt). age_recipient is the
-- public half of the age identity, so the identity line is read without
-- unlocking. A backup leaves key_wrap and sealed_keys empty.
ALTER TABLE device ADD COLUMN age_recipient TEXT NOT NULL DEFAULT '';
ALTER TABLE device ADD COLUMN key_wrap BLOB;
ALTER TABLE device ADD COLUMN sealed_keys BLOB;
