"""Upgrades migrate first and reload Apache after (docs/operating.md "Upgrades"): meanwhile
the running module serves from a schema newer than its own as long as every migration past
it is additive (konfirmado-migrate records the "-- konfirmado: additive" line), and refuses
with 503 schema_outdated once one is not."""
import os
import subprocess

from conftest import own_database, psql, render_conf, start_extra_httpd


def future(url, version, additive):
    """What a newer release's migration leaves: its row and, here, a table of its own."""
    psql("CREATE TABLE future_%d (id int)" % version, db_url=url)
    psql("INSERT INTO kf_schema_migrations (version, name, checksum, additive)"
         " VALUES (%d, 'future', 'x', %s)" % (version, "true" if additive else "false"),
         db_url=url)


def expected_version(api):
    return api.get("/api/health").json()["schema"]["expected"]


def test_migrate_records_whether_a_migration_only_adds(stack, tmp_path):
    with own_database("kf_additive", migrate=False) as (name, url):
        sql_dir = str(tmp_path)
        with open(os.path.join(sql_dir, "001_adds.sql"), "w") as f:
            f.write("-- konfirmado: additive\nCREATE TABLE adds (id int);\n")
        with open(os.path.join(sql_dir, "002_changes.sql"), "w") as f:
            f.write("-- renames what older modules read\nALTER TABLE adds RENAME TO changed;\n")
        migrate = os.path.join(stack["KF_SRCDIR"], "tools", "konfirmado-migrate")
        subprocess.run([migrate, "--dir", sql_dir, url], check=True, stdout=subprocess.PIPE)
        rows = psql("SELECT version, additive FROM kf_schema_migrations ORDER BY version",
                    db_url=url)
        assert rows.splitlines() == ["1|t", "2|f"]


def test_a_newer_additive_schema_is_served_and_a_breaking_one_refused(api, allow_log):
    allow_log(r"is not additive")
    expected = expected_version(api)
    with own_database("kf_ahead") as (name, url):
        conf = render_conf().replace("dbname=konfirmado ", "dbname=%s " % name)
        future(url, expected + 1, additive=True)
        with start_extra_httpd(conf) as extra:
            client = extra.api()
            assert client.get("/api/diagnostics/db").status_code == 200
            health = client.get("/api/health")
            assert health.status_code == 200 and health.json()["schema"]["status"] == "ok"
        future(url, expected + 2, additive=False)
        with start_extra_httpd(conf) as extra:
            client = extra.api()
            r = client.get("/api/diagnostics/db")
            assert r.status_code == 503
            assert r.json()["error"]["code"] == "schema_outdated"
            health = client.get("/api/health")
            assert health.status_code == 503
            failed = health.json()["failed"]
            assert failed["dependency"] == "schema"
            assert "not additive" in failed["reason"]
            assert any("migration %d is not additive" % (expected + 2) in line
                       for line in extra.error_lines())
