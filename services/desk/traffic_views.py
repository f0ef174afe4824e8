"""The administrators' download of the traffic logs for a date range."""

import datetime as dt

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import StreamingHttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from home import traffic
from services.core.roles import can_export_traffic_logs


class RangeForm(forms.Form):
    start = forms.DateField(
        label=_("ตั้งแต่วันที่"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": _("กรุณาเลือกวันที่เริ่มต้น"),
            "invalid": _("กรุณาเลือกวันที่ให้ถูกต้อง"),
        },
    )
    end = forms.DateField(
        label=_("ถึงวันที่"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": _("กรุณาเลือกวันที่สิ้นสุด"),
            "invalid": _("กรุณาเลือกวันที่ให้ถูกต้อง"),
        },
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            raise forms.ValidationError(gettext("วันที่เริ่มต้นต้องไม่อยู่หลังวันที่สิ้นสุด"))
        return data


def traffic_export(request):
    if not can_export_traffic_logs(request.user):
        raise PermissionDenied
    form = None
    status = 200
    if "start" in request.GET or "end" in request.GET:
        form = RangeForm(request.GET)
        if form.is_valid():
            start, end = form.cleaned_data["start"], form.cleaned_data["end"]
            response = StreamingHttpResponse(
                traffic.read_range(start, end), content_type="application/x-ndjson"
            )
            response["Content-Disposition"] = (
                f'attachment; filename="traffic-{start.isoformat()}-{end.isoformat()}.jsonl"'
            )
            return response
        status = 400
    else:
        today = timezone.localdate()
        form = RangeForm(initial={"start": today - dt.timedelta(days=6), "end": today})
    days = traffic.log_files()
    return TemplateResponse(
        request,
        "services/admin/traffic_export.html",
        {
            "form": form,
            "header_title": gettext("บันทึกการเข้าใช้งานเว็บไซต์ (log)"),
            "first_day": days[0][0] if days else None,
            "last_day": days[-1][0] if days else None,
            "file_count": len(days),
            "keep_days": traffic.keep_days(),
        },
        status=status,
    )
