"""Load the demo site. Safe to run again: existing content is left as it is."""

from importlib import import_module

from django.core.management.base import BaseCommand

# Each app that contributes demo content has a ``demo`` module with ``build(log)``.
DEMO_MODULES = [
    "home.demo",
    "services.demo",
    # Past requests with survey answers first, so the desk lists today's work on top.
    "services.demo_surveys",
    "services.demo_desk",
    "publishing.demo",
]


class Command(BaseCommand):
    help = "Create demo pages, news and settings (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true",
                            help="Do nothing when the site already has a home page.")

    def handle(self, *args, if_empty=False, **options):
        from home.models import HomePage

        if if_empty and HomePage.objects.exists():
            self.stdout.write("demo content already present")
            return
        for name in DEMO_MODULES:
            try:
                module = import_module(name)
            except ModuleNotFoundError as exc:
                if exc.name != name:
                    raise
                continue
            module.build(log=lambda msg: self.stdout.write(f"  {msg}"))
        self.stdout.write(self.style.SUCCESS("demo content ready"))
