"""Indexes for the desk's SLA filters at a million tickets.

- ``ticketstep_status_due_warn`` (in place of ``ticketstep_status_due``): the
  sweep's active steps past due, and the filters' active steps due later, with
  their "due soon" moment, read from the index alone.
- ``ticketstep_missed``: the steps that settled a breach, keyed by ticket, so
  "has this ticket missed a target?" is one probe of it (``deadlines.missed_q``;
  the condition must stay the very expression the queries use).

A step the requester acts on has no due time. Re-timing one by an alternative
target once gave it one; those steps lose it here, as they would now.
"""

from django.conf import settings
from django.db import migrations, models


def clear_requester_due_times(apps, schema_editor):
    TicketStep = apps.get_model("services", "TicketStep")
    TicketStep.objects.filter(status="active", role="requester", due_at__isnull=False).update(
        due_at=None, warn_at=None
    )


class Migration(migrations.Migration):
    dependencies = [
        ("services", "0021_ticket_search_fts"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(model_name="ticketstep", name="ticketstep_status_due"),
        migrations.AddIndex(
            model_name="ticketstep",
            index=models.Index(
                fields=["status", "due_at", "warn_at"], name="ticketstep_status_due_warn"
            ),
        ),
        migrations.AddIndex(
            model_name="ticketstep",
            index=models.Index(
                condition=models.Q(
                    ("breached", True),
                    models.Q(
                        ("done_at__gt", models.F("due_at")),
                        ("due_at__isnull", False),
                        ("status", "done"),
                    ),
                    _connector="OR",
                ),
                fields=["ticket"],
                name="ticketstep_missed",
            ),
        ),
        migrations.RunPython(clear_requester_due_times, migrations.RunPython.noop, elidable=True),
    ]
