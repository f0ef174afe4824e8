"""The people who use the site, as Django groups.

Group names are stable identifiers used in code and tests; each issue's app
adds the permissions its group needs in ``ensure_groups``.
"""

from django.utils.translation import gettext_lazy as _

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

# Demo account name -> (groups, is_superuser, Thai full name)
DEMO_ACCOUNTS = {
    "admin": ((), True, ("ผู้ดูแล", "ระบบ")),
    "officer": ((OFFICERS, WEB_OFFICERS), False, ("สมชาย", "ใจดี")),
    "approver": ((GROUP_HEADS,), False, ("วิไลวรรณ", "ศรีสุข")),
    "director": ((DIRECTORS,), False, ("ประเสริฐ", "มั่นคง")),
    "staff": ((STAFF,), False, ("กมลชนก", "แก้วใส")),
    "executive": ((EXECUTIVES,), False, ("ธนพล", "รุ่งเรือง")),
}


def ensure_groups():
    """Create every group with admin access; apps add their own permissions.

    Idempotent. The publication workflow and its page permissions are set here
    too, for the sections that exist.
    """
    from django.contrib.auth.models import Group, Permission

    access_admin = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    groups = {}
    for name in GROUP_LABELS:
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(access_admin)
        groups[name] = group

    from publishing.permissions import grant_publication_permissions
    from publishing.workflow import ensure_workflow

    ensure_workflow()
    grant_publication_permissions(groups)
    return groups
