-- 004 mail: a mail that cannot be delivered is given up after about 48 hours of retries
-- (failed_at, with the last error kept) instead of being tried forever; the delivery
-- job's index covers only mails still waiting.
ALTER TABLE mail_outbox ADD COLUMN failed_at timestamptz;

DROP INDEX mail_outbox_due;
CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at)
    WHERE sent_at IS NULL AND failed_at IS NULL;
