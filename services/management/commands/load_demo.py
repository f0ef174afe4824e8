"""Load the demo site. Safe to run again: existing content is left as it is."""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create demo pages, news, services, tickets and settings (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the site already has a home page.",
        )

    def handle(self, *args, if_empty=False, **options):
        from home.models import HomePage
        from services.demo import load_demo

        if if_empty and HomePage.objects.exists():
            self.stdout.write("demo content already present")
            return
        load_demo(log=lambda msg: self.stdout.write(f"  {msg}"))
        self.stdout.write(self.style.SUCCESS("demo content ready"))
