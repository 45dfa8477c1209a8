-- 067 a waiting mail says why it waits; a domain is one tenant's only once proved.
--
-- Mail: a failed attempt keeps its fault (lib/messaging/kf_mail_fault.h) beside its error.
-- Only a recipient refused, or a mail that can never be built, fails a mail for good; a mail
-- service that refuses us (its key wrong or revoked, a sender it does not take), its own
-- trouble or its silence keep the mail waiting on the retry schedule. The status page counts
-- the waiting mails by that fault (konfirmado_mail_retrying), so the operator is alerted
-- while they wait and not after they are lost. The fault is cleared when the mail goes or is
-- queued again; a mail failed before this migration has none.
--
-- Custom domains: a claim nobody proved blocks nobody. Several tenants may claim one domain
-- while none proved it; the first to prove it takes it, and the module drops the other
-- claims in the same transaction (mod_konfirmado/tenant/mod_kf_tenant_domain.c). So only a
-- proved domain is unique; host look-ups serve only a proved one (sql/044), and the plain
-- index finds a domain's claims.
--
-- Not additive: a module older than this one takes the missing unique constraint for its
-- own refusal of a second claim; reload Apache right after.

ALTER TABLE mail_outbox ADD COLUMN last_fault text
    CONSTRAINT mail_outbox_last_fault
    CHECK (last_fault IN ('recipient', 'unsendable', 'sender', 'busy', 'unreachable'));

ALTER TABLE tenants DROP CONSTRAINT tenants_custom_domain_key;
CREATE UNIQUE INDEX tenants_custom_domain_proved ON tenants (custom_domain)
    WHERE custom_domain_verified_at IS NOT NULL;
CREATE INDEX tenants_custom_domain_claims ON tenants (custom_domain)
    WHERE custom_domain IS NOT NULL;
