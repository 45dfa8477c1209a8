"""The benchmark's in-memory baseline (KonfirmadoBenchBaseline, docs/configuration.md): the
exact number of bytes asked for while the directive is On, a JSON 404 while it is Off, and a
JSON error for every bad request."""
from conftest import render_conf, start_extra_httpd

LOCATION = ["<Location /bench-baseline>", "SetHandler konfirmado-bench-baseline", "</Location>"]


def test_off_by_default_the_baseline_answers_nothing(api):
    with start_extra_httpd(render_conf(add=LOCATION)) as server:
        r = server.api().get("/bench-baseline?bytes=100")
        assert r.status_code == 404
        assert r.json()["error"] == "not_found"


def test_on_it_answers_the_bytes_asked_for_and_refuses_bad_requests(api):
    with start_extra_httpd(render_conf(add=["KonfirmadoBenchBaseline On"] + LOCATION)) as server:
        public = server.api()
        for n in (1, 48700, 1048576):
            r = public.get("/bench-baseline?bytes=%d" % n)
            assert r.status_code == 200
            assert len(r.content) == n and r.headers["Content-Length"] == str(n)
            assert r.headers["Content-Type"].startswith("application/json")
        for query in ("", "?bytes=0", "?bytes=-5", "?bytes=12x", "?bytes=1048577", "?size=10"):
            r = public.get("/bench-baseline" + query)
            assert r.status_code == 400, query
            assert r.json()["error"] == "invalid_parameter"
        # a POST is acknowledged at once, its body dropped: the callback benchmark's merchant
        r = public.post("/bench-baseline/tenant-1", data=b'{"event":"booking.paid"}' * 100,
                        headers={"Content-Type": "application/json"})
        assert r.status_code == 204 and r.content == b""
        r = public.put("/bench-baseline?bytes=10")
        assert r.status_code == 405 and r.json()["error"] == "method_not_allowed"
