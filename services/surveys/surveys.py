"""The satisfaction survey: signed links, the invitation e-mail, the form and saving.

A ticket's link carries the ticket id signed with a salt of its own
(``django.core.signing``), so it cannot be guessed or reused for another
ticket. One answer per ticket is enforced twice: the form says so in Thai
before saving, and the one-to-one column refuses a second row if two answers
race.
"""

from django import forms
from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from services.core.models import OutboxMessage
from services.core.outbox import queue_email
from services.core.sanitise import clean_text
from services.surveys.models import SCORE_FIELDS, SurveyResponse
from services.tickets.models import Ticket

SALT = "services.survey"
LINK_MAX_AGE = 180 * 24 * 3600  # a link older than half a year is refused
SCORE_CHOICES = [(value, str(value)) for value in range(5, 0, -1)]
SCALE_HELP = _("5 = มากที่สุด 4 = มาก 3 = ปานกลาง 2 = น้อย 1 = น้อยที่สุด")


class AlreadyAnswered(Exception):
    """The ticket already has an answer."""


# --- links -------------------------------------------------------------------
def make_token(ticket):
    return signing.dumps({"t": ticket.pk}, salt=SALT, compress=True)


def ticket_for_token(token):
    """The ticket a token was made for, or None if it is forged, altered or too old."""
    try:
        payload = signing.loads(token, salt=SALT, max_age=LINK_MAX_AGE)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    ticket_id = payload.get("t") if isinstance(payload, dict) else None
    if not isinstance(ticket_id, int):
        return None
    return Ticket.objects.select_related("service").filter(pk=ticket_id).first()


def survey_url(ticket):
    path = reverse("services:survey", args=[make_token(ticket)])
    suffix = "?lang=en" if ticket.language == "en" else ""
    return f"{settings.WAGTAILADMIN_BASE_URL}{path}{suffix}"


def walk_in_url(page):
    return settings.WAGTAILADMIN_BASE_URL + reverse("services:survey_walk_in", args=[page.slug])


def invitation_key(ticket):
    return f"ticket:{ticket.pk}:survey"


def send_survey_invitation(ticket):
    """Queue the survey e-mail in the requester's language; once per ticket.

    Called by the desk when it resolves a ticket and by the post_save handler
    in ``services.models.surveys``; the outbox key makes the second call a
    no-op, and a ticket that already has an answer is not invited again.
    """
    key = invitation_key(ticket)
    existing = OutboxMessage.objects.filter(key=key).first()
    if existing is not None:
        return existing
    if not ticket.requester_email or SurveyResponse.objects.filter(ticket=ticket).exists():
        return None
    language = ticket.language if ticket.language in ("th", "en") else "th"
    return queue_email(
        key,
        ticket.requester_email,
        "survey_invitation",
        {"ticket": ticket, "survey_url": survey_url(ticket)},
        language=language,
        kind="survey_invitation",
    )


# --- the form ---------------------------------------------------------------------
class SurveyForm(forms.Form):
    use_required_attribute = True

    ease = forms.TypedChoiceField(coerce=int, choices=SCORE_CHOICES, widget=forms.RadioSelect)
    speed = forms.TypedChoiceField(coerce=int, choices=SCORE_CHOICES, widget=forms.RadioSelect)
    manner = forms.TypedChoiceField(coerce=int, choices=SCORE_CHOICES, widget=forms.RadioSelect)
    quality = forms.TypedChoiceField(coerce=int, choices=SCORE_CHOICES, widget=forms.RadioSelect)
    overall = forms.TypedChoiceField(coerce=int, choices=SCORE_CHOICES, widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("ข้อเสนอแนะเพิ่มเติม (ถ้ามี)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": _("ข้อเสนอแนะยาวได้ไม่เกิน 2,000 ตัวอักษร")},
    )
    # Hidden from people by CSS; bots fill every field they find.
    website = forms.CharField(label=_("เว็บไซต์ (เว้นว่าง)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in SCORE_FIELDS:
            field = self.fields[name]
            field.label = SurveyResponse._meta.get_field(name).verbose_name
            field.error_messages["required"] = _("กรุณาเลือกคะแนนข้อนี้")
            field.error_messages["invalid_choice"] = _("กรุณาเลือกคะแนน 1 ถึง 5")
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    def score_fields(self):
        return [self[name] for name in SCORE_FIELDS]

    def clean_comment(self):
        return clean_text(self.cleaned_data.get("comment") or "")

    def clean(self):
        cleaned = super().clean()
        if self.data.get("website"):
            raise forms.ValidationError(_("ไม่สามารถส่งแบบประเมินได้ กรุณาลองใหม่อีกครั้ง"), code="spam")
        return cleaned


# --- saving -------------------------------------------------------------------------
def has_answer(ticket):
    return SurveyResponse.objects.filter(ticket=ticket).exists()


def record_answer(cleaned_data, *, ticket=None, service=None, language="th", now=None):
    """Save one answer; raises ``AlreadyAnswered`` for a ticket answered before."""
    values = {name: cleaned_data[name] for name in SCORE_FIELDS}
    extra = {"created_at": now} if now else {}
    if ticket is not None:
        if has_answer(ticket):
            raise AlreadyAnswered
        try:
            with transaction.atomic():
                return SurveyResponse.objects.create(
                    ticket=ticket,
                    service_id=ticket.service_id,
                    channel=SurveyResponse.Channel.LINK,
                    comment=cleaned_data.get("comment", ""),
                    language=language,
                    **values,
                    **extra,
                )
        except IntegrityError:  # a second answer raced the first one
            raise AlreadyAnswered
    return SurveyResponse.objects.create(
        service=service,
        channel=SurveyResponse.Channel.WALK_IN,
        comment=cleaned_data.get("comment", ""),
        language=language,
        **values,
        **extra,
    )
