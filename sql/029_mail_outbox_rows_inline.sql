-- 029 a queued mail's bodies stay in its row, uncompressed.
--
-- A booking's mail (text, HTML and its invite: about 3.5 KB) passed PostgreSQL's default
-- TOAST threshold of 2 KB, so every enqueue compressed its bodies and moved part of them
-- to the TOAST table (a second heap insert and its index's): 36-58 microseconds per row
-- against 17-20 inline, measured on 5,000 copies of a real confirmation. An approval
-- queues one to three of them in its transaction. The bodies live only until the mail
-- is sent (kf_mail_sent empties them), so the larger heap rows of the queue are brief;
-- a mail above 8 KB is still compressed and moved out as before.

ALTER TABLE mail_outbox SET (toast_tuple_target = 8160);
