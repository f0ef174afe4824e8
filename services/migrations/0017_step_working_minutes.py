from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('services', '0016_ticket_channel_staff'),
    ]

    operations = [
        migrations.AddField(
            model_name='ticketstep',
            name='working_minutes',
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name='เวลาทำการที่ใช้ (นาที)'),
        ),
        migrations.RenameField(
            model_name='stepday',
            old_name='minutes_sum',
            new_name='working_minutes_sum',
        ),
    ]
