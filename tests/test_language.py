"""Thai by default whatever the browser asks; English only by the switch, remembered."""

from django.conf import settings


def test_english_browser_gets_thai_page_and_menus(client, home_page):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="th">' in html
    assert ">หน้าแรก</a>" in html and ">Home</a>" not in html
    assert ">ค้นหา</button>" in html
    assert response["Content-Language"] == "th"
    assert "Accept-Language" not in response.get("Vary", "")


def test_choosing_english_sticks_across_requests(client, home_page):
    response = client.post(
        "/i18n/setlang/", {"language": "en", "next": "/"}, HTTP_ACCEPT_LANGUAGE="th"
    )
    assert response.status_code == 302
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "en"
    assert int(cookie["max-age"]) >= 300 * 24 * 3600  # remembered, not a session cookie
    for _ in range(2):
        html = client.get("/", HTTP_ACCEPT_LANGUAGE="th").content.decode()
        assert '<html lang="en">' in html
        assert ">Home</a>" in html
    client.post("/i18n/setlang/", {"language": "th", "next": "/"})
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="th">' in html


def test_unknown_language_cookie_falls_back_to_thai(client, home_page):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "<script>"
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="th">' in html


def test_admin_is_thai_for_an_english_browser(client, home_page):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_superuser("boss", "boss@example.go.th", "pw")
    client.force_login(user)
    html = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en-US,en").content.decode()
    assert 'lang="th"' in html
    assert "ค้นหา" in html  # Wagtail's own strings in Thai
    assert "โต๊ะงานคำขอบริการ" in html or "\\u0e42\\u0e15\\u0e4a\\u0e30" in html  # the desk menu
    assert "Service desk" not in html
