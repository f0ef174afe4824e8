"""Demo content of the publication workflow: the workflow and two drafts in review.

Idempotent: the workflow is looked up by name, the drafts by slug. The drafts
belong to the demo "staff" account and the first step is approved by the
demo "approver" when those accounts exist (``setup_demo_accounts``).
"""

from django.contrib.auth import get_user_model
from django.db import transaction

from publishing.submission import create_submission
from publishing.workflow import ensure_workflow, publication_sections
from services.core.roles import ensure_groups

DRAFTS = [
    (
        "news",
        "news-draft-1",
        "ขอเชิญร่วมอบรมการสร้างสื่อการสอนออนไลน์ ภาคเรียนที่ 2",
        "กลุ่มฯ เปิดรับสมัครครูเข้าร่วมอบรมการสร้างสื่อการสอนออนไลน์ จำนวน 60 ที่นั่ง",
        "<p>อบรมวันที่ 15 ธันวาคม ณ ห้องประชุมสำนักงาน สมัครได้ถึงวันที่ 10 ธันวาคม</p>",
        0,
    ),
    (
        "announcements",
        "announcements-draft-1",
        "ประกาศ ปรับปรุงระบบสารบรรณอิเล็กทรอนิกส์",
        "ระบบสารบรรณอิเล็กทรอนิกส์จะปิดปรับปรุงในวันเสาร์ เวลา 09.00–12.00 น.",
        "<p>ระหว่างปิดปรับปรุง กรุณาส่งหนังสือด่วนทางอีเมลของสำนักงาน</p>",
        1,
    ),
]


def _user(username):
    return get_user_model().objects.filter(username=username).first()


@transaction.atomic
def build(log=print):
    ensure_groups()
    ensure_workflow(log)
    sections = {section.slug: section for section in publication_sections()}
    author, approver = _user("staff"), _user("approver")
    for section_slug, slug, title, summary, body, approvals in DRAFTS:
        section = sections.get(section_slug)
        if section is None or section.get_children().filter(slug=slug).exists():
            continue
        page = create_submission(
            author,
            {"section": section, "slug": slug, "title": title, "summary": summary, "body": body},
        )
        for _step in range(approvals):
            state = page.current_workflow_task_state
            state.task.specific.on_action(
                state, approver, "approve", comment="เห็นชอบ เสนอผู้อำนวยการ"
            )
        log(f"created publication draft {slug}")
