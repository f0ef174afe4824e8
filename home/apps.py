from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = "เว็บไซต์"

    def ready(self):
        from django.db.models.signals import post_delete, post_save
        from wagtail.models import Site
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from home.models import OfficeSettings
        from home.pagecache import purge

        uid = "home.pagecache.purge"
        page_published.connect(purge, dispatch_uid=f"{uid}.published")
        page_unpublished.connect(purge, dispatch_uid=f"{uid}.unpublished")
        post_page_move.connect(purge, dispatch_uid=f"{uid}.moved")
        post_save.connect(purge, sender=OfficeSettings, dispatch_uid=f"{uid}.settings")
        post_save.connect(purge, sender=Site, dispatch_uid=f"{uid}.site")
        post_delete.connect(purge_deleted_page, dispatch_uid=f"{uid}.deleted")

        page_published.connect(_record_page_words, dispatch_uid="home_search_vocabulary")

        from home.search.expand import forget_synonyms
        from home.search.models import Synonym

        post_save.connect(forget_synonyms, sender=Synonym, dispatch_uid="home_synonyms_saved")
        post_delete.connect(forget_synonyms, sender=Synonym, dispatch_uid="home_synonyms_deleted")


def purge_deleted_page(sender, instance, **kwargs):
    from wagtail.models import Page

    from home.pagecache import purge

    if isinstance(instance, Page):
        purge()


def _record_page_words(sender, instance, **kwargs):
    """A published page's words join the search vocabulary (for misspellings)."""
    from home.search import vocabulary

    vocabulary.add_page(instance.specific)
