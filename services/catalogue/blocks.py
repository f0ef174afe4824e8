"""StreamField blocks of a service standard: its steps and its responsible officers."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError

from services.core.clock import WORKING
from services.core.targets import (
    KIND_CHOICES,
    MODE_CHOICES,
    NO_ANSWER_CHOICES,
    ROLE_CHOICES,
    UNIT_CHOICES,
    WAIT,
    describe_target,
)


class AlternativeTargetBlock(blocks.StructBlock):
    """Another target for the same step, chosen by the officer: "ส่งซ่อมร้านภายนอก: 2 วัน"."""

    label = blocks.CharBlock(label=_("กรณี"), max_length=120)
    amount = blocks.IntegerBlock(label=_("ระยะเวลา"), min_value=1)
    unit = blocks.ChoiceBlock(choices=UNIT_CHOICES, default="days", label=_("หน่วย"))
    mode = blocks.ChoiceBlock(choices=MODE_CHOICES, default=WORKING, label=_("การนับเวลา"))
    categories = blocks.CharBlock(
        label=_("ใช้เมื่อผู้ขอเลือกประเภท"),
        required=False,
        max_length=200,
        help_text=_(
            "รหัสประเภทในแบบฟอร์ม คั่นด้วยจุลภาค เช่น internet,network "
            "เมื่อผู้ขอเลือกประเภทนี้ ขั้นตอนจะเริ่มด้วยระยะเวลากรณีนี้"
        ),
    )

    class Meta:
        icon = "time"
        label = _("ระยะเวลากรณีอื่น")


class StepBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("ขั้นตอน"), max_length=255)
    description = blocks.TextBlock(label=_("รายละเอียด"), required=False)
    kind = blocks.ChoiceBlock(choices=KIND_CHOICES, default="work", label=_("ประเภทขั้นตอน"))
    role = blocks.ChoiceBlock(choices=ROLE_CHOICES, default="officer", label=_("ผู้รับผิดชอบ"))
    target_amount = blocks.IntegerBlock(label=_("ระยะเวลา"), required=False, min_value=1)
    target_unit = blocks.ChoiceBlock(choices=UNIT_CHOICES, required=False, label=_("หน่วย"))
    target_mode = blocks.ChoiceBlock(choices=MODE_CHOICES, default=WORKING, label=_("การนับเวลา"))
    target_label = blocks.CharBlock(
        label=_("คำอธิบายเวลา (เมื่อไม่กำหนดระยะเวลา)"),
        required=False,
        max_length=120,
        help_text=_("เช่น ตามกำหนดการ หรือ รายเดือน"),
    )
    alternatives = blocks.ListBlock(
        AlternativeTargetBlock(), required=False, label=_("ระยะเวลากรณีอื่น"), default=[]
    )
    on_no_answer = blocks.ChoiceBlock(
        choices=NO_ANSWER_CHOICES,
        default=WAIT,
        required=False,
        label=_("เมื่อผู้ขอไม่ตอบกลับ (เฉพาะขั้นตอนของผู้ขอ)"),
        help_text=_("ผู้ขอได้รับอีเมลเตือนเมื่อครบระยะเวลา และเมื่อครบอีกหนึ่งช่วงระยะเวลาจะทำตามที่เลือก"),
    )

    class Meta:
        icon = "list-ol"
        label = _("ขั้นตอน")

    def clean(self, value):
        value = super().clean(value)
        errors = {}
        if value.get("target_amount") and not value.get("target_unit"):
            errors["target_unit"] = ValidationError(_("กรุณาเลือกหน่วยของระยะเวลา"))
        if not value.get("target_amount") and not value.get("target_label"):
            errors["target_label"] = ValidationError(
                _("กรุณาใส่ระยะเวลา หรือคำอธิบายเวลา เช่น ตามกำหนดการ")
            )
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        return value


def alternative_categories(alternative):
    """The form categories an alternative target applies to, e.g. {"internet", "network"}."""
    text = alternative.get("categories") or ""
    return {part.strip() for part in text.split(",") if part.strip()}


def step_target_text(step):
    """A step value (from the StreamField) described for a person."""
    return describe_target(
        step.get("target_amount"),
        step.get("target_unit"),
        step.get("target_mode") or WORKING,
        step.get("target_label") or "",
    )


class StepsBlock(blocks.StreamBlock):
    step = StepBlock()

    class Meta:
        label = _("ขั้นตอนการให้บริการ")


class OfficerBlock(blocks.StructBlock):
    name = blocks.CharBlock(label=_("ชื่อ-นามสกุล"), max_length=120)
    role = blocks.CharBlock(label=_("ตำแหน่ง / หน้าที่"), max_length=160)
    phone = blocks.CharBlock(label=_("โทรศัพท์"), max_length=64, required=False)
    email = blocks.EmailBlock(label=_("อีเมล"), required=False)

    class Meta:
        icon = "user"
        label = _("ผู้รับผิดชอบ")


class OfficersBlock(blocks.StreamBlock):
    officer = OfficerBlock()
