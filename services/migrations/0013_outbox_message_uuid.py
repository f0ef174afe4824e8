import uuid

from django.db import migrations, models


def give_each_message_its_uuid(apps, schema_editor):
    OutboxMessage = apps.get_model("services", "OutboxMessage")
    for pk in OutboxMessage.objects.filter(uuid__isnull=True).values_list("pk", flat=True):
        OutboxMessage.objects.filter(pk=pk).update(uuid=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [
        ("services", "0012_report_rollups"),
    ]

    operations = [
        migrations.AddField(
            model_name="outboxmessage",
            name="uuid",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.RunPython(give_each_message_its_uuid, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="outboxmessage",
            name="uuid",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
    ]
