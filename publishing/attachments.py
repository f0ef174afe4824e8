"""Staff attachments stay private until the page they belong to is published.

A staff member's documents are stored in the "waiting for publication"
collection. Wagtail serves a document through its own view; the
``before_serve_document`` hook (``publishing.wagtail_hooks``) asks ``may_serve``
first, so a waiting document is read only by its uploader, the reviewers and
the web officers (``services.core.roles.may_see_unpublished_document``).
When a page is published, ``release_for`` moves the documents its body uses
to the public collection: from then on they are public as part of that page.
"""

from django.db import transaction
from wagtail.documents import get_document_model
from wagtail.models import Collection

from services.core import roles

PENDING_COLLECTION = "ไฟล์แนบรอเผยแพร่"


def pending_collection():
    root = Collection.get_first_root_node()
    existing = root.get_children().filter(name=PENDING_COLLECTION).first()
    if existing is not None:
        return existing
    return root.add_child(instance=Collection(name=PENDING_COLLECTION))


def is_pending(document):
    collection = document.collection
    return (
        collection is not None and collection.name == PENDING_COLLECTION and collection.depth == 2
    )


def may_serve(document, user):
    """May ``user`` (anonymous too) download ``document`` now?"""
    if not is_pending(document):
        return True
    return roles.may_see_unpublished_document(user, document)


def documents_in(value, found=None):
    """Every document a StreamField value (at any depth) points to."""
    Document = get_document_model()
    found = set() if found is None else found
    if isinstance(value, Document):
        found.add(value.pk)
    elif isinstance(value, dict) or hasattr(value, "values") and callable(value.values):
        for item in value.values():
            documents_in(item, found)
    elif (
        isinstance(value, list | tuple)
        or hasattr(value, "__iter__")
        and not isinstance(value, str | bytes)
    ):
        for item in value:
            documents_in(getattr(item, "value", item), found)
    return found


def release_for(page):
    """Make public the waiting documents that the published ``page`` shows."""
    from wagtail.fields import StreamField

    page = page.specific
    ids = set()
    for field in page._meta.get_fields():
        if isinstance(field, StreamField):
            documents_in(getattr(page, field.name), ids)
    if not ids:
        return 0
    root = Collection.get_first_root_node()
    with transaction.atomic():
        return (
            get_document_model()
            .objects.filter(pk__in=ids, collection__name=PENDING_COLLECTION)
            .update(collection=root)
        )


def on_page_published(sender, instance, **kwargs):
    release_for(instance)
