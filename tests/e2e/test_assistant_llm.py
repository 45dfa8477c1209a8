"""The booking assistant's optional language-model reader (KonfirmadoAssistantLLM), against
the OpenAI-compatible fake (tests/fakes/openai.py) on a server of its own: asked only about
sentences the built-in parser did not fully understand, sent no customer data (emails, phones
and the customer's name masked) but a JSON schema of the intent, its answer filling in only
what the parser left unnamed and checked like any input; a nonsense, failing or slow endpoint
leaves the parser's answer. The stack's own server has no endpoint set and never calls it."""
import os
import time

import pytest

from conftest import render_conf, start_extra_httpd
from test_assistant import Shop, tomorrow


def llm_conf(stack, *lines):
    """The stack's configuration with the fake as the model (and `lines` added)."""
    # beside the stack's own keys, where the server's user reads them
    key = os.path.join(stack["KF_RUNDIR"], "assistant-llm-key")
    with open(key, "w", encoding="utf-8") as f:
        f.write("sk-test\n")
    os.chmod(key, 0o644)
    return render_conf(add=[
        "KonfirmadoAssistantLLM %s/openai/v1/chat/completions" % stack["KF_FAKES_URL"],
        "KonfirmadoAssistantLLMKeyFile %s" % key,
    ] + list(lines))


@pytest.fixture(scope="module")
def llm_server(stack):
    with start_extra_httpd(llm_conf(stack, "KonfirmadoAssistantLLMTimeout 1")) as extra:
        yield extra


@pytest.fixture
def shop(stack, llm_server):
    s = Shop(stack)
    s.api = llm_server.api()
    return s


def sent(fakes):
    return [r["json"] for r in fakes.requests("openai") if r["method"] == "POST"]


def test_what_the_parser_missed_is_filled_in_by_the_model(shop, fakes):
    fakes.config("openai", intent={"professional": "Ana Gómez", "part_of_day": "afternoon",
                                   "from": "2099-01-01", "service": "Masaje relajante"})
    r = shop.ask("mañana con la chica del pelo rizado, escríbeme a maria@correo.com o al +57 300 123 4567",
                 tz="America/Bogota")
    assert r.status_code == 200, r.text
    intent = r.json()["intent"]
    assert intent["professional"] == shop.ana          # the model's reading of the words
    assert intent["service"] == shop.massage
    assert intent["part_of_day"] == "afternoon"
    assert intent["from"] == intent["to"] == tomorrow()  # the parser's dates stay
    assert intent["not_understood"] == []
    for s in r.json()["slots"]:
        assert s["professional"] == shop.ana and 12 <= int(s["local"][11:13]) <= 18
    (body,) = sent(fakes)
    assert body["model"] == "gpt-4o-mini"
    assert body["response_format"]["type"] == "json_schema"
    assert set(body["response_format"]["json_schema"]["schema"]["required"]) == {
        "service", "professional", "from", "to", "part_of_day", "earliest", "latest"}
    text = " ".join(m["content"] for m in body["messages"])
    assert "pelo rizado" in text and "Ana Gómez" in text and "Masaje relajante" in text
    assert "maria@correo.com" not in text and "300 123 4567" not in text


@pytest.mark.parametrize("sentence, name", [
    ("Hola, soy Lucía Fernández Ortega: mañana con la chica del pelo rizado", "Fern"),
    ("me llamo lucia fernandez y quiero mañana con la chica del pelo rizado", "fernandez"),
    ("My name is Lucy O'Connell, tomorrow with the curly-haired girl", "Connell"),
], ids=["soy", "me-llamo", "my-name-is"])
def test_the_customers_name_never_reaches_the_model(shop, fakes, sentence, name):
    r = shop.ask(sentence, tz="America/Bogota")
    assert r.status_code == 200, r.text
    (body,) = sent(fakes)
    system, user = (m["content"] for m in body["messages"])
    assert name not in user and "Luc" not in user and "luc" not in user, user
    assert "***" in user and ("pelo rizado" in user or "curly" in user), user
    assert "Ana Gómez" in system                  # the merchant's catalog is sent


def test_a_sentence_the_parser_understands_is_not_sent(shop, fakes):
    assert shop.ask("mañana por la tarde con Ana").status_code == 200
    assert sent(fakes) == []


@pytest.mark.parametrize("config", [
    {"content": "no soy JSON"},
    {"intent": {"professional": "Zeus", "from": "2030-01-01", "earliest": "25:99"}},
    {"status": 500},
    {"key": "sk-other"},
], ids=["not-json", "unknown-names-and-far-dates", "outage", "wrong-key"])
def test_a_bad_answer_leaves_the_parsers_intent(shop, fakes, config):
    fakes.config("openai", **config)
    r = shop.ask("mañana con la chica del pelo rizado")
    assert r.status_code == 200, r.text
    intent = r.json()["intent"]
    assert intent["professional"] is None and intent["earliest"] is None
    assert intent["from"] == tomorrow()
    assert intent["not_understood"] == ["chica", "pelo rizado"]


def test_a_slow_model_is_not_waited_for(shop, fakes):
    fakes.config("openai", delay=3, intent={"professional": "Ana Gómez"})
    started = time.time()
    r = shop.ask("mañana con la chica del pelo rizado")
    assert r.status_code == 200 and r.json()["intent"]["professional"] is None
    assert time.time() - started < 2.5


def test_off_by_default(stack, fakes):
    plain = Shop(stack)
    r = plain.ask("mañana con la chica del pelo rizado")
    assert r.status_code == 200 and r.json()["intent"]["not_understood"]
    assert sent(fakes) == []
