-- 019 the booking page's link in every customer mail (API.md "After booking": the manage page
-- is linked from every customer mail). The manage token was kept only as a hash, so mails after
-- the confirmation (moved, reminders) could not carry the link without replacing it; it is now
-- also kept sealed (AES-256-GCM with the server's keyring, aad "reservation:<id>:manage"), so
-- each mail carries the same link as the first.
ALTER TABLE reservations ADD COLUMN manage_token_sealed text;
