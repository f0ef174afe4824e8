from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "publishing"
    verbose_name = "การเผยแพร่ข้อมูลทางเว็บไซต์"
