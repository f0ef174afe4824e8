import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from home.models import NewsIndexPage, NewsPage, StandardPage


@pytest.fixture
def news_index(home_page):
    return NewsIndexPage.objects.get(slug="news")


def test_home_page_renders_thai_with_latest_news_in_buddhist_era(client, home_page):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="th">' in html
    assert 'href="#main"' in html and 'id="main"' in html
    assert "อบรมการใช้งานห้องประชุมออนไลน์สำหรับโรงเรียนในสังกัด" in html
    assert "18 พฤศจิกายน 2569" in html
    # Office settings appear in header and footer.
    assert html.count("กลุ่มส่งเสริมการศึกษาทางไกล") >= 2
    assert "@ict-demo" in html


def test_news_page_is_created_and_rendered(client, news_index):
    page = NewsPage(
        title="ทดสอบข่าวใหม่",
        slug="test-news",
        date=dt.date(2026, 10, 1),
        summary="สรุปข่าว",
        body=[{"type": "paragraph", "value": "<p>เนื้อหาข่าว</p>"}],
    )
    news_index.add_child(instance=page)
    page.save_revision().publish()
    response = client.get(page.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "ทดสอบข่าวใหม่" in html and "เนื้อหาข่าว" in html
    assert "1 ตุลาคม 2569" in html
    listing = client.get(news_index.url).content.decode()
    assert "ทดสอบข่าวใหม่" in listing


def test_standard_page_renders(client, home_page):
    page = StandardPage(title="บริการอื่น ๆ", slug="other", intro="บทนำทดสอบ")
    home_page.add_child(instance=page)
    page.save_revision().publish()
    response = client.get(page.url)
    assert response.status_code == 200
    assert "บทนำทดสอบ" in response.content.decode()


def test_news_image_requires_alt_text(news_index):
    image = Image.objects.create(title="ภาพ", file=get_test_image_file())
    page = NewsPage(title="ข่าวมีภาพ", slug="with-image", date=dt.date(2026, 11, 1), image=image)
    with pytest.raises(ValidationError) as excinfo:
        news_index.add_child(instance=page)
    assert "image_alt" in excinfo.value.message_dict


def test_image_block_requires_alt_text():
    from home.blocks import AccessibleImageBlock

    block = AccessibleImageBlock()
    with pytest.raises(Exception) as excinfo:
        block.clean(block.to_python({"image": None, "alt_text": "", "caption": ""}))
    assert "alt_text" in str(excinfo.value.block_errors)


def test_main_menu_lists_sections(client, home_page):
    html = client.get("/").content.decode()
    assert 'aria-label="เมนูหลัก"' in html
    for title in ("เกี่ยวกับเรา", "ข่าวประชาสัมพันธ์", "ประกาศ"):
        assert f">{title}</a>" in html


def test_language_switch_shows_english_interface(client, home_page):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert "Skip to main content" in html
    assert "18 November B.E. 2569" in html


def test_unknown_page_is_404(client, home_page):
    assert client.get("/no-such-page/").status_code == 404
