"""Small admin views that are not a model listing."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail_modeladmin.helpers import PermissionHelper

from services.core import outbox
from services.core.models import OutboxMessage
from services.core.roles import is_officer


class ReadOnlyPermissionHelper(PermissionHelper):
    """Listed and inspected by whoever ``may_see``; never added, edited or deleted
    through the admin (the system writes these rows, or moves change them)."""

    def may_see(self, user):
        raise NotImplementedError

    def user_can_list(self, user):
        return self.may_see(user)

    def user_can_inspect_obj(self, user, obj):
        return self.may_see(user)

    def user_can_create(self, user):
        return False

    def user_can_edit_obj(self, user, obj):
        return False

    def user_can_delete_obj(self, user, obj):
        return False


@require_POST
def retry_failed_messages(request):
    if not is_officer(request.user):
        raise PermissionDenied
    count = outbox.retry_failed(OutboxMessage.objects.all())
    messages.success(
        request, _("นำข้อความที่ส่งไม่สำเร็จกลับเข้าคิวแล้ว %(count)s รายการ") % {"count": count}
    )
    return redirect("services_outboxmessage_modeladmin_index")
