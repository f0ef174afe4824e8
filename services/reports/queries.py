"""Database pieces the reports are built from: durations and percentiles per group.

Everything here runs in the database: one query per table, no loop over
tickets in Python. Durations are elapsed minutes between a step's start and
its end. Percentiles are continuous (linear interpolation, as PostgreSQL's
``percentile_cont``); on SQLite, which lacks it, the same value is computed
with window functions over each group.
"""

from django.db import connection
from django.db.models import Aggregate, F, FloatField, Func, Q

from services.tickets.models import TicketStep
from services.tickets.sla import step_breached_q


class MinutesBetween(Func):
    """Elapsed minutes ``end - start`` as a float; arguments are (end, start)."""

    output_field = FloatField()
    arity = 2

    def as_sql(self, compiler, connection, **extra):
        raise NotImplementedError("reports run on SQLite and PostgreSQL")

    def as_sqlite(self, compiler, connection, **extra):
        # Django stores SQLite datetimes as UTC text that julianday() reads natively.
        return super().as_sql(
            compiler,
            connection,
            template="((julianday(%(expressions)s)) * 1440.0)",
            arg_joiner=") - julianday(",
            **extra,
        )

    def as_postgresql(self, compiler, connection, **extra):
        return super().as_sql(
            compiler,
            connection,
            template="(EXTRACT(EPOCH FROM (%(expressions)s)) / 60.0)",
            arg_joiner=" - ",
            **extra,
        )


def minutes_between(start, end):
    return MinutesBetween(end, start)


class PercentileCont(Aggregate):
    """PostgreSQL's ordered-set aggregate percentile_cont(p) WITHIN GROUP (ORDER BY x)."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression, fraction, **extra):
        super().__init__(expression, fraction=float(fraction), **extra)


def breached_q(now=None):
    """A step missed its target: the one definition, from ``services.tickets.sla``."""
    return step_breached_q(now)


def within_target_q():
    return Q(status=TicketStep.Status.DONE, due_at__isnull=False, done_at__lte=F("due_at"))


def finished_timed_q():
    return Q(status=TicketStep.Status.DONE, due_at__isnull=False, done_at__isnull=False)


def step_percentiles(steps, groups, fractions=(0.5, 0.9)):
    """{group tuple: [value per fraction]} of the elapsed minutes of finished steps.

    ``steps`` is a TicketStep queryset already filtered to the period;
    ``groups`` maps output names to expressions (e.g. {"g_position": F("position")}).
    """
    finished = steps.filter(
        status=TicketStep.Status.DONE, started_at__isnull=False, done_at__isnull=False
    )
    names = list(groups)
    duration = minutes_between(F("started_at"), F("done_at"))
    if connection.vendor == "postgresql":
        rows = (
            finished.annotate(**groups)
            .values(*names)
            .annotate(**{f"p{i}": PercentileCont(duration, f) for i, f in enumerate(fractions)})
            .order_by()
        )
        return {
            tuple(row[n] for n in names): [row[f"p{i}"] for i in range(len(fractions))]
            for row in rows
        }
    inner = finished.annotate(**groups, d=duration).values(*names, "d").order_by()
    sql, params = inner.query.sql_with_params()
    cols = ", ".join(connection.ops.quote_name(n) for n in names)
    picks = []
    for i, fraction in enumerate(fractions):
        # h = (n - 1) * p; value = x[floor h] + (x[floor h + 1] - x[floor h]) * frac(h)
        h = f"((n - 1) * {float(fraction)!r})"
        lo = f"CAST({h} AS INTEGER)"
        picks.append(
            f"SUM(CASE WHEN rn = {lo} + 1 THEN d * (1 - ({h} - {lo})) "
            f"WHEN rn = {lo} + 2 THEN d * ({h} - {lo}) ELSE 0 END) AS p{i}"
        )
    query = (
        f"SELECT {cols}, {', '.join(picks)} FROM ("
        f"SELECT {cols}, d, ROW_NUMBER() OVER (PARTITION BY {cols} ORDER BY d) AS rn, "
        f"COUNT(*) OVER (PARTITION BY {cols}) AS n FROM ({sql}) AS durations"
        f") AS ranked GROUP BY {cols}"
    )
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return {tuple(row[: len(names)]): list(row[len(names) :]) for row in cursor.fetchall()}
