"""Deputies (รักษาราชการแทน): an approver names who acts for them, and when.

One admin page lists the assignments a person may see (their own as principal
or deputy; every one for a superuser), adds one, and ends one early. Whether
a deputy may approve a step is answered by ``roles.may_approve``.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from home.thai import BEDateField
from services.core import roles
from services.core.models import ActingAssignment


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return user.get_full_name() or user.get_username()


class ActingForm(forms.ModelForm):
    principal = UserChoiceField(queryset=get_user_model().objects.none(), label=_("ผู้มอบหมาย"))
    deputy = UserChoiceField(queryset=get_user_model().objects.none(), label=_("ผู้รักษาราชการแทน"))
    starts_on = BEDateField(label=_("ตั้งแต่วันที่"))
    ends_on = BEDateField(label=_("ถึงวันที่"))

    class Meta:
        model = ActingAssignment
        fields = ["principal", "deputy", "starts_on", "ends_on", "note"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        users = get_user_model().objects.filter(is_active=True).order_by("first_name", "username")
        self.fields["deputy"].queryset = users
        if user.is_superuser:
            self.fields["principal"].queryset = users
        else:
            del self.fields["principal"]
            self.instance.principal = user

    def clean(self):
        cleaned = super().clean()
        ends_on = cleaned.get("ends_on")
        if ends_on and ends_on < timezone.localdate():
            self.add_error("ends_on", gettext("วันสิ้นสุดต้องไม่เป็นวันที่ผ่านมาแล้ว"))
        return cleaned


def visible_assignments(user):
    queryset = ActingAssignment.objects.select_related("principal", "deputy")
    if user.is_superuser:
        return queryset
    return queryset.filter(Q(principal=user) | Q(deputy=user))


def acting_index(request):
    user = request.user
    if not (roles.may_name_deputy(user) or roles.acting_roles(user)):
        raise PermissionDenied
    form = None
    status = 200
    if roles.may_name_deputy(user):
        if request.method == "POST":
            form = ActingForm(request.POST, user=user)
            if form.is_valid():
                form.save()
                messages.success(request, gettext("บันทึกผู้รักษาราชการแทนแล้ว"))
                return redirect("desk_acting")
            status = 400
        else:
            form = ActingForm(user=user)
    elif request.method == "POST":
        raise PermissionDenied
    today = timezone.localdate()
    return TemplateResponse(
        request,
        "services/admin/acting.html",
        {
            "form": form,
            "assignments": visible_assignments(user),
            "today": today,
            "page_title": gettext("ผู้รักษาราชการแทน"),
        },
        status=status,
    )


@require_POST
def acting_end(request, pk):
    """End an assignment today (the principal or a superuser)."""
    assignment = get_object_or_404(visible_assignments(request.user), pk=pk)
    if not (request.user.is_superuser or assignment.principal_id == request.user.pk):
        raise PermissionDenied
    today = timezone.localdate()
    if assignment.starts_on > today:
        assignment.delete()
    else:
        yesterday = today - timezone.timedelta(days=1)
        assignment.ends_on = max(assignment.starts_on, yesterday)
        if assignment.starts_on == today:
            assignment.delete()
        else:
            assignment.save(update_fields=["ends_on"])
    messages.success(request, gettext("ยุติการรักษาราชการแทนแล้ว"))
    return redirect("desk_acting")
