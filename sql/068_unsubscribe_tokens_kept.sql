-- 068 the unsubscribe links of reminder mails keep working across a key rotation.
-- A reminder's List-Unsubscribe token was the preferences row's id sealed with the keyring:
-- nothing stored it, so konfirmado-reseal could not re-seal it, and once a rotation dropped
-- the key that sealed it the links in mails already sent stopped working. Each row now keeps
-- a token of its own, made with the first reminder that needs it: its SHA-256, which is what
-- a link is checked against (no key: it works whatever the keys), and the token sealed (aad
-- "customer_preferences:<id>:unsubscribe", re-sealed by konfirmado-reseal) so that every
-- later reminder carries the same link. Links of mails sent before keep opening as before
-- while the key that sealed them is listed (docs/after-booking.md). An older module still
-- makes and opens the sealed ids.
-- konfirmado: additive
ALTER TABLE customer_preferences
    ADD COLUMN unsubscribe_token_hash text UNIQUE,
    ADD COLUMN unsubscribe_token_sealed text;
