"""The officers' page for one person's data: find, export (JSON, XLSX), erase.

Everything is POST (with CSRF), so no e-mail address or phone number ever
appears in a URL or a traffic log line.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from services.core.roles import can_manage_personal_data
from services.privacy import subject as data_subject

ACTIONS = ("find", "export_json", "export_xlsx", "erase")


class SubjectForm(forms.Form):
    subject = forms.CharField(
        label=_("อีเมลหรือหมายเลขโทรศัพท์ของเจ้าของข้อมูล"),
        max_length=254,
        error_messages={
            "required": _("กรุณากรอกอีเมลหรือหมายเลขโทรศัพท์"),
            "max_length": _("กรุณากรอกไม่เกิน %(limit_value)s ตัวอักษร"),
        },
    )
    confirm = forms.BooleanField(label=_("ยืนยันการลบ ข้อมูลที่ลบแล้วกู้คืนไม่ได้"), required=False)

    def clean_subject(self):
        try:
            return data_subject.Subject(self.cleaned_data["subject"])
        except (ValidationError, ValueError):
            raise ValidationError(
                gettext("กรุณากรอกอีเมล เช่น name@example.com หรือหมายเลขโทรศัพท์ 9-10 หลัก")
            )


def _download(content, content_type, extension):
    response = HttpResponse(content, content_type=content_type)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="personal-data-{stamp}.{extension}"'
    response["Cache-Control"] = "private, no-store"
    return response


def personal_data(request):
    if not can_manage_personal_data(request.user):
        raise PermissionDenied
    context = {"header_title": gettext("ข้อมูลส่วนบุคคล (PDPA)")}
    status = 200
    if request.method == "POST":
        form = SubjectForm(request.POST)
        action = request.POST.get("action", "find")
        if action not in ACTIONS:
            action = "find"
        if form.is_valid():
            subject = form.cleaned_data["subject"]
            if action == "export_json":
                return _download(
                    data_subject.export_json(subject, request.user), "application/json", "json"
                )
            if action == "export_xlsx":
                return _download(
                    data_subject.export_xlsx(subject, request.user),
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    "xlsx",
                )
            if action == "erase":
                if not form.cleaned_data["confirm"]:
                    form.add_error("confirm", gettext("กรุณายืนยันก่อนลบข้อมูล"))
                    status = 400
                else:
                    entry = data_subject.erase(subject, request.user)
                    messages.success(
                        request,
                        gettext("ลบข้อมูลส่วนบุคคลแล้ว %(count)s คำขอ")
                        % {"count": len(entry.references)},
                    )
            tickets, waiting = list(subject.tickets()), subject.waiting()
            context.update(
                tickets=tickets,
                waiting=waiting,
                found_count=len(tickets) + len(waiting),
                outbox_count=len(subject.outbox(tickets)),
                found=True,
            )
        else:
            status = 400
    else:
        form = SubjectForm()
    context["form"] = form
    return TemplateResponse(request, "services/admin/personal_data.html", context, status=status)
