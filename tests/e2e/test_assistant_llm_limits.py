"""The booking assistant's language model is called a bounded number of times, by the whole
server: at most KonfirmadoAssistantLLMPerMinute calls a minute and
KonfirmadoAssistantLLMConcurrency at once. A sentence past either limit is not sent and does
not wait: it gets the built-in parser's answer at once, a 200 with slots, as when the model is
down. Each limit on a server of its own, the OpenAI-compatible fake as the model."""
import threading

import pytest

from conftest import configtest, render_conf, start_extra_httpd
from test_assistant import Shop, tomorrow
from test_assistant_llm import llm_conf, sent

# the parser does not understand "la chica del pelo rizado": the model is asked about it
UNCLEAR = "mañana con la chica del pelo rizado"


@pytest.fixture(scope="module")
def two_a_minute(stack):
    with start_extra_httpd(llm_conf(stack, "KonfirmadoAssistantLLMPerMinute 2")) as extra:
        yield extra


@pytest.fixture(scope="module")
def one_at_once(stack):
    with start_extra_httpd(llm_conf(stack, "KonfirmadoAssistantLLMConcurrency 1",
                                    "KonfirmadoAssistantLLMTimeout 10")) as extra:
        yield extra


def shop_on(stack, server):
    s = Shop(stack)
    s.api = server.api()
    return s


def assert_the_parsers_answer(r):
    """What the built-in parser answers alone: tomorrow, anyone, the words it missed."""
    assert r.status_code == 200, r.text
    a = r.json()
    assert a["intent"]["professional"] is None
    assert a["intent"]["from"] == tomorrow()
    assert a["intent"]["not_understood"] == ["chica", "pelo rizado"]
    assert a["slots"], "the parser's answer offers the free times as ever"


def test_past_the_minutes_calls_the_parser_answers_alone(stack, fakes, two_a_minute):
    fakes.config("openai", intent={"professional": "Ana Gómez"})
    shop = shop_on(stack, two_a_minute)
    for _ in range(2):
        r = shop.ask(UNCLEAR, tz="America/Bogota")
        assert r.status_code == 200, r.text
        assert r.json()["intent"]["professional"] == shop.ana     # the model's reading
    for _ in range(3):
        assert_the_parsers_answer(shop.ask(UNCLEAR, tz="America/Bogota"))
    assert len(sent(fakes)) == 2, "the model was called past the minute's budget"


def test_past_the_calls_at_once_nobody_waits(stack, fakes, one_at_once):
    fakes.config("openai", delay=3, intent={"professional": "Ana Gómez"})
    shop = shop_on(stack, one_at_once)
    first = {}
    slow = threading.Thread(target=lambda: first.update(
        r=shop.ask(UNCLEAR, api=one_at_once.api(), tz="America/Bogota")))
    slow.start()
    try:
        fakes.wait_requests("openai", 1)          # the first call is at the model
        # a second sentence meanwhile: answered by the parser, while the first still waits
        assert_the_parsers_answer(shop.ask(UNCLEAR, tz="America/Bogota"))
        assert slow.is_alive(), "the second sentence waited for the first call to end"
        assert len(sent(fakes)) == 1
    finally:
        slow.join(15)
    assert first["r"].status_code == 200 and first["r"].json()["intent"]["professional"] == shop.ana
    # the call over, its place is the next sentence's
    fakes.config("openai", delay=0)
    r = shop.ask(UNCLEAR, tz="America/Bogota")
    assert r.status_code == 200 and r.json()["intent"]["professional"] == shop.ana
    assert len(sent(fakes)) == 2


@pytest.mark.parametrize("conf, needle", [
    (lambda: render_conf({"KonfirmadoEngine": ["KonfirmadoEngine On",
                                               "KonfirmadoAssistantLLMPerMinute 5"]}),
     "set them in the main server config"),
    (lambda: render_conf(add=["KonfirmadoAssistantLLMConcurrency 300"]),
     "KonfirmadoAssistantLLMConcurrency must be at most 256"),
    (lambda: render_conf(add=["KonfirmadoAssistantLLMPerMinute 0"]),
     "KonfirmadoAssistantLLMPerMinute must be a positive count"),
], ids=["in-a-virtual-host", "too-many-at-once", "no-call-a-minute"])
def test_limits_the_server_cannot_keep_fail_configtest(conf, needle):
    code, out = configtest(conf())
    assert code != 0 and needle in out, out
