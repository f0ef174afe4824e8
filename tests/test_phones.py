"""Thai phone numbers with an extension: accepted, stored normalised, a tel: link that dials."""

import pytest

from home.phones import PhoneField, display_phone, normalise_phone, tel_href


@pytest.mark.parametrize(
    "typed,stored,shown,href",
    [
        ("02 123 4567 ต่อ 123", "+6621234567;ext=123", "02 123 4567 ต่อ 123", "tel:+6621234567,123"),
        ("02-123-4567 ext. 9", "+6621234567;ext=9", "02 123 4567 ต่อ 9", "tel:+6621234567,9"),
        ("081 234 5678", "+66812345678", "081 234 5678", "tel:+66812345678"),
        ("+66 81 234 5678", "+66812345678", "081 234 5678", "tel:+66812345678"),
        ("0 4300 0099 ต่อ 209", "+6643000099;ext=209", "043 000 099 ต่อ 209", "tel:+6643000099,209"),
    ],
)
def test_thai_numbers_with_extensions(typed, stored, shown, href):
    assert PhoneField().clean(typed) == stored
    assert display_phone(stored) == shown
    assert tel_href(stored) == href == tel_href(typed)


@pytest.mark.parametrize(
    "typed", ["12", "abc", "02 123 4567 ต่อ", "<script>", "0" * 41, "02 123 4567 ต่อ 1234567"]
)
def test_nonsense_is_refused_in_thai(typed):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="กรุณากรอกหมายเลขโทรศัพท์"):
        PhoneField().clean(typed)
    assert normalise_phone(typed) is None
    assert tel_href(typed) == ""


def test_the_request_form_keeps_an_extension_and_the_desk_dials_it(client, catalogue):
    from services.catalogue.models import ServicePage
    from services.tickets.models import Ticket
    from tests.services_data import REQUESTER, kind_data

    page = ServicePage.objects.get(slug="computer-internet-repair")
    data = {**REQUESTER, **kind_data("repair"), "requester_phone": "02 123 4567 ต่อ 123"}
    assert client.post(page.url, data).status_code == 302
    ticket = Ticket.objects.get()
    assert ticket.requester_phone == "+6621234567;ext=123"
    bad = {**data, "requester_phone": "02 123 ต่อ x"}
    response = client.post(page.url, bad)
    assert response.status_code == 400
    assert 'value="02 123 ต่อ x"' in response.content.decode()
    # The service page's officers: a tel: link that dials, extension included.
    html = client.get(page.url).content.decode()
    assert 'href="tel:+6643000099,213"' in html
