"""The wizard's time zone picker against the contract fake: zones named as people say them,
with their accents and the offset of the day ("Bogotá (GMT-5)", "Ciudad de México (GMT-6)",
"Nueva York (GMT-5)" / "New York (GMT-5)"); the customer's own zone and the common ones
first; any other found by its city or country, accents or not, with the keyboard alone; the
times shown again in the zone taken. Screenshots: var/screenshots/zones-*."""
import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from conftest import DESKTOP, MOBILE, in_view, no_horizontal_scroll, wait, wait_css, wait_text
from journey import Journey


def gmt(zone):
    """The offset Intl shows now for the zone: "GMT-5", "GMT+9", "GMT+5:30"."""
    minutes = int(dt.datetime.now(ZoneInfo(zone)).utcoffset().total_seconds() // 60)
    if not minutes:
        return "GMT"
    sign, minutes = ("-" if minutes < 0 else "+"), abs(minutes)
    return "GMT%s%d%s" % (sign, minutes // 60, ":%02d" % (minutes % 60) if minutes % 60 else "")


def options(d):
    return [o.find_element(By.CSS_SELECTOR, ".zone-option-name").text
            for o in d.find_elements(By.CSS_SELECTOR, "[role=listbox] [role=option]")]


def open_picker(d):
    toggle = wait_css(d, ".zone-toggle")
    toggle.click()
    box = wait_css(d, "[role=combobox]")
    assert toggle.get_attribute("aria-expanded") == "true"
    assert d.switch_to.active_element == box                # typing may start at once
    return toggle, box


def type_in(d, box, text):
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys(Keys.BACKSPACE)
    box.send_keys(text)


@pytest.mark.parametrize("size", [MOBILE, DESKTOP], ids=["360", "desktop"])
def test_zones_read_as_people_say_them_and_are_found_by_city(browser, contract, shots, size):
    d = browser("es", size)
    j = Journey(d, shots, "zones-es-%s" % ("360" if size == MOBILE else "desktop")).open(contract.link_url)
    j.choose_service("Consulta de valoración")
    j.to_time()
    bogota = "Bogotá (%s)" % gmt("America/Bogota")
    assert wait_css(d, ".zone-name").text == "Horas en " + bogota
    toggle, box = open_picker(d)
    # labelled, described, and a list it controls
    label = d.find_element(By.CSS_SELECTOR, "label[for='%s']" % box.get_attribute("id"))
    assert label.text == "Zona horaria"
    assert d.find_element(By.ID, box.get_attribute("aria-describedby")).text == "Escribe tu ciudad o tu país."
    listbox = d.find_element(By.ID, box.get_attribute("aria-controls"))
    assert listbox.get_attribute("role") == "listbox"
    # the customer's own zone first, then the common ones
    shown = options(d)
    assert shown[0] == bogota
    assert listbox.find_element(By.CSS_SELECTOR, "[role=option] .zone-option-where").text == "Colombia · tu zona"
    assert "Ciudad de México (%s)" % gmt("America/Mexico_City") in shown
    assert "Nueva York (%s)" % gmt("America/New_York") in shown
    assert "Madrid (%s)" % gmt("Europe/Madrid") in shown
    assert no_horizontal_scroll(d)
    j.shot("1-open")

    # accents or not, a city finds its zone
    type_in(d, box, "bogota")
    wait(d, lambda d: options(d)[:1] == [bogota])
    type_in(d, box, "mexico")
    wait(d, lambda d: options(d)[:1] == ["Ciudad de México (%s)" % gmt("America/Mexico_City")])
    # and the rest of the world by its city
    type_in(d, box, "tokyo")
    wait(d, lambda d: options(d)[:1] == ["Tokyo (%s)" % gmt("Asia/Tokyo")])
    wait_text(d, "[role=status]", "zona")                     # how many were found, said politely
    type_in(d, box, "zzzz")
    wait_text(d, ".zone-none", "Ninguna zona coincide con «zzzz»")
    j.shot("2-nothing")

    # a city that keeps another's time, chosen with the keyboard alone
    type_in(d, box, "miami")
    wait(d, lambda d: options(d)[:1] == ["Nueva York (%s)" % gmt("America/New_York")])
    box.send_keys(Keys.ARROW_DOWN)
    active = d.find_element(By.ID, box.get_attribute("aria-activedescendant"))
    assert active.text.startswith("Nueva York")
    assert in_view(d, active)
    j.shot("3-search")
    box.send_keys(Keys.ENTER)
    ny = "Nueva York (%s)" % gmt("America/New_York")
    wait(d, lambda d: d.find_element(By.CSS_SELECTOR, ".zone-name").text == "Horas en " + ny)
    assert not d.find_elements(By.CSS_SELECTOR, "[role=combobox]")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert d.switch_to.active_element == toggle               # back where the customer was
    j.wait_times()
    assert no_horizontal_scroll(d)
    j.shot("4-chosen")

    # Escape leaves the zone as it was
    toggle, box = open_picker(d)
    assert options(d)[0] == bogota                            # still the customer's own first
    type_in(d, box, "lima")
    box.send_keys(Keys.ESCAPE)
    wait(d, lambda d: not d.find_elements(By.CSS_SELECTOR, "[role=combobox]"))
    assert d.find_element(By.CSS_SELECTOR, ".zone-name").text == "Horas en " + ny
    assert d.switch_to.active_element == toggle


def test_english_names_the_same_zones_in_english(browser, contract, shots):
    d = browser("en", MOBILE)
    j = Journey(d, shots, "zones-en-360").open(contract.link_url)
    j.choose_service("Consulta de valoración")
    j.to_time()
    toggle, box = open_picker(d)
    assert d.find_element(By.CSS_SELECTOR, "label[for='%s']" % box.get_attribute("id")).text == "Time zone"
    shown = options(d)
    assert shown[0] == "Bogotá (%s)" % gmt("America/Bogota")
    assert "Mexico City (%s)" % gmt("America/Mexico_City") in shown
    type_in(d, box, "new york")
    wait(d, lambda d: options(d)[:1] == ["New York (%s)" % gmt("America/New_York")])
    j.shot("1-search")
    box.send_keys(Keys.ENTER)
    wait(d, lambda d: d.find_element(By.CSS_SELECTOR, ".zone-name").text
         == "Times in New York (%s)" % gmt("America/New_York"))
    j.wait_times()
    assert no_horizontal_scroll(d)
