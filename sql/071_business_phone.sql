-- 071 the business's phone, as its customers call it.
--
-- A booking's page and the customer's portal give the business's contact when the policy no
-- longer lets the customer cancel or change the time online: its address (the notification
-- address, else its first user's) and, when the merchant sets one, this phone (E.164, like a
-- customer's). NULL: the business gives no phone; the pages offer its address alone.
-- konfirmado: additive
ALTER TABLE tenants ADD COLUMN contact_phone kf_phone;
