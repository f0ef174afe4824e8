"""Who may read reports: executives, officers, group heads and directors (not Staff)."""

from home.roles import DIRECTORS, EXECUTIVES, GROUP_HEADS, OFFICERS

REPORT_READERS = (EXECUTIVES, OFFICERS, GROUP_HEADS, DIRECTORS)


def can_view_reports(user):
    if not (user and user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or user.groups.filter(name__in=REPORT_READERS).exists()
