"""Who may do what with news and announcements, as Wagtail page permissions.

Staff write and submit but never publish; group heads and directors review
(their approval rights come from the workflow tasks, the edit right lets them
find and correct drafts); web officers check and publish. Set idempotently by
``grant_publication_permissions``, which this app's ``register_group_permissions``
hook runs whenever ``services.core.roles.ensure_groups`` is called.
"""

from django.contrib.auth.models import Permission
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission

from services.core.roles import DIRECTORS, GROUP_HEADS, STAFF, WEB_OFFICERS

# Staff get "add" only: Wagtail then lets them edit the pages they own, not
# other people's; live pages are for web officers alone (the before_edit_page
# hook in publishing.wagtail_hooks asks services.core.roles.may_edit_live_page).
SECTION_PERMISSIONS = {
    STAFF: ["add_page"],
    GROUP_HEADS: ["change_page"],
    DIRECTORS: ["change_page"],
    WEB_OFFICERS: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
}

# Authors attach documents and images to their news. Their documents go to
# the collection that stays private until publication (publishing.attachments).
PENDING_COLLECTION_PERMISSIONS = {STAFF: [("wagtaildocs", "add_document")]}
COLLECTION_PERMISSIONS = {
    STAFF: [
        ("wagtaildocs", "choose_document"),
        ("wagtailimages", "add_image"),
        ("wagtailimages", "choose_image"),
    ],
    WEB_OFFICERS: [
        ("wagtaildocs", "add_document"),
        ("wagtaildocs", "change_document"),
        ("wagtaildocs", "choose_document"),
        ("wagtailimages", "add_image"),
        ("wagtailimages", "change_image"),
        ("wagtailimages", "choose_image"),
    ],
}


def grant_publication_permissions(groups):
    """Give ``groups`` (name -> Group) their rights on the publication sections."""
    from publishing.workflow import publication_sections

    page_perms = {
        p.codename: p
        for p in Permission.objects.filter(
            content_type__app_label="wagtailcore", content_type__model="page"
        )
    }
    for section in publication_sections():
        for name, codenames in SECTION_PERMISSIONS.items():
            for codename in codenames:
                GroupPagePermission.objects.get_or_create(
                    group=groups[name], page=section, permission=page_perms[codename]
                )
            # Rights granted by earlier versions and no longer in the table go.
            GroupPagePermission.objects.filter(group=groups[name], page=section).exclude(
                permission__codename__in=codenames
            ).delete()
    root = Collection.get_first_root_node()
    if root is None:
        return
    from publishing.attachments import pending_collection

    for collection, table in (
        (root, COLLECTION_PERMISSIONS),
        (pending_collection(), PENDING_COLLECTION_PERMISSIONS),
    ):
        for name, perms in table.items():
            for app_label, codename in perms:
                permission = Permission.objects.get(
                    content_type__app_label=app_label, codename=codename
                )
                GroupCollectionPermission.objects.get_or_create(
                    group=groups[name], collection=collection, permission=permission
                )
