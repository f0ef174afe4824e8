"""The services app: one Django app (label ``services``) cut into packages.

Its models live in the packages that own them; ``import_models`` loads each
package's ``models`` module, so Django sees one app and the migrations stay
one history. ``ready`` does the wiring that would otherwise make a lower
layer import a higher one: signal receivers, the public views of service
pages and the Django-Q2 schedules.
"""

from importlib import import_module

from django.apps import AppConfig
from django.db.models.signals import post_migrate, post_save

# Packages with models, bottom layer first.
MODEL_PACKAGES = ("core", "catalogue", "tickets", "bookings", "surveys", "reports")


class ServicesConfig(AppConfig):
    name = "services"
    verbose_name = "บริการและงานคำขอ"

    def import_models(self):
        self.models = self.apps.all_models[self.label]
        for package in MODEL_PACKAGES:
            self.models_module = import_module(f"{self.name}.{package}.models")

    def ready(self):
        from services.bookings import scheduling
        from services.catalogue.models import ServicePage
        from services.core import outbox
        from services.core.schedules import ensure_schedules
        from services.requests import views
        from services.surveys import signals as survey_signals

        ServicePage.public_views = views
        survey_signals.connect()
        scheduling.connect()
        post_save.connect(
            outbox.forget_reply_to, sender="home.OfficeSettings", dispatch_uid="outbox_reply_to"
        )
        post_migrate.connect(ensure_schedules, sender=self)
