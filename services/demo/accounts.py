"""Demo accounts: one per role, with a generated password (``setup_demo_accounts``)."""

from services.core.roles import DIRECTORS, EXECUTIVES, GROUP_HEADS, OFFICERS, STAFF, WEB_OFFICERS

# Demo account name -> (groups, is_superuser, Thai full name)
DEMO_ACCOUNTS = {
    "admin": ((), True, ("ผู้ดูแล", "ระบบ")),
    "officer": ((OFFICERS, WEB_OFFICERS), False, ("สมชาย", "ใจดี")),
    "approver": ((GROUP_HEADS,), False, ("วิไลวรรณ", "ศรีสุข")),
    "director": ((DIRECTORS,), False, ("ประเสริฐ", "มั่นคง")),
    "staff": ((STAFF,), False, ("กมลชนก", "แก้วใส")),
    "executive": ((EXECUTIVES,), False, ("ธนพล", "รุ่งเรือง")),
}
