import uuid

import django.utils.timezone
from django.db import migrations, models


def fill(apps, schema_editor):
    Booking = apps.get_model("services", "Booking")
    for booking in Booking.objects.all().only("pk", "created_at"):
        Booking.objects.filter(pk=booking.pk).update(
            uuid=uuid.uuid4(), updated_at=booking.created_at
        )


class Migration(migrations.Migration):

    dependencies = [
        ("services", "0006_outbox_thread"),
    ]

    operations = [
        migrations.AddField(
            model_name="booking",
            name="uuid",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="booking",
            name="sequence",
            field=models.PositiveIntegerField(default=0, verbose_name="แก้ไขครั้งที่"),
        ),
        migrations.AddField(
            model_name="booking",
            name="updated_at",
            field=models.DateTimeField(
                default=django.utils.timezone.now, verbose_name="แก้ไขล่าสุด"
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="booking",
            name="uuid",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
    ]
