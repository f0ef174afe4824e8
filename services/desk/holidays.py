"""The days the clock skips, by fiscal year (B.E.), and the special days officers keep.

``/admin/holidays/?year=2569`` lists the government's holidays of fiscal year
B.E. 2569 (1 October 2025 – 30 September 2026) with their Thai names, and the
special holidays and make-up working days the cabinet declared. Officers add
and remove special days here; the clock reads them on its next use.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from home.thai import BE_OFFSET, BEDateField, fiscal_year_be, fiscal_year_bounds
from services.core import roles
from services.core.clock import get_clock
from services.core.models import SpecialDay
from services.core.sanitise import clean_text

KIND_LABELS = {
    "holiday": _("วันหยุดราชการ"),
    "special": _("วันหยุดพิเศษ"),
    "working": _("วันทำงานชดเชย"),
}


class SpecialDayForm(forms.ModelForm):
    date = BEDateField(label=_("วันที่"))

    class Meta:
        model = SpecialDay
        fields = ["date", "name", "kind"]

    def clean_name(self):
        name = clean_text(self.cleaned_data["name"]).strip()
        if not name:
            raise forms.ValidationError(gettext("กรุณาระบุชื่อวัน"))
        return name


def _fiscal_year(request):
    """The fiscal year (B.E.) asked for, the current one by default; None if invalid."""
    text = request.GET.get("year", "")
    if not text:
        return fiscal_year_be(timezone.now())
    if not text.isdigit() or len(text) != 4:
        return None
    year = int(text)
    return year if 2500 <= year <= 2700 else None


def holidays_page(request):
    user = request.user
    if not roles.sees_desk(user):
        raise PermissionDenied
    if request.method == "POST" and not roles.is_officer(user):
        raise PermissionDenied
    year = _fiscal_year(request)
    status = 200
    form = None
    if request.method == "POST":
        form = SpecialDayForm(request.POST)
        if form.is_valid():
            day = form.save()
            messages.success(request, gettext("บันทึก “%(name)s” แล้ว") % {"name": day.name})
            return redirect(f"{reverse('desk_holidays')}?year={fiscal_year_be(day.date)}")
        status = 400
    elif roles.is_officer(user):
        form = SpecialDayForm()
    if year is None:
        year = fiscal_year_be(timezone.now())
        status = 400
        messages.error(request, gettext("ปีงบประมาณไม่ถูกต้อง กรุณาระบุเป็นปี พ.ศ. เช่น 2569"))
    first, last = fiscal_year_bounds(year - BE_OFFSET)
    clock = get_clock()
    rows = [
        {
            "date": day,
            "name": name,
            "kind": kind,
            "kind_label": KIND_LABELS[kind],
            "weekend": day.weekday() not in clock.workdays,
            "special": SpecialDay.objects.filter(date=day).first() if kind != "holiday" else None,
        }
        for day, name, kind in clock.closed_days(first, last)
    ]
    return TemplateResponse(
        request,
        "services/admin/holidays.html",
        {
            "year": year,
            "previous_year": year - 1,
            "next_year": year + 1,
            "rows": rows,
            "skipped": sum(1 for r in rows if r["kind"] != "working" and not r["weekend"]),
            "form": form,
            "may_edit": roles.is_officer(user),
            "header_title": gettext("วันหยุดราชการ ปีงบประมาณ %(year)s") % {"year": year},
        },
        status=status,
    )


@require_POST
def special_day_delete(request, pk):
    if not roles.is_officer(request.user):
        raise PermissionDenied
    day = get_object_or_404(SpecialDay, pk=pk)
    year = fiscal_year_be(day.date)
    day.delete()
    messages.success(request, gettext("ลบ “%(name)s” แล้ว") % {"name": day.name})
    return redirect(f"{reverse('desk_holidays')}?year={year}")
