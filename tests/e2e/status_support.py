"""The operator's status page as tests read it: Prometheus text, parsed by Prometheus' own
parser (python3-prometheus-client)."""
from prometheus_client.parser import text_string_to_metric_families

STATUS = "/konfirmado-status"


def scrape(api):
    """The page's metric families by name (a counter's without its _total)."""
    r = api.get(STATUS)
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"].startswith("text/plain; version=0.0.4")
    return {f.name: f for f in text_string_to_metric_families(r.text)}


def value(families, family, sample_name, **labels):
    for s in families[family].samples:
        if s.name == sample_name and all(s.labels.get(k) == v for k, v in labels.items()):
            return s.value
    raise AssertionError("no sample %s%s" % (sample_name, labels))


def cache_misses(api):
    """The availability cache's misses the status page of api's server has counted."""
    return value(scrape(api), "konfirmado_cache_misses", "konfirmado_cache_misses_total")


def mails_retrying(api, reason):
    """Mails waiting for another attempt because the last one failed for `reason`."""
    return value(scrape(api), "konfirmado_mail_retrying", "konfirmado_mail_retrying",
                 reason=reason)
