import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import translation

from home import thai

BKK = ZoneInfo("Asia/Bangkok")


def render(template, **context):
    return Template(template).render(Context(context))


@pytest.mark.parametrize(
    "day, expected",
    [
        (dt.date(2026, 11, 22), "22 พฤศจิกายน 2569"),
        (dt.date(2026, 12, 31), "31 ธันวาคม 2569"),
        (dt.date(2027, 1, 1), "1 มกราคม 2570"),
        (dt.date(2026, 9, 30), "30 กันยายน 2569"),
        (dt.date(2026, 10, 1), "1 ตุลาคม 2569"),
    ],
)
def test_thai_date_uses_buddhist_era(day, expected):
    with translation.override("th"):
        assert render("{{ d|thai_date }}", d=day) == expected


def test_datetime_is_shown_in_bangkok_time():
    # 31 Dec 2026 20:00 UTC is already 1 Jan 2027 03:00 in Bangkok.
    moment = dt.datetime(2026, 12, 31, 20, 0, tzinfo=dt.UTC)
    with translation.override("th"):
        assert render("{{ d|thai_datetime }}", d=moment) == "1 มกราคม 2570 เวลา 03:00 น."
        assert render("{{ d|fiscal_year }}", d=moment) == "2570"


@pytest.mark.parametrize(
    "day, fiscal_be",
    [
        (dt.date(2026, 9, 30), 2569),
        (dt.date(2026, 10, 1), 2570),
        (dt.date(2026, 12, 31), 2570),
        (dt.date(2027, 1, 1), 2570),
        (dt.date(2027, 9, 30), 2570),
        (dt.date(2027, 10, 1), 2571),
    ],
)
def test_fiscal_year_edges(day, fiscal_be):
    assert thai.fiscal_year_be(day) == fiscal_be
    assert render("{{ d|fiscal_year }}", d=day) == str(fiscal_be)


def test_fiscal_year_label_and_bounds():
    with translation.override("th"):
        assert thai.fiscal_year_label(dt.date(2026, 10, 1)) == "ปีงบประมาณ พ.ศ. 2570"
    with translation.override("en"):
        assert thai.fiscal_year_label(dt.date(2026, 10, 1)) == "Fiscal year B.E. 2570"
    assert thai.fiscal_year_bounds(2027) == (dt.date(2026, 10, 1), dt.date(2027, 9, 30))


def test_english_keeps_buddhist_era():
    with translation.override("en"):
        assert thai.thai_date(dt.date(2026, 11, 22)) == "22 November B.E. 2569"


def test_empty_values_render_nothing():
    assert render("{{ d|thai_date }}|{{ d|fiscal_year }}", d=None) == "|"
