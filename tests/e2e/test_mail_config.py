"""Mail configuration: a From that is not a mailbox is refused by `apachectl -t` with a
one-line reason; without KonfirmadoMailURL httpd starts, says once that mail is not
sent, and keeps queued mail for later."""
import time

from conftest import configtest, own_database, psql, render_conf, start_extra_httpd


def test_a_from_that_is_not_a_mailbox_is_refused_at_configtest():
    for bad in ['"Konfirmado <not an address>"', "no-reply", '"Konfirmado <a@b.example"']:
        code, out = configtest(render_conf({"KonfirmadoMailFrom": "KonfirmadoMailFrom " + bad}))
        assert code != 0, out
        lines = [l for l in out.splitlines() if "KonfirmadoMailFrom" in l]
        assert len(lines) == 1 and "is not a mailbox" in lines[0], out


def test_a_virtual_host_inherits_the_main_servers_from_unless_it_sets_its_own():
    """The stack's virtual host serves the engine; a From set outside it (the main server's)
    is the host's when the host sets none, and the host's own wins over it."""
    main_bad = ["KonfirmadoMailFrom no-reply"]
    code, out = configtest(render_conf(remove=["KonfirmadoMailFrom"], add=main_bad))
    assert code != 0 and "is not a mailbox" in out, out
    code, out = configtest(render_conf(add=main_bad))
    assert code == 0, out


def test_a_display_name_with_accents_and_commas_is_accepted():
    code, out = configtest(render_conf(
        {"KonfirmadoMailFrom": 'KonfirmadoMailFrom "\\"Clínica Sol, Bogotá\\" <no-reply@example.com>"'}))
    assert code == 0, out


def test_retry_base_must_be_positive_seconds():
    code, out = configtest(render_conf({"KonfirmadoMailRetryBase": "KonfirmadoMailRetryBase 0"}))
    assert code != 0 and "KonfirmadoMailRetryBase" in out, out


def test_without_a_mail_server_mail_is_queued_and_kept(stack, maildir):
    """An httpd on a database of its own, without KonfirmadoMailURL."""
    with own_database("kf_mailless") as (db, db_url):
        conf = render_conf(remove=["KonfirmadoMailURL"]).replace("dbname=konfirmado ",
                                                                "dbname=%s " % db)
        with start_extra_httpd(conf) as extra:
            mail_id = psql("""INSERT INTO mail_outbox (recipient, subject, body_text, body_html)
                              VALUES ('ana@example.com', 's', 't', 'h') RETURNING id""",
                           db_url=db_url)
            time.sleep(3)
            state = psql("SELECT attempts, sent_at IS NULL FROM mail_outbox WHERE id = :'p1'",
                         mail_id, db_url=db_url)
            assert state == "0|t"                      # kept, untouched, for when mail is set up
            notes = [l for l in extra.error_lines() if "KonfirmadoMailURL is not set" in l]
            assert len(notes) == 1, extra.error_lines()
            assert "[konfirmado:notice]" in notes[0]
        assert maildir.new(subject="s") == []
