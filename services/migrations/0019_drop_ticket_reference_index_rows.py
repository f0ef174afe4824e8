"""Tickets, their steps and bookings leave Wagtail's reference index
(``wagtail_reference_index_ignore``): the rows it kept for them go."""

from django.db import migrations


def drop_rows(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ReferenceIndex = apps.get_model("wagtailcore", "ReferenceIndex")
    types = ContentType.objects.filter(
        app_label="services", model__in=("ticket", "ticketstep", "booking")
    )
    ReferenceIndex.objects.filter(content_type__in=types).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("services", "0018_backfill_step_working_minutes"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0001_initial"),
    ]

    operations = [migrations.RunPython(drop_rows, migrations.RunPython.noop)]
