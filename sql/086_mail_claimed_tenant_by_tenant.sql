-- 086 the mail job takes the businesses' due mails in turn.
--
-- The job leased the oldest due mails whatever their business: one that queued 400 mails at
-- once (a class's reminders, a bulk import) held every other business's confirmations behind
-- them for a minute or more. The claim (mod_kf_mail.c, kf_mail_claim) now takes each
-- business's oldest due mail before a second one of any business; this index gives it the
-- businesses with waiting mail (a skip over the index, one step each) and each one's oldest.
-- Mail of no business (the operator's) counts as one more business.
-- konfirmado: additive
CREATE INDEX mail_outbox_due_by_tenant ON mail_outbox
    ((COALESCE(tenant_id, '00000000-0000-0000-0000-000000000000'::uuid)), next_attempt_at)
    WHERE sent_at IS NULL AND failed_at IS NULL;
