"""The query log (one row per query and day) and its monthly report."""

import datetime

from django.db import connection
from django.db.models import Max, Sum
from django.utils import timezone

from home.search.models import SearchQueryLog
from home.search.text import MAX_QUERY_LENGTH, normal_form, scrub


def record(query, hits, day=None):
    """Count one search of ``query`` today, with e-mails, phones and references removed.

    One upsert statement, safe under concurrent writers on SQLite and PostgreSQL.
    """
    text = scrub(normal_form(query))[:MAX_QUERY_LENGTH].strip()
    if not text:
        return
    day = day or timezone.localdate()
    table = connection.ops.quote_name(SearchQueryLog._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (day, query, searches, hits) VALUES (%s, %s, 1, %s) "
            f"ON CONFLICT (day, query) DO UPDATE SET searches = {table}.searches + 1, "
            f"hits = EXCLUDED.hits",
            [day.isoformat(), text, max(0, int(hits))],
        )


def month_bounds(year, month):
    start = datetime.date(year, month, 1)
    end = datetime.date(year + (month == 12), month % 12 + 1, 1)
    return start, end


def month_rows(year, month):
    """Every query of the month: [{query, times, found}] most searched first.

    ``found`` is the most results the query gave on any day of the month.
    """
    start, end = month_bounds(year, month)
    return (
        SearchQueryLog.objects.filter(day__gte=start, day__lt=end)
        .values("query")
        .annotate(times=Sum("searches"), found=Max("hits"))
        .order_by("-times", "query")
    )


def month_report(year, month, limit=50):
    rows = month_rows(year, month)
    return {
        "top": list(rows[:limit]),
        "not_found": list(rows.filter(found=0)[:limit]),
        "total": SearchQueryLog.objects.filter(
            day__gte=month_bounds(year, month)[0], day__lt=month_bounds(year, month)[1]
        ).aggregate(total=Sum("searches"))["total"]
        or 0,
    }
