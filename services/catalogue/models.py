"""The service catalogue and the published service standards (ServicePage).

A ServicePage is the standard the office publishes and, at the same time, the
definition of the workflow: its ``steps`` are copied into each ticket
submitted from its request form.
"""

from django.db import models
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.contrib.forms.forms import WagtailAdminFormPageForm
from wagtail.contrib.forms.models import AbstractFormField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from home.models import ThaiSearchable
from home.search import segment
from services.catalogue.blocks import OfficersBlock, StepsBlock, step_target_text
from services.core.targets import KIND_CHOICES, ROLE_CHOICES, choice_label, describe_target


class FormKind(models.TextChoices):
    BOOKING = "booking", _("จองห้องประชุม / ประชุมทางไกล / ถ่ายทอดสด")
    REPAIR = "repair", _("แจ้งซ่อม")
    INFORMATION = "information", _("ขอข้อมูลสารสนเทศ")
    GENERAL = "general", _("คำขอทั่วไป")


def _lines(text):
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class ServiceIndexPage(ThaiSearchable):
    """The catalogue: every live service below it, grouped by category."""

    intro = models.TextField(_("บทนำ"), blank=True)

    subpage_types = ["services.ServicePage"]
    content_panels = Page.content_panels + [FieldPanel("intro")]

    class Meta:
        verbose_name = _("หน้ารวมบริการ")

    def search_body(self):
        return self.intro

    def services(self):
        return ServicePage.objects.child_of(self).live().public()

    def grouped_services(self):
        """[(category, [service, ...]), ...] in the order editors arranged the pages."""
        groups = {}
        for service in self.services():
            groups.setdefault(service.category or _("บริการอื่น ๆ"), []).append(service)
        return list(groups.items())

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["groups"] = self.grouped_services()
        return context


class ServicePage(RoutablePageMixin, ThaiSearchable):
    code = models.CharField(_("รหัสแบบฟอร์ม"), max_length=20, blank=True, help_text=_("เช่น ICT 01"))
    category = models.CharField(_("หมวดบริการ"), max_length=120, blank=True)
    summary = models.CharField(_("สรุปสั้น"), max_length=255, blank=True)
    headline_target = models.CharField(
        _("ระยะเวลาโดยสรุป"),
        max_length=120,
        blank=True,
        help_text=_("แสดงในหน้ารวมบริการ เช่น แจ้งเลขห้องประชุมภายใน 20 นาที"),
    )
    description = RichTextField(
        _("รายละเอียดบริการ"), blank=True, features=["bold", "italic", "link", "ol", "ul"]
    )
    who_may_ask = models.TextField(_("ผู้มีสิทธิ์ขอรับบริการ"), blank=True)
    channels = models.TextField(
        _("ช่องทางการขอรับบริการ"), blank=True, help_text=_("บรรทัดละหนึ่งช่องทาง")
    )
    fee = models.CharField(_("ค่าธรรมเนียม"), max_length=120, default="ไม่มีค่าธรรมเนียม")
    laws = models.TextField(_("กฎหมายที่เกี่ยวข้อง"), blank=True, help_text=_("บรรทัดละหนึ่งฉบับ"))
    officers = StreamField(OfficersBlock(), blank=True, verbose_name=_("ผู้รับผิดชอบ"))
    kpi_target_percent = models.PositiveSmallIntegerField(
        _("เป้าหมายความพึงพอใจ (ร้อยละ)"), default=70
    )
    steps = StreamField(StepsBlock(), blank=True, verbose_name=_("ขั้นตอนการให้บริการ"))
    form_kind = models.CharField(
        _("แบบฟอร์มคำขอ"), max_length=20, choices=FormKind.choices, default=FormKind.GENERAL
    )
    form_intro = models.TextField(_("คำแนะนำก่อนกรอกแบบฟอร์ม"), blank=True)

    parent_page_types = ["services.ServiceIndexPage"]
    subpage_types = []
    base_form_class = WagtailAdminFormPageForm  # refuses two extra fields with one name

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("code"), FieldPanel("category")]),
        FieldPanel("summary"),
        FieldPanel("description"),
        FieldPanel("who_may_ask"),
        FieldPanel("channels"),
        FieldRowPanel([FieldPanel("fee"), FieldPanel("kpi_target_percent")]),
        FieldPanel("laws"),
        FieldPanel("officers"),
    ]
    steps_panels = [FieldPanel("headline_target"), FieldPanel("steps")]
    form_panels = [
        FieldPanel("form_kind"),
        FieldPanel("form_intro"),
        MultiFieldPanel(
            [InlinePanel("form_fields", label=_("ช่องกรอกเพิ่มเติม"))], heading=_("ช่องกรอกเพิ่มเติม")
        ),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("มาตรฐานการให้บริการ")),
            ObjectList(steps_panels, heading=_("ขั้นตอนและระยะเวลา")),
            ObjectList(form_panels, heading=_("แบบฟอร์มคำขอ")),
            ObjectList(Page.promote_panels, heading=_("การเผยแพร่")),
            ObjectList(Page.settings_panels, heading=_("ตั้งค่า")),
        ]
    )

    class Meta:
        verbose_name = _("มาตรฐานการให้บริการ")
        verbose_name_plural = _("มาตรฐานการให้บริการ")

    search_first = True

    def search_body(self):
        """Code, summary, description, every step and the officers' names and roles."""
        steps = " ".join(
            f"{block.value['title']} {block.value.get('description') or ''}"
            for block in self.steps
            if block.block_type == "step"
        )
        officers = " ".join(
            f"{block.value['name']} {block.value.get('role') or ''}" for block in self.officers
        )
        return (
            f"{self.code} {self.summary} {strip_tags(self.description)} {steps} "
            f"{officers} {self.category}"
        )

    def search_snippet_text(self):
        # The summary and description: a snippet without reading every step and officer.
        return f"{self.summary} {strip_tags(self.description)}"

    def autocomplete_text(self):
        return segment(f"{self.title} {self.code} {self.code.replace(' ', '')}")

    def search_result_action(self):
        return (_("ยื่นคำขอ"), "#request-form")

    # --- reading the standard ---------------------------------------------
    def step_values(self):
        """The steps as plain dicts, ready to be copied or shown."""
        values = []
        for block in self.steps:
            if block.block_type != "step":
                continue
            value = dict(block.value)
            value["alternatives"] = [
                {**dict(alt), "text": describe_target(alt["amount"], alt["unit"], alt["mode"])}
                for alt in value.get("alternatives") or []
            ]
            value["target_text"] = step_target_text(value)
            value["role_label"] = choice_label(ROLE_CHOICES, value.get("role"))
            value["kind_label"] = choice_label(KIND_CHOICES, value.get("kind"))
            values.append(value)
        return values

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["steps"] = self.step_values()
        return context

    def channel_list(self):
        return _lines(self.channels)

    def law_list(self):
        return _lines(self.laws)

    # --- routes: the page itself takes the form's POST ---------------------
    # The web layer plugs its views in at start-up (ServicesConfig.ready), so
    # this model never imports a view.
    public_views = None

    @path("")
    def request_form(self, request):
        return self.public_views.service_page(request, self)

    @path("sent/<str:reference>/<str:token>/")
    def confirmation(self, request, reference, token):
        return self.public_views.confirmation(request, self, reference, token)

    @path("qr/png/")
    def qr_png(self, request):
        return self.public_views.qr_code(request, self, "png")

    @path("qr/svg/")
    def qr_svg(self, request):
        return self.public_views.qr_code(request, self, "svg")

    @path("poster/")
    def poster(self, request):
        return self.public_views.poster(request, self)


class ServiceFormField(AbstractFormField):
    """An extra question an editor adds to one service's request form."""

    page = ParentalKey(ServicePage, on_delete=models.CASCADE, related_name="form_fields")

    class Meta(AbstractFormField.Meta):
        verbose_name = _("ช่องกรอกเพิ่มเติม")
