"""Rebuild the search vocabulary (used to match misspelled words) from every live page."""

from django.core.management.base import BaseCommand

from home.search import vocabulary


class Command(BaseCommand):
    help = "Rebuild the site search's vocabulary from every live page."

    def handle(self, *args, **options):
        count = vocabulary.rebuild()
        self.stdout.write(f"{count} words")
