-- 075 where customers' replies go (API.md "Replies, embedding, outages").
--
-- tenants.reply_to_email: the address a customer's reply to a mail about a booking or a
-- purchase reaches (its Reply-To); NULL: the business's default (lib/messaging: the
-- notification address, else the owner's verified one).
-- mail_outbox.reply_to_business: the mail is such a mail (to a customer); the address is read
-- when the mail is sent, so it is the one in effect then (lib/messaging/kf_mail_reply.c).
-- konfirmado: additive
ALTER TABLE tenants ADD COLUMN reply_to_email text;
ALTER TABLE mail_outbox ADD COLUMN reply_to_business boolean NOT NULL DEFAULT false;
