"""The staff submission: one function turns a filled form into a draft in the workflow.

``create_submission`` stores the attachments, creates the draft news page
owned by the author, saves its first revision and starts the publication
workflow and opens the request's service ticket, all in one transaction.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from wagtail.documents import get_document_model

from publishing.attachments import pending_collection
from publishing.tickets import open_ticket
from publishing.workflow import start_publication
from services.core.sanitise import clean_html


def clean_body(text):
    """The body of a staff submission, through the one sanitiser."""
    return clean_html(text)


def _unique_slug(section, day):
    base = f"{section.slug}-{day:%Y%m%d}"
    taken = set(section.get_children().filter(slug__startswith=base).values_list("slug", flat=True))
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    return slug


def store_attachments(user, files):
    Document = get_document_model()
    # Private until the page is published (publishing.attachments).
    collection = pending_collection()
    documents = []
    for upload in files:
        document = Document(
            title=upload.name, file=upload, collection=collection, uploaded_by_user=user
        )
        document._set_document_file_metadata()
        document.save()
        documents.append(document)
    return documents


def build_body(body_html, documents):
    blocks = [{"type": "paragraph", "value": body_html}]
    blocks += [
        {"type": "document", "value": {"document": doc.pk, "title": doc.title}} for doc in documents
    ]
    return blocks


@transaction.atomic
def create_submission(user, cleaned_data, files=()):
    """Create the author's draft news page and start the publication workflow.

    ``cleaned_data`` holds section (a NewsIndexPage), title, summary, body
    (HTML, cleaned again here) and optionally go_live_at and slug; ``files`` are uploaded
    files to attach as documents. Returns the page.
    """
    from home.models import NewsPage

    section = cleaned_data["section"]
    today = timezone.localdate()
    documents = store_attachments(user, files)
    page = NewsPage(
        title=cleaned_data["title"],
        slug=cleaned_data.get("slug") or _unique_slug(section, today),
        date=today,
        summary=cleaned_data.get("summary", ""),
        body=build_body(clean_body(cleaned_data["body"]), documents),
        go_live_at=cleaned_data.get("go_live_at"),
        owner=user,
        live=False,
    )
    section.add_child(instance=page)
    page.save_revision(user=user, log_action=True)
    workflow_state = start_publication(page, user)
    # The request also becomes a ticket of the catalogue's publication service,
    # its first step's clock started at the same moment as the first task's.
    task_state = workflow_state.current_task_state
    open_ticket(
        page, user, workflow_state.workflow, now=task_state.started_at if task_state else None
    )
    return page


def is_future(moment):
    return moment is None or moment > timezone.now() + dt.timedelta(minutes=1)
