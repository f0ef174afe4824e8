"""Office minutes of the steps done before ``TicketStep.working_minutes`` existed.

Runs outside one big transaction: each batch of 2,000 steps commits on its own,
so a large table is not locked for the whole run, and a run that stops half way
carries on where it stopped (it only fills steps still without a value). Steps
are read by primary key ranges, never all at once.

The roll-ups' time sums were elapsed minutes, and the cached percentiles of
each period were elapsed too: the cache is emptied and the daily roll-ups are
marked to be rebuilt from the tickets on their next refresh.
"""

from django.db import migrations, transaction

BATCH = 2000


def backfill(apps, schema_editor):
    from services.core.clock import BusinessClock

    db = schema_editor.connection.alias
    TicketStep = apps.get_model("services", "TicketStep")
    SpecialDay = apps.get_model("services", "SpecialDay")
    holidays, working = {}, {}
    for day, name, kind in SpecialDay.objects.using(db).values_list("date", "name", "kind"):
        (working if kind == "working" else holidays)[day] = name
    clock = BusinessClock(extra_holidays=holidays, extra_workdays=working)
    steps = (
        TicketStep.objects.using(db)
        .filter(
            status="done",
            started_at__isnull=False,
            done_at__isnull=False,
            working_minutes__isnull=True,
        )
        .order_by("pk")
        .only("pk", "started_at", "done_at")
    )
    last = 0
    while True:
        batch = list(steps.filter(pk__gt=last)[:BATCH])
        if not batch:
            break
        for step in batch:
            step.working_minutes = clock.working_minutes_between(step.started_at, step.done_at)
        with transaction.atomic(using=db):
            TicketStep.objects.using(db).bulk_update(batch, ["working_minutes"])
        last = batch[-1].pk

    PeriodFigures = apps.get_model("services", "PeriodFigures")
    RollupWatermark = apps.get_model("services", "RollupWatermark")
    with transaction.atomic(using=db):
        PeriodFigures.objects.using(db).all().delete()
        RollupWatermark.objects.using(db).filter(name="daily").update(last_ticket=0)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ('services', '0017_step_working_minutes'),
    ]

    operations = [
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
    ]
