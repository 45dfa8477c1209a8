"""The dashboard's customers on the real stack: the merchant finds who booked, how often, and
who turned reminders off (here one by the reminder's unsubscribe, one by a STOP text), at
phone width and on a desktop, and searches by name."""
import pytest
from selenium.webdriver.common.by import By

from conftest import DESKTOP, MOBILE, no_horizontal_scroll
from dashboard_support import e2e, e2e_helper, heading, log_in, nav, stack_env, wait


@pytest.fixture(scope="module")
def stack():
    return stack_env()


def test_the_merchant_sees_each_customers_reminders(browser, stack, shots):
    seed = e2e_helper("booking_seed")
    m = e2e.seed_merchant(stack, business="Clínica Sur")
    service = seed.service(m.tenant_id, price=0, charge="free", duration=45, horizon=60)
    pro = seed.professional(m.tenant_id, name="Lucía Prado", hours=seed.ALL_WEEK(("09:00", "17:00")),
                            services=[service])
    people = [("Ana Gómez", "ana@clinica.example", "+573001112233", 5),
              ("Luis Pérez", "luis@clinica.example", "+573004445566", 6),
              ("Sara Díaz", "sara@clinica.example", "+573007778899", 7)]
    for name, email, phone, day in people:
        e2e.psql("""INSERT INTO reservations (tenant_id, service_id, professional_id, starts_at, ends_at,
                      blocked, status, customer_name, customer_email, customer_phone)
                    SELECT :'p1', :'p2', :'p3', s, s + interval '45 minutes', tstzrange(s, s + interval '45 minutes'),
                      'paid', :'p4', :'p5', :'p6' FROM (SELECT now() + make_interval(days => :'p7'::int) AS s) x""",
                 m.tenant_id, service, pro, name, email, phone, day)
    e2e.psql("INSERT INTO customer_preferences (tenant_id, email, reminders_email) VALUES (:'p1', 'ana@clinica.example', false)",
             m.tenant_id)
    e2e.psql("INSERT INTO customer_text_opt_outs (tenant_id, phone_hash)"
             " VALUES (:'p1', kf_text_suppression(:'p1', '+573004445566'))", m.tenant_id)

    for size, name in ((MOBILE, "customers-360"), (DESKTOP, "customers-desktop")):
        d = browser("es", size)
        log_in(d, stack["KF_URL"], m.email, m.password)
        heading(d, "Hola")
        nav(d, "Clientes")
        heading(d, "Clientes")
        rows = wait(d, lambda d: [r.text for r in d.find_elements(By.CSS_SELECTOR, "main table tbody tr")
                                  if "@clinica.example" in r.text] or None, 10, "no customers")
        text = "\n".join(rows)
        assert len(rows) == 3
        ana = next(r for r in rows if "ana@" in r)
        luis = next(r for r in rows if "luis@" in r)
        sara = next(r for r in rows if "sara@" in r)
        assert "Correo apagado" in ana and "SMS/WhatsApp apagado" not in ana
        assert "SMS/WhatsApp apagado" in luis and "Correo apagado" not in luis
        assert "Todos activos" in sara
        assert "Ana Gómez" in text and "+573001112233" in text
        assert no_horizontal_scroll(d)
        shots(d, name)

    field = d.find_element(By.ID, "customers-q")
    field.send_keys("luis")
    d.find_element(By.CSS_SELECTOR, "form[role=search] button[type=submit]").click()
    wait(d, lambda d: len([r for r in d.find_elements(By.CSS_SELECTOR, "main table tbody tr")
                           if "@clinica.example" in r.text]) == 1, 10, "the search did not narrow the list")
    assert "q=luis" in d.current_url
