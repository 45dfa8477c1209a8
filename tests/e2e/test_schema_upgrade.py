"""Upgrades migrate first and reload Apache after (docs/operating.md "Upgrades"): meanwhile
the running module serves from a schema newer than its own as long as every migration past
it is additive (konfirmado-migrate records the "-- konfirmado: additive" line), and refuses
with 503 schema_outdated once one is not. SQL functions live in one file each
(sql/functions/NAME.sql), run after the migrations whenever their text changed."""
import os
import re
import subprocess

from conftest import SRCDIR, own_database, psql, render_conf, start_extra_httpd


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


def run_migrate(stack, sql_dir, url, *flags):
    migrate = os.path.join(stack["KF_SRCDIR"], "tools", "konfirmado-migrate")
    return subprocess.run([migrate, "--dir", sql_dir, *flags, url], check=True,
                          stdout=subprocess.PIPE, text=True).stdout


def test_a_function_file_runs_after_the_migrations_and_again_only_when_changed(stack, tmp_path):
    with own_database("kf_functions", migrate=False) as (name, url):
        sql_dir = str(tmp_path)
        os.mkdir(os.path.join(sql_dir, "functions"))
        with open(os.path.join(sql_dir, "001_numbers.sql"), "w") as f:
            f.write("CREATE TABLE numbers (n int); INSERT INTO numbers VALUES (1), (2);\n")
        function = os.path.join(sql_dir, "functions", "kf_total.sql")
        with open(function, "w") as f:      # reads a table of the migrations: runs after them
            f.write("CREATE OR REPLACE FUNCTION kf_total() RETURNS bigint LANGUAGE sql"
                    " AS $$ SELECT sum(n) FROM numbers $$;\n")
        assert "applied functions/kf_total.sql" in run_migrate(stack, sql_dir, url)
        assert psql("SELECT kf_total()", db_url=url) == "3"
        assert "0 function(s) updated" in run_migrate(stack, sql_dir, url)
        with open(function, "w") as f:
            f.write("CREATE OR REPLACE FUNCTION kf_total() RETURNS bigint LANGUAGE sql"
                    " AS $$ SELECT sum(n) * 10 FROM numbers $$;\n")
        assert "pending: functions/kf_total.sql" in run_migrate(stack, sql_dir, url, "--status")
        assert psql("SELECT kf_total()", db_url=url) == "3", "--status changed nothing"
        assert "1 function(s) updated" in run_migrate(stack, sql_dir, url)
        assert psql("SELECT kf_total()", db_url=url) == "30"


# The first migration written after function files existed: from it on, a migration never
# restates a function (a change goes to sql/functions/NAME.sql).
FUNCTION_FILES_SINCE = 69
DEFINES = re.compile(r"CREATE\s+(?:OR\s+REPLACE\s+)?FUNCTION\s+([a-z_][a-z0-9_]*)", re.I)


def test_a_function_is_defined_in_one_place_from_now_on():
    sql = os.path.join(SRCDIR, "sql")
    seen, restated = {}, []
    for base in sorted(f for f in os.listdir(sql) if re.match(r"\d{3}_.*\.sql$", f)):
        with open(os.path.join(sql, base), encoding="utf-8") as f:
            for name in DEFINES.findall(f.read()):
                name = name.lower()
                if int(base[:3]) >= FUNCTION_FILES_SINCE and (name in seen or name in files(sql)):
                    restated.append("%s restates %s (edit sql/functions/%s.sql)" % (base, name, name))
                seen.setdefault(name, base)
    assert restated == []
    for name, text in files(sql).items():
        assert [n.lower() for n in DEFINES.findall(text)] == [name], \
            "sql/functions/%s.sql must define exactly the function %s" % (name, name)


def files(sql):
    folder = os.path.join(sql, "functions")
    if not os.path.isdir(folder):
        return {}
    out = {}
    for base in sorted(os.listdir(folder)):
        if base.endswith(".sql"):
            with open(os.path.join(folder, base), encoding="utf-8") as f:
                out[base[:-4]] = f.read()
    return out
