-- A row's amounts per currency (revenue or refunds) once `p_changes` are added: a currency
-- changed is kept, with its new sum, while a part still gives it; the others stay as they are.
CREATE OR REPLACE FUNCTION kf_metrics_amounts_after(p_amounts jsonb, p_changes kf_metrics_amount_change[])
RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
SELECT coalesce(jsonb_object_agg(q.currency, q.amount), '{}')
  FROM (SELECT e.key AS currency, e.value AS amount FROM jsonb_each(coalesce(p_amounts, '{}')) e
         WHERE e.key NOT IN (SELECT c.currency FROM unnest(p_changes) c)
        UNION ALL
        SELECT c.currency, to_jsonb(coalesce((p_amounts ->> c.currency)::numeric, 0) + c.delta)
          FROM unnest(p_changes) c WHERE c.stays) q
$$;
