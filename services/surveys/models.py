"""Satisfaction survey answers: one per resolved ticket, or a walk-in's answer.

A walk-in answer has no ticket; an answer to a ticket's signed link has one,
and the one-to-one column makes a second answer for the same ticket
impossible in the database as well as in the form.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

SCORE_FIELDS = ("ease", "speed", "manner", "quality", "overall")
#: The score of one answer, as a database expression: the mean of its five questions.
SCORE_MEAN = (
    sum((models.F(name) for name in SCORE_FIELDS[1:]), models.F(SCORE_FIELDS[0]))
    * 1.0
    / len(SCORE_FIELDS)
)


def score_field(label):
    return models.PositiveSmallIntegerField(
        label, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )


class SurveyResponse(models.Model):
    class Channel(models.TextChoices):
        LINK = "link", _("ลิงก์ในอีเมล")
        WALK_IN = "walk_in", _("QR Code หน้าห้องบริการ")

    ticket = models.OneToOneField(
        "services.Ticket",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="survey",
        verbose_name=_("คำขอรับบริการ"),
    )
    service = models.ForeignKey(
        "services.ServicePage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="survey_responses",
        verbose_name=_("บริการ"),
    )
    channel = models.CharField(
        _("ช่องทาง"), max_length=10, choices=Channel.choices, default=Channel.LINK
    )
    ease = score_field(_("ความสะดวกในการขอรับบริการ"))
    speed = score_field(_("ความรวดเร็วในการให้บริการ"))
    manner = score_field(_("ความสุภาพและการให้บริการของเจ้าหน้าที่"))
    quality = score_field(_("คุณภาพของผลงานที่ได้รับ"))
    overall = score_field(_("ความพึงพอใจโดยรวม"))
    comment = models.TextField(_("ข้อเสนอแนะ"), blank=True)
    language = models.CharField(_("ภาษา"), max_length=8, default="th")
    created_at = models.DateTimeField(_("ตอบเมื่อ"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("ผลการประเมินความพึงพอใจ")
        verbose_name_plural = _("ผลการประเมินความพึงพอใจ")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["service", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    ease__gte=1,
                    ease__lte=5,
                    speed__gte=1,
                    speed__lte=5,
                    manner__gte=1,
                    manner__lte=5,
                    quality__gte=1,
                    quality__lte=5,
                    overall__gte=1,
                    overall__lte=5,
                ),
                name="survey_scores_one_to_five",
            ),
        ]

    def __str__(self):
        return f"{self.service_id} {self.created_at:%Y-%m-%d} {self.mean_score}"

    @property
    def scores(self):
        return [getattr(self, name) for name in SCORE_FIELDS]

    @property
    def mean_score(self):
        return sum(self.scores) / len(SCORE_FIELDS)
