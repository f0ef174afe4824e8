"""Officer-entered tickets: a phone call, a walk-in, a letter, a LINE message or an
e-mail becomes a ticket with the same steps and clock as one from the web form.

The officer first picks the service and the channel, then fills that service's
own request form (the requester's e-mail is optional here: a caller may have
none). ``open_ticket`` builds the ticket, as for every other source.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from services.catalogue.models import ServicePage
from services.core import roles
from services.requests.forms import form_class_for
from services.tickets import moves
from services.tickets.creation import open_ticket
from services.tickets.models import Ticket

OTHER_CHANNELS = [(value, label) for value, label in Ticket.Channel.choices if value != "web"]


class ChannelForm(forms.Form):
    service = forms.ModelChoiceField(
        label=_("บริการ"),
        queryset=ServicePage.objects.live().order_by("code", "title"),
        error_messages={
            "required": _("กรุณาเลือกบริการ"),
            "invalid_choice": _("กรุณาเลือกบริการจากรายการ"),
        },
    )
    channel = forms.ChoiceField(
        label=_("ช่องทางที่ผู้ขอติดต่อมา"),
        choices=OTHER_CHANNELS,
        error_messages={
            "required": _("กรุณาเลือกช่องทาง"),
            "invalid_choice": _("กรุณาเลือกช่องทางจากรายการ"),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].label_from_instance = lambda page: (
            f"{page.code} {page.title}".strip()
        )


def officer_form(service, data=None, files=None):
    """The service's own request form, as an officer fills it for someone else."""
    form = form_class_for(service.form_kind)(data, files, page=service, prefix="req")
    form.use_required_attribute = False
    email = form.fields["requester_email"]
    email.required = False
    email.help_text = _("ถ้ามี ผู้ขอจะได้รับเลขที่คำขอและลิงก์ติดตามทางอีเมล")
    form.fields["consent"].label = _("ผู้ขอยินยอมให้เก็บและใช้ข้อมูลส่วนบุคคลเพื่อการให้บริการนี้")
    form.fields["consent"].error_messages["required"] = _("กรุณาสอบถามและบันทึกความยินยอมของผู้ขอก่อน")
    del form.fields["website"]
    return form


def new_ticket(request):
    user = request.user
    if not roles.may_enter_tickets(user):
        raise PermissionDenied
    source = request.POST if request.method == "POST" else request.GET
    chooser = ChannelForm(source or None)
    if not chooser.is_bound or not chooser.is_valid():
        status = 400 if chooser.is_bound else 200
        return TemplateResponse(
            request, "services/admin/new_ticket.html", {"chooser": chooser}, status=status
        )
    service = chooser.cleaned_data["service"].specific
    channel = chooser.cleaned_data["channel"]
    if request.method != "POST":
        form = officer_form(service)
    else:
        form = officer_form(service, request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            ticket = open_ticket(
                service,
                {
                    "requester_name": data["requester_name"],
                    "requester_org": data["requester_org"],
                    "requester_phone": data["requester_phone"],
                    "requester_email": data.get("requester_email") or "",
                },
                form.answers(),
                files=data.get("attachments") or [],
                channel=channel,
            )
            moves.log_move(ticket, "create", user, channel=channel)
            messages.success(
                request,
                gettext("บันทึกคำขอ %(reference)s (%(channel)s) แล้ว")
                % {"reference": ticket.reference, "channel": ticket.get_channel_display()},
            )
            return redirect("services_ticket_modeladmin_inspect", ticket.pk)
        messages.error(request, gettext("กรุณาแก้ไขข้อมูลที่ทำเครื่องหมายไว้"))
    return TemplateResponse(
        request,
        "services/admin/new_ticket.html",
        {"chooser": chooser, "service": service, "channel": channel, "form": form},
        status=400 if form.is_bound else 200,
    )
