"""Time targets of service steps: the vocabulary and how a person reads them.

A target is an amount of a unit (minutes, hours, days) counted in working or
elapsed time, or no amount at all with a label such as "ตามกำหนดการ". Pages,
tickets, e-mails and posters all describe targets through ``describe_target``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from services.core.clock import DAYS, ELAPSED, HOURS, MINUTES, WORKING

UNIT_CHOICES = [(MINUTES, _("นาที")), (HOURS, _("ชั่วโมง")), (DAYS, _("วัน"))]
MODE_CHOICES = [(WORKING, _("นับเฉพาะเวลาราชการ")), (ELAPSED, _("นับเวลาต่อเนื่อง"))]

KIND_CHOICES = [
    ("intake", _("รับเรื่อง")),
    ("approval", _("พิจารณาอนุมัติ")),
    ("schedule", _("จัดตารางและแจ้งรายละเอียด")),
    ("work", _("ดำเนินการ")),
    ("report", _("รายงานผล")),
]
ROLE_CHOICES = [
    ("officer", _("เจ้าหน้าที่")),
    ("approver", _("หัวหน้ากลุ่ม (ผู้อนุมัติ)")),
    ("director", _("ผู้อำนวยการ")),
    ("executive", _("ผู้บริหาร")),
    ("secretary", _("ธุรการ / เลขานุการ")),
    ("requester", _("ผู้ขอรับบริการ")),
]

# What a step the requester acts on does when the requester does not answer
# within its target (after one reminder and one more target).
WAIT = "wait"
TO_OFFICER = "officer"
CANCEL = "cancel"
NO_ANSWER_CHOICES = [
    (WAIT, _("เตือนผู้ขอและรอต่อไป")),
    (TO_OFFICER, _("เตือนผู้ขอ แล้วเจ้าหน้าที่ดำเนินการขั้นตอนถัดไป")),
    (CANCEL, _("เตือนผู้ขอ แล้วยกเลิกคำขอ")),
]


def describe_target(
    amount: int | None, unit: str | None, mode: str = WORKING, label: str = ""
) -> str:
    """'10 นาที', '1 วันทำการ', '24 ชั่วโมง'; the label when there is no amount."""
    if not amount or not unit:
        return label or gettext("ไม่กำหนดเวลา")
    if unit == DAYS and mode == WORKING:
        text = ngettext("%(n)s วันทำการ", "%(n)s วันทำการ", amount)
    elif unit == DAYS:
        text = ngettext("%(n)s วัน", "%(n)s วัน", amount)
    elif unit == HOURS:
        text = ngettext("%(n)s ชั่วโมง", "%(n)s ชั่วโมง", amount)
    else:
        text = ngettext("%(n)s นาที", "%(n)s นาที", amount)
    return text % {"n": amount}


def choice_label(choices: Iterable[tuple[str, Any]], value: str) -> Any:
    """The label of ``value`` in Django ``choices``; the value itself if it has none."""
    return dict(choices).get(value, value)


def due_soon_window(total_minutes: float) -> float:
    """Minutes before the due time from which a step is "due soon".

    The shorter of ``DESK_DUE_SOON_MINUTES`` and ``DESK_DUE_SOON_SHARE`` of the
    target, so "due soon" always means the last stretch: a 10-minute step warns
    in its last 2.5 minutes, a 3-day step in its last 2 hours. Ticket steps and
    publication steps use this one rule.
    """
    return min(settings.DESK_DUE_SOON_MINUTES, total_minutes * settings.DESK_DUE_SOON_SHARE)
