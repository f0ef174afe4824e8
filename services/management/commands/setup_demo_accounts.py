"""Create one demo account per role with a generated password.

Passwords are printed and kept in a git-ignored file so the next run shows
the same ones; an existing account's password is never changed.
"""

import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from services.core.roles import ensure_groups
from services.demo.accounts import DEMO_ACCOUNTS

ACCOUNTS_FILE = Path(settings.BASE_DIR) / "demo-accounts.txt"


def _read_saved():
    saved = {}
    if ACCOUNTS_FILE.exists():
        for line in ACCOUNTS_FILE.read_text(encoding="utf-8").splitlines():
            parts = line.split()
            if len(parts) >= 2 and parts[0] in DEMO_ACCOUNTS:
                saved[parts[0]] = parts[1]
    return saved


class Command(BaseCommand):
    help = "Create demo accounts (admin, officer, approver, director, staff, executive)."

    def handle(self, *args, **options):
        User = get_user_model()
        groups = ensure_groups()
        saved = _read_saved()
        lines = []
        for username, (group_names, is_superuser, (first, last)) in DEMO_ACCOUNTS.items():
            user = User.objects.filter(username=username).first()
            if user is None:
                password = secrets.token_urlsafe(12)
                user = User.objects.create_user(
                    username=username,
                    password=password,
                    email=f"{username}@example.go.th",
                    first_name=first,
                    last_name=last,
                    is_staff=is_superuser,
                    is_superuser=is_superuser,
                )
            else:
                password = saved.get(username, "(unchanged)")
            user.groups.add(*(groups[name] for name in group_names))
            lines.append(f"{username:<10} {password:<20} {', '.join(group_names) or 'superuser'}")
        ACCOUNTS_FILE.write_text("\n".join(lines) + "\n", encoding="utf-8")
        ACCOUNTS_FILE.chmod(0o600)
        self.stdout.write("Demo accounts (saved to demo-accounts.txt):")
        for line in lines:
            self.stdout.write(f"  {line}")
