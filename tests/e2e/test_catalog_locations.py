"""Where an appointment takes place: a service's location through the admin API."""
import pytest

from catalog_support import (PROFESSIONALS, SERVICES, assert_field_error, create_professional,
                             create_service, service_body, snapshot)


def test_location_round_trips_and_clears(merchant):
    api = merchant.api
    created = create_service(merchant, location={"type": "in_person",
                                                 "address": "Calle 93 #11-27, consultorio 402"})
    sid = created["id"]
    assert created["location"] == {"type": "in_person", "address": "Calle 93 #11-27, consultorio 402"}
    assert api.get(SERVICES + "/" + sid).json()["location"] == created["location"]

    video = {"type": "video", "url": "https://meet.example.com/abc-defg-hij"}
    r = api.patch(SERVICES + "/" + sid, json={"location": video})
    assert r.status_code == 200, r.text
    assert r.json()["location"] == video
    # a PATCH without location keeps it
    r = api.patch(SERVICES + "/" + sid, json={"name": "Consulta en línea"})
    assert r.json()["location"] == video
    r = api.patch(SERVICES + "/" + sid, json={"location": None})
    assert r.status_code == 200 and r.json()["location"] is None
    assert api.get(SERVICES + "/" + sid).json()["location"] is None


def test_a_service_without_location_says_null(merchant):
    assert create_service(merchant)["location"] is None


BAD = [
    ({"type": "video", "url": "http://meet.example.com/x"}, "location.url"),
    ({"type": "video", "url": "javascript:alert(1)"}, "location.url"),
    ({"type": "video"}, "location.url"),
    ({"type": "in_person", "address": "x" * 501}, "location.address"),
    ({"type": "phone", "instructions": ""}, "location.instructions"),
    ({"type": "zoom", "url": "https://meet.example.com/x"}, "location.type"),
    ("Calle 1", "location"),
]


@pytest.mark.parametrize("location,field", BAD, ids=[f for _, f in BAD])
def test_bad_location_is_refused_and_nothing_changes(merchant, location, field):
    api = merchant.api
    sid = create_service(merchant, location={"type": "phone", "instructions": "Te llamamos"})["id"]
    before = snapshot(merchant.tenant_id)
    r = api.patch(SERVICES + "/" + sid, json={"location": location})
    assert r.status_code == 400
    assert r.json()["error"]["code"] == "validation_failed"
    assert_field_error(r, field)
    assert snapshot(merchant.tenant_id) == before
    assert api.get(SERVICES + "/" + sid).json()["location"] == {"type": "phone",
                                                                "instructions": "Te llamamos"}
    r = api.post(SERVICES, json=service_body(location=location))
    assert r.status_code == 400
    assert_field_error(r, field)


def test_professional_video_url(merchant):
    api = merchant.api
    pid = create_professional(merchant, video_url="https://meet.example.com/nunez")["id"]
    got = api.get(PROFESSIONALS + "/" + pid).json()
    assert got["video_url"] == "https://meet.example.com/nunez"
    r = api.patch(PROFESSIONALS + "/" + pid, json={"name": "Dra. Núñez"})
    assert r.json()["video_url"] == "https://meet.example.com/nunez"
    before = snapshot(merchant.tenant_id)
    r = api.patch(PROFESSIONALS + "/" + pid, json={"video_url": "http://meet.example.com/x"})
    assert_field_error(r, "video_url")
    assert snapshot(merchant.tenant_id) == before
    assert api.get(PROFESSIONALS + "/" + pid).json()["video_url"] == "https://meet.example.com/nunez"
    r = api.patch(PROFESSIONALS + "/" + pid, json={"video_url": None})
    assert r.status_code == 200 and r.json()["video_url"] is None


def test_mail_and_invite_show_the_place(api, stack, maildir):
    from test_booking_mails import mails_to, parts, text_of
    from test_booking_reschedule_admin import Shop
    shop = Shop(api, stack)
    r = shop.admin.patch(SERVICES + "/" + shop.sc.service_id,
                         json={"location": {"type": "video", "url": "https://meet.example.com/sala"}})
    assert r.status_code == 200, r.text
    r = shop.admin.patch(PROFESSIONALS + "/" + shop.sc.professional_id,
                         json={"video_url": "https://meet.example.com/ana-restrepo"})
    assert r.status_code == 200, r.text
    booking, email = shop.book()
    # the manage page shows the place, with the professional's link
    r = api.get("/api/public/bookings/" + booking["id"], params={"token": booking["token"]})
    assert r.status_code == 200, r.text
    assert r.json()["booking"]["location"] == {"type": "video",
                                               "url": "https://meet.example.com/ana-restrepo"}
    msg = mails_to(maildir, email)[0]
    assert "Videollamada: https://meet.example.com/ana-restrepo\n" in text_of(msg)
    ics = parts(msg)["text/calendar"][0].get_payload(decode=True).decode()
    unfolded = ics.replace("\r\n ", "")
    assert "\r\nLOCATION:https://meet.example.com/ana-restrepo\r\n" in unfolded
    assert "\\nVideollamada: https://meet.example.com/ana-restrepo\r\n" in unfolded


def test_the_booking_link_shows_the_place_but_keeps_a_video_link_for_the_booked(api, stack, fakes, maildir):
    from test_booking_reschedule_admin import Shop
    from test_messaging import account, texts
    from test_booking_reminders import make_due
    from payments_helpers import wait_for
    shop = Shop(api, stack)
    link = "/api/public/links/" + shop.sc.slug

    def place():
        services = api.get(link).json()["services"]
        return next(s for s in services if s["id"] == shop.sc.service_id)["location"]
    assert place() is None
    address = {"type": "in_person", "address": "Calle 85 #11-20, consultorio 302"}
    shop.admin.patch(SERVICES + "/" + shop.sc.service_id, json={"location": address})
    assert place() == address
    shop.admin.patch(SERVICES + "/" + shop.sc.service_id,
                     json={"location": {"type": "phone", "instructions": "Te llamamos al número que dejes"}})
    assert place() == {"type": "phone", "instructions": "Te llamamos al número que dejes"}
    # a video call's link goes only to whoever booked it
    shop.admin.patch(SERVICES + "/" + shop.sc.service_id,
                     json={"location": {"type": "video", "url": "https://meet.example.com/sala"}})
    assert place() == {"type": "video"}
    # and the reminder's text says where, like its mail
    settings = account(fakes)
    assert shop.admin.put("/api/admin/tenant/messaging/twilio", json=settings).status_code == 200
    booking, email = shop.book()
    make_due(booking["id"], 10)
    sent = wait_for(lambda: texts(fakes, settings["account_sid"]), what="the reminder text")
    assert all("Videollamada: https://meet.example.com/sala." in sms["body"] for sms in sent)
