"""A staff member's attachments are private until the page that shows them is published."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.documents import get_document_model

from publishing.attachments import PENDING_COLLECTION
from tests import publishing_support as support
from tests.publishing_support import submit
from tests.services_data import pdf_bytes

publication = support.publication
people = support.people

pytestmark = pytest.mark.django_db


def submitted_document(publication, author):
    upload = SimpleUploadedFile("budget-2569.pdf", pdf_bytes(), content_type="application/pdf")
    page = submit(publication, author, files=[upload])
    document = get_document_model().objects.get(title="budget-2569.pdf")
    return page, document


def status_for(client, document, user=None):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(document.url).status_code


def test_unpublished_attachment_is_404_to_strangers_and_200_to_readers(publication, people, client):
    page, document = submitted_document(publication, people["staff"])
    assert document.collection.name == PENDING_COLLECTION
    assert document.url.startswith("/documents/")
    assert status_for(client, document) == 404
    assert status_for(client, document, people["other"]) == 404  # another staff member
    for reader in ("staff", "head", "director", "officer"):
        assert status_for(client, document, people[reader]) == 200, reader

    page.get_latest_revision().publish(user=people["officer"])
    document.refresh_from_db()
    assert document.collection.name != PENDING_COLLECTION
    assert status_for(client, document) == 200


def test_publishing_another_page_releases_nothing(publication, people, client):
    _page, document = submitted_document(publication, people["staff"])
    other = submit(publication, people["other"], title="ข่าวอื่น")
    other.get_latest_revision().publish(user=people["officer"])
    assert status_for(client, document) == 404


def test_documents_uploaded_by_officers_stay_public(publication, people, client):
    from wagtail.models import Collection

    document = get_document_model().objects.create(
        title="คู่มือ",
        file=SimpleUploadedFile("manual.pdf", pdf_bytes()),
        collection=Collection.get_first_root_node(),
        uploaded_by_user=people["officer"],
    )
    assert status_for(client, document) == 200
