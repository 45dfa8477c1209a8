-- 044 a tenant's own domain is served only once its merchant proved to control it.
--
-- custom_domain_token is what the domain's web server must answer at
-- /.well-known/konfirmado-domain.txt (lib/tenant/kf_domain_proof.h); custom_domain_verified_at
-- is when that was seen. Host look-ups serve a domain only with a proof. Whenever the domain
-- changes, in the same statement, the proof is forgotten and a new token made: a proof is of
-- one domain for one tenant, and a domain set free and claimed again is proved again. The
-- token is 244 random bits (two version-4 UUIDs, from PostgreSQL's strong random source)
-- as hex, so every writer of custom_domain gets the rule without knowing it.
-- Domains set before this migration have no proof yet: they answer 404 unknown_host until
-- their merchant proves them (docs/operating.md, Upgrades).

ALTER TABLE tenants
    ADD COLUMN custom_domain_token text,
    ADD COLUMN custom_domain_verified_at timestamptz;

CREATE FUNCTION kf_custom_domain_token() RETURNS text LANGUAGE sql VOLATILE AS $$
    SELECT 'kf-' || replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', '')
$$;

CREATE FUNCTION kf_custom_domain_claimed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.custom_domain_verified_at := NULL;
    NEW.custom_domain_token := CASE WHEN NEW.custom_domain IS NULL THEN NULL
                                    ELSE kf_custom_domain_token() END;
    RETURN NEW;
END
$$;

CREATE TRIGGER tenants_custom_domain_claimed BEFORE UPDATE OF custom_domain ON tenants
    FOR EACH ROW WHEN (NEW.custom_domain IS DISTINCT FROM OLD.custom_domain)
    EXECUTE FUNCTION kf_custom_domain_claimed();

CREATE TRIGGER tenants_custom_domain_claimed_at_insert BEFORE INSERT ON tenants
    FOR EACH ROW EXECUTE FUNCTION kf_custom_domain_claimed();

UPDATE tenants SET custom_domain_token = kf_custom_domain_token()
    WHERE custom_domain IS NOT NULL;
