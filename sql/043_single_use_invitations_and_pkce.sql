-- 043 a calendar invitation connects once, and an OAuth round trip carries its PKCE verifier.
--
-- An invitation is spent by the connection made through it (used_at, set in the connection's
-- transaction): a second connection through the same link is refused, and the page still
-- shows what was connected. Its lifetime is now 72 hours (the application's constant; rows
-- already issued keep their expires_at).
--
-- The PKCE code_verifier (RFC 7636) of an OAuth round trip is kept with its single-use state,
-- sealed like the invitation's token beside it, and sent with the code to the provider's
-- token endpoint, so that a code intercepted on its way back is worth nothing alone.

ALTER TABLE calendar_invitations ADD COLUMN used_at timestamptz;

ALTER TABLE calendar_oauth_states ADD COLUMN verifier_sealed text;

-- the purge job deletes by expiry
CREATE INDEX calendar_oauth_states_expiry ON calendar_oauth_states (expires_at);
CREATE INDEX calendar_invitations_expiry ON calendar_invitations (expires_at);
CREATE INDEX user_tokens_expiry ON user_tokens (expires_at);
