-- 010 a tenant's own domain (custom_domain): served exactly as its subdomain; stored lower
-- case without a trailing dot, as Host headers are looked up; one tenant per domain.

ALTER TABLE tenants
    ADD COLUMN custom_domain text UNIQUE
    CHECK (custom_domain = lower(custom_domain) AND char_length(custom_domain) BETWEEN 3 AND 253
           AND custom_domain !~ '\.$');
