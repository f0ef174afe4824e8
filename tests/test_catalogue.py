"""The demo catalogue carries every published service; pages read well and edit in the admin."""

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import Page, Revision

from home.models import HomePage
from services.catalogue.blocks import StepBlock
from services.catalogue.models import ServiceIndexPage, ServicePage
from services.demo.catalogue import SERVICES


def test_every_service_of_the_standards_is_published(catalogue):
    pages = {p.code: p for p in ServicePage.objects.live().child_of(catalogue)}
    assert sorted(pages) == [f"ICT {n:02d}" for n in range(1, 11)]
    assert pages["ICT 01"].form_kind == "booking"
    assert pages["ICT 02"].form_kind == "repair"
    assert pages["ICT 03"].form_kind == "information"
    assert pages["ICT 07"].form_kind == "general"
    for page in pages.values():
        assert page.fee == "ไม่มีค่าธรรมเนียม"
        assert page.kpi_target_percent == 70
        assert page.law_list() and page.steps and len(list(page.officers)) >= 1
    assert HomePage.objects.get().catalogue_page_id == catalogue.pk
    assert catalogue.slug == "services" and catalogue.show_in_menus


def test_equipment_loan_and_network_account_services(catalogue, client):
    loan = ServicePage.objects.get(code="ICT 08")
    assert [f.label for f in loan.form_fields.all()] == [
        "รายการที่ต้องการยืม",
        "วันที่ต้องการรับ",
        "วันที่จะส่งคืน",
        "วัตถุประสงค์และสถานที่ใช้งาน",
    ]
    assert any("กำหนดคืน" in value["title"] for value in loan.step_values())
    account = ServicePage.objects.get(code="ICT 09")
    titles = [value["title"] for value in account.step_values()]
    assert "ตรวจสอบตัวตนของผู้ขอ" in titles
    assert titles.index("ตรวจสอบตัวตนของผู้ขอ") < titles.index("สร้างบัญชีและแจ้งผู้ขอ")
    page = client.get(loan.url).content.decode()
    assert "รายการที่ต้องการยืม" in page and "วันที่จะส่งคืน" in page


def test_demo_is_idempotent(catalogue):
    from services.demo.catalogue import build

    before = (
        sorted(Page.objects.values_list("url_path", "latest_revision_id")),
        Revision.objects.count(),
    )
    build(log=lambda *_: None)
    after = (
        sorted(Page.objects.values_list("url_path", "latest_revision_id")),
        Revision.objects.count(),
    )
    assert before == after
    assert ServiceIndexPage.objects.count() == 1
    assert ServicePage.objects.count() == len(SERVICES)


def test_catalogue_groups_services_with_codes_and_targets(client, catalogue):
    response = client.get("/services/")
    text = response.content.decode()
    assert response.status_code == 200
    for heading in (
        "ห้องประชุมออนไลน์ ประชุมทางไกล และถ่ายทอดสด",
        "ซ่อมบำรุงคอมพิวเตอร์และเครือข่าย",
        "ข้อมูลสารสนเทศ",
        "เว็บไซต์และการเผยแพร่ข้อมูล",
    ):
        assert f">{heading}</h2>" in text
    assert "ICT 01" in text and "ได้รับเลขห้องประชุมภายใน 20 นาที" in text
    groups = dict(catalogue.grouped_services())
    assert [p.code for p in groups["ซ่อมบำรุงคอมพิวเตอร์และเครือข่าย"]] == ["ICT 02", "ICT 06"]


def test_home_page_links_to_the_catalogue(client, catalogue):
    assert 'href="/services/"' in client.get("/").content.decode()


def test_service_page_shows_the_standard_as_a_timeline(client, catalogue):
    page = ServicePage.objects.get(slug="computer-internet-repair")
    text = client.get(page.url).content.decode()
    assert 'class="timeline"' in text
    assert "ตรวจสอบและแก้ไขปัญหาคอมพิวเตอร์ / อินเทอร์เน็ต" in text
    assert 'badge--time">1 วันทำการ' in text
    assert "กรณีส่งซ่อมร้านภายนอก: 2 วันทำการ" in text
    assert "กรณีปัญหาจากผู้ให้บริการ: 6 ชั่วโมง" in text
    assert "ไม่มีค่าธรรมเนียม" in text and "ไม่น้อยกว่าร้อยละ 70" in text
    assert "พระราชบัญญัติการรักษาความมั่นคงปลอดภัยไซเบอร์ พ.ศ. 2562" in text
    assert "นายกิตติพงษ์ ทองมา" in text and 'id="request-form"' in text
    zoom = client.get(ServicePage.objects.get(code="ICT 01").url).content.decode()
    assert 'badge--time">ตามกำหนดการ' in zoom and 'badge--time">10 นาที' in zoom
    live = client.get(ServicePage.objects.get(code="ICT 04").url).content.decode()
    assert 'badge--time">รายเดือน' in live and 'badge--time">24 ชั่วโมง' in live


def test_english_reads_the_targets_in_english(client, catalogue):
    client.cookies["django_language"] = "en"
    page = ServicePage.objects.get(slug="computer-internet-repair")
    text = client.get(page.url).content.decode()
    assert "1 working day" in text and "Steps and service times" in text


def test_step_without_time_or_label_is_refused():
    block = StepBlock()
    value = block.to_python(
        {"title": "ขั้นตอน", "kind": "work", "role": "officer", "alternatives": []}
    )
    with pytest.raises(ValidationError):
        block.clean(value)
    value = block.to_python(
        {
            "title": "ขั้นตอน",
            "kind": "work",
            "role": "officer",
            "target_amount": 3,
            "alternatives": [],
        }
    )
    with pytest.raises(ValidationError):
        block.clean(value)


def test_editors_can_open_the_service_in_the_admin(client, catalogue, django_user_model):
    admin = django_user_model.objects.create_superuser("root", password="x")
    client.force_login(admin)
    page = ServicePage.objects.get(slug="zoom-meeting-room")
    response = client.get(f"/admin/pages/{page.pk}/edit/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "ขั้นตอนและระยะเวลา" in text and "ช่องกรอกเพิ่มเติม" in text
    add = client.get(f"/admin/pages/add/services/servicepage/{catalogue.pk}/")
    assert add.status_code == 200
