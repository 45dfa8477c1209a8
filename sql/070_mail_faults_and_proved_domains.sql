-- 070 a waiting mail says why it waits.
--
-- Mail: a failed attempt keeps its fault (lib/messaging/kf_mail_fault.h) beside its error.
-- Only a recipient refused, or a mail that can never be built, fails a mail for good; a mail
-- service that refuses us (its key wrong or revoked, a sender it does not take), its own
-- trouble or its silence keep the mail waiting on the retry schedule. The status page counts
-- the waiting mails by that fault (konfirmado_mail_retrying), so the operator is alerted
-- while they wait and not after they are lost. The fault is cleared when the mail goes or is
-- queued again; a mail failed before this migration has none.
-- konfirmado: additive

ALTER TABLE mail_outbox ADD COLUMN last_fault text
    CONSTRAINT mail_outbox_last_fault
    CHECK (last_fault IN ('recipient', 'unsendable', 'sender', 'busy', 'unreachable'));
