"""Demo content for the public site: home, about, news, office settings.

The privacy notice is not a page here: ``services.requests.privacy_page`` writes
it from the code at /privacy/.

Every builder looks its objects up by a stable key first, so running the
loader again changes nothing.
"""

import datetime as dt
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from wagtail.models import Page, Site

from home.models import HomePage, NewsIndexPage, NewsPage, OfficeSettings, StandardPage

OFFICE = {
    "name": "กลุ่มส่งเสริมการศึกษาทางไกล เทคโนโลยีสารสนเทศและการสื่อสาร",
    "name_en": "Distance Learning and ICT Promotion Group",
    "parent_name": "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาตัวอย่าง เขต 9",
    "address": "99 หมู่ 9 ถนนการศึกษา ตำบลในเมือง\nอำเภอเมือง จังหวัดตัวอย่าง 40000",
    "phone": "0 4300 0099 ต่อ 209",
    "email": "ict@example.go.th",
    "line_id": "@ict-demo",
    "line_url": "https://line.me/R/ti/p/@ict-demo",
    "office_hours": "จันทร์–ศุกร์ 08.30–16.30 น. (เว้นวันหยุดราชการ)",
}

NEWS = [
    (
        "2569-11-18",
        "อบรมการใช้งานห้องประชุมออนไลน์สำหรับโรงเรียนในสังกัด",
        "กลุ่มฯ จัดอบรมครูผู้รับผิดชอบงาน ICT ของโรงเรียนในสังกัด เรื่องการขอใช้และจัดการห้องประชุมออนไลน์",
        "ผู้เข้าอบรมได้ฝึกสร้างห้องประชุม ตั้งค่ารหัสผ่าน และบันทึกการประชุม พร้อมรับคู่มือการใช้งานฉบับย่อ",
    ),
    (
        "2569-11-10",
        "ปิดปรับปรุงระบบเครือข่ายอินเทอร์เน็ตชั่วคราว วันเสาร์ที่ 28 พฤศจิกายน",
        "สำนักงานจะปิดปรับปรุงอุปกรณ์เครือข่ายหลัก ตั้งแต่เวลา 08.00–12.00 น.",
        "ระหว่างปิดปรับปรุง ระบบอินเทอร์เน็ตและระบบสารบรรณอิเล็กทรอนิกส์จะใช้งานไม่ได้ ขออภัยในความไม่สะดวก",
    ),
    (
        "2569-10-29",
        "เปิดให้บริการแจ้งซ่อมคอมพิวเตอร์ออนไลน์ผ่าน QR Code",
        "ผู้ใช้บริการสามารถสแกน QR Code เพื่อแจ้งซ่อมคอมพิวเตอร์และเครือข่าย และติดตามสถานะได้ด้วยตนเอง",
        "เมื่อส่งคำขอแล้ว ระบบจะแสดงเลขที่คำขอ ลิงก์ติดตามสถานะ และเวลาที่คาดว่าจะแล้วเสร็จในแต่ละขั้นตอน",
    ),
    (
        "2569-10-01",
        "ประกาศมาตรฐานการให้บริการ ประจำปีงบประมาณ พ.ศ. 2570",
        "กลุ่มฯ ประกาศมาตรฐานการให้บริการ 7 งานบริการ พร้อมระยะเวลาแล้วเสร็จของแต่ละขั้นตอน",
        "มาตรฐานการให้บริการครอบคลุมห้องประชุมออนไลน์ การถ่ายทอดสด การประชุมทางไกล งานซ่อม ข้อมูลสารสนเทศ และการเผยแพร่ข้อมูลทางเว็บไซต์",
    ),
    (
        "2569-09-30",
        "สรุปผลความพึงพอใจการให้บริการ ปีงบประมาณ พ.ศ. 2569",
        "ผลการประเมินความพึงพอใจเฉลี่ยร้อยละ 91.2 สูงกว่าเป้าหมายร้อยละ 70",
        "ขอขอบคุณผู้ใช้บริการทุกท่านที่ร่วมตอบแบบประเมิน ข้อเสนอแนะจะนำไปปรับปรุงการให้บริการในปีถัดไป",
    ),
    (
        "2569-09-15",
        "ถ่ายทอดสดพิธีมอบรางวัลครูดีเด่น ผ่านช่องทางออนไลน์",
        "กลุ่มฯ ให้บริการถ่ายทอดสดพิธีมอบรางวัลครูดีเด่น ประจำปี 2569 ผ่าน YouTube และ Facebook ของสำนักงาน",
        "มีผู้ชมการถ่ายทอดสดพร้อมกันสูงสุดกว่า 1,200 คน จากโรงเรียนในสังกัด",
    ),
]

ANNOUNCEMENTS = [
    (
        "2569-11-01",
        "ประกาศ แนวปฏิบัติการใช้งานเครือข่ายอินเทอร์เน็ตของสำนักงาน",
        "ผู้ใช้งานต้องยืนยันตัวตนก่อนใช้งานอินเทอร์เน็ต และระบบจะเก็บข้อมูลจราจรทางคอมพิวเตอร์ไม่น้อยกว่า 90 วัน",
        "เป็นไปตามพระราชบัญญัติว่าด้วยการกระทำความผิดเกี่ยวกับคอมพิวเตอร์ พ.ศ. 2550",
    ),
    (
        "2569-10-05",
        "ประกาศ ช่องทางการขอรับบริการของกลุ่มฯ",
        "ขอรับบริการได้ที่ห้อง DLICT ทางหนังสือราชการ โทรศัพท์ LINE และแบบฟอร์มออนไลน์",
        "ทุกบริการไม่มีค่าธรรมเนียม และสามารถติดตามสถานะคำขอได้ด้วยเลขที่คำขอ",
    ),
]


def _paragraph(text):
    return [{"type": "paragraph", "value": f"<p>{text}</p>"}]


def _be_date(text):
    year, month, day = (int(part) for part in text.split("-"))
    return dt.date(year - 543, month, day)


def _child(parent, model, slug, **fields):
    existing = model.objects.child_of(parent).filter(slug=slug).first()
    if existing:
        return existing, False
    page = model(slug=slug, **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page, True


@transaction.atomic
def build(log=print):
    root = Page.get_first_root_node()
    home = HomePage.objects.first()
    if home is None:
        home = HomePage(
            title="หน้าแรก",
            slug="ict-home",
            hero_title="บริการ ICT เพื่อการศึกษา ครบ จบ ในที่เดียว",
            hero_text=(
                "ขอใช้ห้องประชุมออนไลน์ ถ่ายทอดสด แจ้งซ่อมคอมพิวเตอร์และเครือข่าย "
                "ขอข้อมูลสารสนเทศ และติดตามสถานะคำขอได้ตลอด 24 ชั่วโมง"
            ),
        )
        root.add_child(instance=home)
        home.save_revision().publish()
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            address = urlsplit(settings.WAGTAILADMIN_BASE_URL)
            Site.objects.create(
                hostname=address.hostname or "localhost",
                port=address.port or (443 if address.scheme == "https" else 80),
                root_page=home,
                is_default_site=True,
                site_name=OFFICE["name"],
            )
        else:
            old_root = site.root_page
            site.root_page = home
            site.site_name = OFFICE["name"]
            site.save()
            if old_root.specific_class is Page and old_root.pk != home.pk:
                old_root.delete()  # Wagtail's "Welcome" placeholder
        log("created home page")

    _child(
        home,
        StandardPage,
        "about",
        title="เกี่ยวกับเรา",
        show_in_menus=True,
        intro="กลุ่มส่งเสริมการศึกษาทางไกล เทคโนโลยีสารสนเทศและการสื่อสาร (DLICT) "
        "ดูแลระบบเครือข่าย ห้องประชุมออนไลน์ การถ่ายทอดสด และข้อมูลสารสนเทศทางการศึกษา",
        body=_paragraph("เรามุ่งให้บริการที่รวดเร็ว โปร่งใส ตรวจสอบได้ ตามมาตรฐานการให้บริการที่ประกาศไว้"),
    )
    news_index, _ = _child(home, NewsIndexPage, "news", title="ข่าวประชาสัมพันธ์", show_in_menus=True)
    announcements, _ = _child(
        home, NewsIndexPage, "announcements", title="ประกาศ", show_in_menus=True
    )
    for index_page, items in ((news_index, NEWS), (announcements, ANNOUNCEMENTS)):
        for number, (date, title, summary, body) in enumerate(items, start=1):
            _child(
                index_page,
                NewsPage,
                f"{index_page.slug}-{number}",
                title=title,
                date=_be_date(date),
                summary=summary,
                body=_paragraph(body),
            )

    if home.news_index_id is None:
        home.news_index = news_index
        home.save_revision().publish()

    site = Site.objects.get(root_page=home)
    office = OfficeSettings.for_site(site)
    changed = [key for key, value in OFFICE.items() if getattr(office, key) != value]
    if changed:
        for key in changed:
            setattr(office, key, OFFICE[key])
        office.save()
        log("office settings updated")
    return home
