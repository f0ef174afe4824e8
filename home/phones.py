"""Thai phone numbers with an extension: parsed, stored normalised, dialled by a tel: link.

"02 123 4567 ต่อ 123" is stored as "+6621234567;ext=123" (E.164 from the
``phonenumbers`` package, plus the extension), shown as "02 123 4567 ต่อ 123"
and linked as "tel:+6621234567,123" (the comma waits for the call to connect,
then dials the extension).
"""

import re

import phonenumbers
from django import forms
from django.utils.translation import gettext_lazy as _

_EXTENSION = re.compile(r"\s*(?:ต่อ|ext\.?|extension|x|#|;ext=)\s*(\d{1,6})\s*$", re.IGNORECASE)
MAX_LENGTH = 40


def parse_phone(text):
    """(E.164 number, extension) of a Thai landline or mobile number, or None."""
    text = (text or "").strip()
    if not text or len(text) > MAX_LENGTH:
        return None
    extension = ""
    match = _EXTENSION.search(text)
    if match:
        extension = match.group(1)
        text = text[: match.start()]
    if not re.fullmatch(r"[0-9+()\-.\s]{6,30}", text):
        return None
    try:
        number = phonenumbers.parse(text, "TH")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164), extension


def normalise_phone(text):
    """'+6621234567;ext=123' (stored form), or None when not a valid number."""
    parsed = parse_phone(text)
    if parsed is None:
        return None
    number, extension = parsed
    return f"{number};ext={extension}" if extension else number


def display_phone(text):
    """'02 123 4567 ต่อ 123'; text that is not a number is returned as it is."""
    parsed = parse_phone(text)
    if parsed is None:
        return text or ""
    number, extension = parsed
    national = phonenumbers.format_number(
        phonenumbers.parse(number, "TH"), phonenumbers.PhoneNumberFormat.NATIONAL
    )
    return f"{national} ต่อ {extension}" if extension else national


def tel_href(text):
    """'tel:+6621234567,123', or '' when the text is not a number."""
    parsed = parse_phone(text)
    if parsed is None:
        return ""
    number, extension = parsed
    return f"tel:{number},{extension}" if extension else f"tel:{number}"


class PhoneField(forms.CharField):
    """A Thai phone number, optionally with an extension; cleaned to the stored form."""

    default_error_messages = {
        "invalid": _("กรุณากรอกหมายเลขโทรศัพท์ให้ถูกต้อง เช่น 081 234 5678 หรือ 02 123 4567 ต่อ 123"),
        "max_length": _("กรุณากรอกหมายเลขโทรศัพท์ไม่เกิน 40 ตัวอักษร"),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", MAX_LENGTH)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "tel")

    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return value
        normalised = normalise_phone(value)
        if normalised is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return normalised
