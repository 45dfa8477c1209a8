-- 077 the sites a tenant lets frame its booking pages (tenant setting embed_origins).
--
-- Origins as browsers write them ("https://shop.example.com"), at most 10, checked and
-- normalized by the module (lib/tenant/kf_embed_origins.c). Empty: no site may frame them.
-- konfirmado: additive
ALTER TABLE tenants ADD COLUMN embed_origins text[] NOT NULL DEFAULT '{}'
    CHECK (cardinality(embed_origins) <= 10);
