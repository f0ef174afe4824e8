from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = "เว็บไซต์"

    def ready(self):
        from wagtail.signals import page_published

        page_published.connect(_record_page_words, dispatch_uid="home_search_vocabulary")


def _record_page_words(sender, instance, **kwargs):
    """A published page's words join the search vocabulary (for misspellings)."""
    from home.search import vocabulary

    vocabulary.add_page(instance.specific)
