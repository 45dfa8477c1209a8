"""Steps of the booking wizard as a customer does them, for any backend."""
from selenium.webdriver.common.by import By

from conftest import click, continue_button, heading, wait, wait_css, wait_text


class Journey:
    def __init__(self, driver, shots=None, name=None):
        self.d, self.shots, self.name = driver, shots, name

    def shot(self, step):
        if self.shots and self.name:
            self.shots(self.d, "%s-%s" % (self.name, step))

    def open(self, url):
        self.d.get(url)
        wait_css(self.d, "main h1")
        return self

    def choose_service(self, text):
        click(self.d, wait_text(self.d, "label.card", text))
        wait_css(self.d, "#h-pro")

    def choose_professional(self, text):
        click(self.d, wait_text(self.d, ".pros label.card", text))

    def to_time(self):
        wait(self.d, lambda d: continue_button(d).is_enabled())
        click(self.d, continue_button(self.d))
        wait_css(self.d, ".days")
        return self.wait_times()

    def wait_times(self):
        wait_css(self.d, ".times .time")
        return self.d.find_elements(By.CSS_SELECTOR, ".times .time")

    def times_of_a_day_with(self, n):
        """The times of the first offered day that has at least n of them (late in the day,
        today may have fewer)."""
        times = self.wait_times()
        while len(times) < n:
            selected = wait_css(self.d, ".days .day-selected").get_attribute("data-day")
            later = [b for b in self.d.find_elements(By.CSS_SELECTOR, ".days .day:not([disabled])")
                     if b.get_attribute("data-day") > selected]
            assert later, "no offered day has %d times" % n
            day = later[0].get_attribute("data-day")
            click(self.d, later[0])
            wait(self.d, lambda d: d.find_element(By.CSS_SELECTOR, ".days .day-selected")
                 .get_attribute("data-day") == day)
            times = self.wait_times()
        return times

    def pick(self, button):
        start = button.get_attribute("data-start")
        click(self.d, button)
        return start

    def wait_held(self):
        wait_css(self.d, ".time-selected")
        wait(self.d, lambda d: continue_button(d).is_enabled())
        return wait_css(self.d, ".hold-time").text

    def to_details(self):
        click(self.d, continue_button(self.d))
        wait_css(self.d, "#details-form")

    def fill(self, name=None, email=None, phone=None, terms=None):
        for fid, value in (("f-name", name), ("f-email", email), ("f-phone", phone)):
            if value is not None:
                el = self.d.find_element(By.ID, fid)
                el.clear()
                el.send_keys(value)
        if terms is not None:
            box = self.d.find_element(By.ID, "f-terms")
            if box.is_selected() != terms:
                click(self.d, box)

    def submit(self):
        click(self.d, continue_button(self.d))

    def field_error(self, fid):
        el = self.d.find_element(By.ID, fid + "-error")
        return el.text if el.is_displayed() else ""

    def heading(self):
        return heading(self.d)
