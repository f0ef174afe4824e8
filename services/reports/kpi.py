"""Satisfaction KPI arithmetic, the usual Thai government formula.

A five-point mean is shown as a percentage: mean ÷ 5 × 100. A service meets
its KPI when that percentage reaches its target (70 % unless the service
says otherwise).
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

SCALE_MAX = 5
DEFAULT_TARGET = Decimal("70")
FORMULA = _("ร้อยละความพึงพอใจ = คะแนนเฉลี่ย ÷ 5 × 100")


def _round(value, places="0.01"):
    return Decimal(value).quantize(Decimal(places), rounding=ROUND_HALF_UP)


def percent_from_mean(mean):
    if mean is None:
        return None
    return _round(Decimal(str(mean)) / SCALE_MAX * 100)


@dataclass(frozen=True)
class Satisfaction:
    mean: Decimal | None
    count: int
    target: Decimal = DEFAULT_TARGET

    @classmethod
    def from_aggregate(cls, mean, count, target=DEFAULT_TARGET):
        return cls(
            None if mean is None else _round(str(mean)), int(count or 0), Decimal(str(target))
        )

    @property
    def percent(self):
        return percent_from_mean(self.mean)

    @property
    def met(self):
        return self.percent is not None and self.percent >= self.target
