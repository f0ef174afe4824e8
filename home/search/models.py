"""Models of the site search: the synonyms editors keep, the index's vocabulary
(for matching misspellings) and the daily log of queries (no personal data)."""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

from home.search.text import plain_query, word_key

MAX_SYNONYM_WORDS = 12
_SEPARATORS = re.compile(r"[,\n\r;、，]+")


class Synonym(models.Model):
    """A word people type, and the words it means: เน็ต → อินเทอร์เน็ต, ซูม → Zoom."""

    term = models.CharField(
        _("คำที่ผู้ค้นพิมพ์"),
        max_length=100,
        help_text=_("คำพูด คำทับศัพท์ คำสะกดผิดที่พบบ่อย หรือคำภาษาอังกฤษ เช่น เน็ต ซูม wifi"),
    )
    key = models.CharField(max_length=100, unique=True, editable=False)
    means = models.TextField(
        _("หมายถึง"),
        help_text=_("คำที่ใช้ค้นแทน คั่นด้วยจุลภาค เช่น อินเทอร์เน็ต, เครือข่าย"),
    )
    updated_at = models.DateTimeField(_("ปรับปรุงเมื่อ"), auto_now=True)

    panels = [FieldPanel("term"), FieldPanel("means")]

    class Meta:
        verbose_name = _("คำพ้องความหมายสำหรับการค้นหา")
        verbose_name_plural = _("คำพ้องความหมายสำหรับการค้นหา")
        ordering = ["term"]

    def __str__(self):
        return f"{self.term} → {', '.join(self.words())}"

    def save(self, *args, **kwargs):
        self.term = plain_query(self.term)[:100]
        self.key = word_key(self.term)
        self.means = ", ".join(self.split_words(self.means))
        super().save(*args, **kwargs)

    @staticmethod
    def split_words(text):
        words = []
        for part in _SEPARATORS.split(text or ""):
            word = plain_query(part)[:100]
            if word_key(word) and word.lower() not in (w.lower() for w in words):
                words.append(word)
        return words

    def words(self):
        return self.split_words(self.means)

    def clean(self):
        super().clean()
        self.term = plain_query(self.term)[:100]
        self.key = word_key(self.term)
        errors = {}
        if not self.key:
            errors["term"] = _("กรุณาพิมพ์คำที่ผู้ค้นใช้ เป็นตัวอักษรหรือตัวเลข")
        elif Synonym.objects.filter(key=self.key).exclude(pk=self.pk).exists():
            errors["term"] = _("มีคำนี้ในรายการคำพ้องความหมายแล้ว")
        words = self.split_words(self.means)
        if not words:
            errors["means"] = _("กรุณาใส่คำที่ใช้ค้นแทนอย่างน้อยหนึ่งคำ")
        elif len(words) > MAX_SYNONYM_WORDS:
            errors["means"] = _("ใส่ได้ไม่เกิน %(count)s คำ") % {"count": MAX_SYNONYM_WORDS}
        if errors:
            raise ValidationError(errors)
        self.means = ", ".join(words)


class SearchWord(models.Model):
    """One word of the search index's vocabulary, kept as pages are published."""

    word = models.CharField(max_length=100, unique=True)

    class Meta:
        verbose_name = _("คำในดัชนีค้นหา")

    def __str__(self):
        return self.word


class SearchQueryLog(models.Model):
    """How often a query was searched on one day, and how many results it found.

    Only the query text (with e-mail addresses, phone numbers and request
    references removed), the day and counts: nothing about who searched.
    """

    day = models.DateField(_("วันที่"), db_index=True)
    query = models.CharField(_("คำค้น"), max_length=200)
    searches = models.PositiveIntegerField(_("จำนวนครั้งที่ค้น"), default=0)
    hits = models.PositiveIntegerField(_("จำนวนผลลัพธ์"), default=0)

    class Meta:
        verbose_name = _("บันทึกคำค้น")
        verbose_name_plural = _("บันทึกคำค้น")
        constraints = [
            models.UniqueConstraint(fields=["day", "query"], name="search_log_one_row_per_day")
        ]

    def __str__(self):
        return f"{self.day} {self.query}"
