"""Roles and permissions: the one place that answers "may this person ...?".

The people who use the site are Django groups. Group names are stable
identifiers used in code and tests; a user's groups are read once per request
and cached on the user object. Every view, admin panel, menu item, report and
move asks the functions here, so one question always gets one answer.

Other apps grant their own object permissions (the publication sections,
for example) through the ``register_group_permissions`` Wagtail hook, which
``ensure_groups`` calls with the groups it made: this module imports no app
above it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, Group

OFFICERS = "Officers"
GROUP_HEADS = "Group heads"
DIRECTORS = "Directors"
STAFF = "Staff"
WEB_OFFICERS = "Web officers"
EXECUTIVES = "Executives"

GROUP_LABELS = {
    OFFICERS: _("เจ้าหน้าที่ ICT"),
    GROUP_HEADS: _("หัวหน้ากลุ่ม (ผู้อนุมัติ)"),
    DIRECTORS: _("ผู้อำนวยการ"),
    STAFF: _("บุคลากร"),
    WEB_OFFICERS: _("เจ้าหน้าที่เว็บไซต์"),
    EXECUTIVES: _("ผู้บริหาร"),
}

# Roles on the desk, named as the service standards name the acting role.
OFFICER = "officer"
APPROVER = "approver"
DIRECTOR = "director"
EXECUTIVE = "executive"

GROUP_ROLES = {OFFICERS: OFFICER, GROUP_HEADS: APPROVER, DIRECTORS: DIRECTOR, EXECUTIVES: EXECUTIVE}
ROLE_GROUPS = {role: group for group, role in GROUP_ROLES.items()}
#: The roles a service standard may name on an approval step.
APPROVAL_ROLES = (APPROVER, DIRECTOR, EXECUTIVE)
ROLE_LABELS = {
    OFFICER: _("เจ้าหน้าที่ ICT"),
    APPROVER: _("หัวหน้ากลุ่ม (ผู้อนุมัติ)"),
    DIRECTOR: _("ผู้อำนวยการ"),
    EXECUTIVE: _("ผู้บริหาร"),
}

#: Who reads the service and publication reports (not Staff).
REPORT_READERS = (EXECUTIVES, OFFICERS, GROUP_HEADS, DIRECTORS, WEB_OFFICERS)
#: Who sends news through the staff publication form.
PUBLICATION_SUBMITTERS = (STAFF, WEB_OFFICERS)


# --- who is asking ----------------------------------------------------------------
def is_active_user(user: AbstractBaseUser | None) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def group_names(user: AbstractBaseUser | None) -> frozenset[str]:
    """The names of the user's groups, read once and cached on the user object."""
    if not is_active_user(user):
        return frozenset()
    cached = getattr(user, "_group_names", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._group_names = cached
    return cached


def in_any_group(user: AbstractBaseUser | None, names) -> bool:
    """True for an active superuser or a member of any of ``names``."""
    if not is_active_user(user):
        return False
    return user.is_superuser or bool(group_names(user).intersection(names))


def user_roles(user: AbstractBaseUser | None) -> frozenset[str]:
    """The desk roles (officer, approver, director, executive) of a user."""
    names = group_names(user)
    return frozenset(role for group, role in GROUP_ROLES.items() if group in names)


# --- the questions ------------------------------------------------------------------
def sees_desk(user: AbstractBaseUser | None) -> bool:
    """May open the officers' desk (tickets, bookings) in the admin."""
    return is_active_user(user) and (
        user.is_superuser or bool(user_roles(user)) or bool(acting_roles(user))
    )


def may_enter_tickets(user: AbstractBaseUser | None) -> bool:
    """May record a request that came by phone, walk-in, letter, LINE or e-mail."""
    return has_role(user, OFFICER)


def may_download_attachments(user: AbstractBaseUser | None) -> bool:
    """May download a ticket's files through the desk: whoever sees the desk
    (approvers and directors judge a request by its documents)."""
    return sees_desk(user)


def is_read_only(user: AbstractBaseUser | None) -> bool:
    """Sees the desk but moves nothing except the approvals their role is named
    on (executives)."""
    return not (is_active_user(user) and user.is_superuser) and not (user_roles(user) - {EXECUTIVE})


def is_officer(user: AbstractBaseUser | None) -> bool:
    """An ICT officer (or a superuser): handles tickets, outbox, attachments."""
    return in_any_group(user, (OFFICERS,))


def has_role(user: AbstractBaseUser | None, role: str) -> bool:
    """True if a superuser or a member of the group that plays ``role``."""
    return is_active_user(user) and (user.is_superuser or role in user_roles(user))


def can_view_reports(user: AbstractBaseUser | None) -> bool:
    """May read the service reports, the dashboard KPIs and the publication report."""
    return in_any_group(user, REPORT_READERS)


def can_submit_publication(user: AbstractBaseUser | None) -> bool:
    """May send news through the staff publication form."""
    return in_any_group(user, PUBLICATION_SUBMITTERS)


def approving_role(step) -> str:
    """The role that approves ``step``: the one the standard names (group head,
    director or executive); any other role on an approval step means group head."""
    return step.role if step.role in APPROVAL_ROLES else APPROVER


def acting_roles(user: AbstractBaseUser | None, on=None) -> frozenset[str]:
    """The approval roles ``user`` holds today as a deputy (รักษาราชการแทน)."""
    if not is_active_user(user):
        return frozenset()
    on = on or timezone.localdate()
    cache = getattr(user, "_acting_roles", None)
    if cache is not None and cache[0] == on:
        return cache[1]
    from services.core.models import ActingAssignment

    groups = ActingAssignment.objects.filter(
        deputy=user, starts_on__lte=on, ends_on__gte=on, principal__is_active=True
    ).values_list("principal__groups__name", flat=True)
    roles = frozenset(
        GROUP_ROLES[name] for name in groups if GROUP_ROLES.get(name) in APPROVAL_ROLES
    )
    user._acting_roles = (on, roles)
    return roles


def approval_roles(user: AbstractBaseUser | None, on=None) -> frozenset[str]:
    """The approval roles a user may act in today: their own and those they act for."""
    return (user_roles(user) & frozenset(APPROVAL_ROLES)) | acting_roles(user, on)


def approves_anything(user: AbstractBaseUser | None) -> bool:
    return is_active_user(user) and (user.is_superuser or bool(approval_roles(user)))


def may_approve(user: AbstractBaseUser | None, step, on=None) -> bool:
    """May approve or reject ``step`` (an approval step of a ticket): members of
    the role the step names, their active deputies, and superusers."""
    if step is None or step.kind != "approval" or not is_active_user(user):
        return False
    return user.is_superuser or approving_role(step) in approval_roles(user, on)


def may_name_deputy(user: AbstractBaseUser | None) -> bool:
    """May name a deputy for themselves: a member of an approval role (or a
    superuser, who may name one for anyone)."""
    return is_active_user(user) and (
        user.is_superuser or bool(user_roles(user) & frozenset(APPROVAL_ROLES))
    )


def approvers(role: str, on=None):
    """Active users who may approve a step of ``role`` today: the role's members
    and their active deputies (superusers are not told of every approval)."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    from services.core.models import ActingAssignment

    on = on or timezone.localdate()
    group = ROLE_GROUPS[role if role in APPROVAL_ROLES else APPROVER]
    deputies = ActingAssignment.objects.filter(
        starts_on__lte=on, ends_on__gte=on, principal__is_active=True, principal__groups__name=group
    ).values("deputy_id")
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(groups__name=group) | Q(pk__in=deputies))
        .distinct()
        .order_by("pk")
    )


def may_edit_page(user: AbstractBaseUser | None, page) -> bool:
    """May edit ``page`` in the admin: Wagtail's page permissions, and a live page
    only by web officers (the publication SOP's last step)."""
    if not (is_active_user(user) and page.permissions_for_user(user).can_edit()):
        return False
    return not page.live or may_edit_live_page(user)


# Who reads a staff member's attachments before they are published: the
# reviewers of the publication workflow and the web officers.
UNPUBLISHED_READERS = (GROUP_HEADS, DIRECTORS, WEB_OFFICERS)


def may_see_unpublished_document(user: AbstractBaseUser | None, document) -> bool:
    """May read ``document`` while the page it belongs to is not yet published."""
    if not is_active_user(user):
        return False
    if user.is_superuser or document.uploaded_by_user_id == user.pk:
        return True
    return in_any_group(user, UNPUBLISHED_READERS)


#: Who edits or publishes pages that are already live.
LIVE_PAGE_EDITORS = (WEB_OFFICERS,)


def may_edit_live_page(user: AbstractBaseUser | None) -> bool:
    """May change a page that is published: web officers (and superusers) only.

    Staff write and submit their own drafts; reviewers correct drafts in review.
    """
    return in_any_group(user, LIVE_PAGE_EDITORS)


def may_unlock_logins(user: AbstractBaseUser | None) -> bool:
    """May see locked-out logins and unlock them (delete their failed attempts)."""
    return is_active_user(user) and (
        user.is_superuser or user.has_perm("axes.delete_accessattempt")
    )


def can_export_traffic_logs(user: AbstractBaseUser | None) -> bool:
    """May download the site's traffic logs (administrators only)."""
    return is_active_user(user) and user.is_superuser


#: The permission that lets an officer export or erase one person's data (PDPA).
PERSONAL_DATA_PERMISSION = "services.manage_personal_data"


def can_manage_personal_data(user: AbstractBaseUser | None) -> bool:
    """May export and erase everything held about one e-mail or phone number."""
    return is_active_user(user) and (user.is_superuser or user.has_perm(PERSONAL_DATA_PERMISSION))


def emails_of(group_name: str) -> list[str]:
    """The e-mail addresses of the active members of a group, sorted."""
    from django.contrib.auth import get_user_model

    return sorted(
        set(
            get_user_model()
            .objects.filter(groups__name=group_name, is_active=True)
            .exclude(email="")
            .values_list("email", flat=True)
        )
    )


# --- setting up -----------------------------------------------------------------------
def ensure_groups() -> dict[str, Group]:
    """Create every group with admin access, then let apps add their permissions.

    Idempotent. Each function registered with the ``register_group_permissions``
    Wagtail hook is called with ``{group name: Group}``.
    """
    from django.contrib.auth.models import Group, Permission
    from wagtail import hooks

    access_admin = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    groups = {}
    for name in GROUP_LABELS:
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(access_admin)
        groups[name] = group
    for grant in hooks.get_hooks("register_group_permissions"):
        grant(groups)
    return groups
