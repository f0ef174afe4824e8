"""Database pieces the reports are built from: durations and percentiles per group.

Everything here runs in the database: one query per table, no loop over
tickets in Python. A step's duration is counted in working time: the office
minutes it took on the business clock (``TicketStep.working_minutes``, kept
when the step was done), the same basis as the targets and the on-time shares.
The elapsed (wall-clock) minutes from start to done are computed beside them,
for the reader who wants both. Percentiles are continuous (linear
interpolation, as PostgreSQL's ``percentile_cont``); on SQLite, which lacks
it, the same value is computed with window functions over each group.
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


#: What the step-time percentiles are taken of: the office minutes a step took
#: (kept on the step when it was done, the basis of targets and on-time shares),
#: and the elapsed minutes from start to done, shown beside them.
WORKING_MINUTES = F("working_minutes")
ELAPSED_MINUTES = minutes_between(F("started_at"), F("done_at"))
MEDIAN_P90 = (0.5, 0.9)


def step_percentiles(steps, groups, measures=None):
    """{group tuple: {measure: [value per fraction]}} over the finished steps.

    ``steps`` is a TicketStep queryset already filtered to the period;
    ``groups`` maps output names to expressions (e.g. {"g_position": F("position")});
    ``measures`` maps a name to (expression, fractions), by default
    {"working": (working minutes, (0.5, 0.9)), "elapsed": (elapsed minutes, (0.5,))}.
    A step without a value (NULL) is left out of that measure only.
    """
    if measures is None:
        measures = {"working": (WORKING_MINUTES, MEDIAN_P90), "elapsed": (ELAPSED_MINUTES, (0.5,))}
    finished = steps.filter(
        status=TicketStep.Status.DONE, started_at__isnull=False, done_at__isnull=False
    )
    names = list(groups)
    labels = {
        f"m{m}p{i}": (name, i)
        for m, (name, (_e, fractions)) in enumerate(measures.items())
        for i in range(len(fractions))
    }

    def shaped(key_values, values):
        result = {name: [None] * len(fractions) for name, (_e, fractions) in measures.items()}
        for label, value in zip(labels.values(), values, strict=True):
            result[label[0]][label[1]] = value
        return tuple(key_values), result

    if connection.vendor == "postgresql":
        aggregates = {}
        for m, (expression, fractions) in enumerate(measures.values()):
            for i, fraction in enumerate(fractions):
                aggregates[f"m{m}p{i}"] = PercentileCont(expression, fraction)
        rows = finished.annotate(**groups).values(*names).annotate(**aggregates).order_by()
        return dict(
            shaped([row[n] for n in names], [row[label] for label in labels]) for row in rows
        )
    values = {f"d{m}": expression for m, (expression, _f) in enumerate(measures.values())}
    inner = finished.annotate(**groups, **values).values(*names, *values).order_by()
    sql, params = inner.query.sql_with_params()
    cols = ", ".join(connection.ops.quote_name(n) for n in names)
    ranks, picks = [], []
    for m, (_expression, fractions) in enumerate(measures.values()):
        d = f"d{m}"
        # NULLs last, and not counted: ranks 1..n are the values.
        ranks.append(
            f"{d}, ROW_NUMBER() OVER (PARTITION BY {cols} ORDER BY {d} IS NULL, {d}) AS rn{m}, "
            f"COUNT({d}) OVER (PARTITION BY {cols}) AS n{m}"
        )
        for i, fraction in enumerate(fractions):
            # h = (n - 1) * p; value = x[floor h] + (x[floor h + 1] - x[floor h]) * frac(h)
            h = f"((n{m} - 1) * {float(fraction)!r})"
            lo = f"CAST({h} AS INTEGER)"
            picks.append(
                f"SUM(CASE WHEN n{m} = 0 THEN NULL "
                f"WHEN rn{m} = {lo} + 1 THEN {d} * (1 - ({h} - {lo})) "
                f"WHEN rn{m} = {lo} + 2 THEN {d} * ({h} - {lo}) END) AS m{m}p{i}"
            )
    query = (
        f"SELECT {cols}, {', '.join(picks)} FROM ("
        f"SELECT {cols}, {', '.join(ranks)} FROM ({sql}) AS durations"
        f") AS ranked GROUP BY {cols}"
    )
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return dict(shaped(row[: len(names)], row[len(names) :]) for row in cursor.fetchall())
