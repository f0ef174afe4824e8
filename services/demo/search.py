"""Demo search tuning: a starter list of synonyms for this office's services
(how people in the schools really type) and one promoted result.

Looked up by the synonym's key and the promotion's query, so loading twice
changes nothing, and an editor's later change to a synonym is kept.
"""

from django.db import transaction

from home.search import vocabulary
from home.search.models import Synonym
from home.search.text import word_key
from services.catalogue.models import ServicePage

# (what people type, what it means): colloquial → formal, transliteration →
# original, English → Thai. Misspellings of indexed words ("อินเตอร์เน็ต") are
# left to the misspelling matcher.
SYNONYMS = [
    ("เน็ต", "อินเทอร์เน็ต, เครือข่าย"),
    ("อินเทอร์เน็ตช้า", "อินเทอร์เน็ต, เครือข่าย"),
    ("คอม", "คอมพิวเตอร์"),
    ("โน้ตบุ๊ก", "คอมพิวเตอร์"),
    ("โน๊ตบุ๊ค", "คอมพิวเตอร์"),
    ("เสีย", "ซ่อม, แจ้งซ่อม, ปัญหา"),
    ("พัง", "ซ่อม, แจ้งซ่อม"),
    ("ใช้ไม่ได้", "ซ่อม, ปัญหา"),
    ("เปิดไม่ติด", "ซ่อม, ปัญหา"),
    ("ปริ้นเตอร์", "เครื่องพิมพ์"),
    ("ปรินเตอร์", "เครื่องพิมพ์"),
    ("ปริ้น", "เครื่องพิมพ์"),
    ("ไวไฟ", "อินเทอร์เน็ต, เครือข่าย"),
    ("แลน", "เครือข่าย"),
    ("ซูม", "Zoom"),
    ("ห้องซูม", "ห้องประชุมออนไลน์, Zoom"),
    ("ไลฟ์", "ถ่ายทอดสด"),
    ("ไลฟ์สด", "ถ่ายทอดสด"),
    ("ไลฟ์สตรีม", "ถ่ายทอดสด"),
    ("สตรีม", "ถ่ายทอดสด"),
    ("วีดีโอคอล", "ประชุมทางไกล, Video Conference"),
    ("วิดีโอคอนเฟอเรนซ์", "ประชุมทางไกล, Video Conference"),
    ("วีดีโอคอนเฟอเรนซ์", "ประชุมทางไกล, Video Conference"),
    ("เว็บ", "เว็บไซต์"),
    ("ลงข่าว", "เผยแพร่, ข่าว"),
    ("ลงโปรแกรม", "ซอฟต์แวร์"),
    ("โปรแกรม", "ซอฟต์แวร์"),
    ("สถิตินักเรียน", "สถิติ, สารสนเทศ"),
    ("wifi", "อินเทอร์เน็ต, เครือข่าย"),
    ("internet", "อินเทอร์เน็ต"),
    ("network", "เครือข่าย"),
    ("lan", "เครือข่าย"),
    ("computer", "คอมพิวเตอร์"),
    ("notebook", "คอมพิวเตอร์"),
    ("laptop", "คอมพิวเตอร์"),
    ("printer", "เครื่องพิมพ์"),
    ("repair", "ซ่อม"),
    ("broken", "ซ่อม"),
    ("live", "ถ่ายทอดสด"),
    ("livestream", "ถ่ายทอดสด"),
    ("streaming", "ถ่ายทอดสด"),
    ("meeting", "ประชุม"),
    ("video conference", "ประชุมทางไกล"),
    ("website", "เว็บไซต์"),
    ("news", "ข่าว"),
    ("software", "ซอฟต์แวร์"),
    ("hardware", "ฮาร์ดแวร์"),
    ("statistics", "สถิติ, สารสนเทศ"),
    ("data", "ข้อมูล, สารสนเทศ"),
]

# (query, slug of the service page put first for it)
PROMOTIONS = [("แจ้งซ่อม", "computer-internet-repair")]


@transaction.atomic
def build(log=print):
    from wagtail.contrib.search_promotions.models import Query, SearchPromotion

    existing = set(Synonym.objects.values_list("key", flat=True))
    added = 0
    for term, means in SYNONYMS:
        if word_key(term) not in existing:
            Synonym.objects.create(term=term, means=means)
            existing.add(word_key(term))
            added += 1
    if added:
        log(f"added {added} search synonyms")
    for query_string, slug in PROMOTIONS:
        page = ServicePage.objects.filter(slug=slug).first()
        query = Query.get(query_string)
        if page and not SearchPromotion.objects.filter(query=query, page=page).exists():
            SearchPromotion.objects.create(query=query, page=page, sort_order=0)
            log(f"promoted {page.title} for “{query_string}”")
    vocabulary.rebuild()
