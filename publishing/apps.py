"""The publication workflow app (service 7 of the SOP)."""

from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "publishing"
    verbose_name = "การเผยแพร่ข้อมูลทางเว็บไซต์"

    def ready(self):
        from wagtail.models import WorkflowState
        from wagtail.signals import (
            page_published,
            task_approved,
            task_rejected,
            task_submitted,
            workflow_approved,
            workflow_rejected,
            workflow_submitted,
        )

        from publishing import attachments, notifications, tasks, tickets
        from publishing.models import TimedTaskState
        from services.tickets.sla import sla_sweep_requested

        task_submitted.connect(
            notifications.on_task_submitted,
            sender=TimedTaskState,
            dispatch_uid="publishing_task_submitted",
        )
        # These dispatch_uids are the ones wagtail.admin registers its direct
        # e-mails under. This app is listed before wagtail.admin, so its
        # receivers take the slots first and Django skips Wagtail's: every
        # workflow message then goes through the outbox instead.
        for signal, receiver, uid in (
            (
                workflow_submitted,
                notifications.on_workflow_submitted,
                "workflow_state_submitted_email_notification",
            ),
            (
                workflow_rejected,
                notifications.on_workflow_rejected,
                "workflow_state_rejected_email_notification",
            ),
            (
                workflow_approved,
                notifications.on_workflow_approved,
                "workflow_state_approved_email_notification",
            ),
        ):
            signal.connect(receiver, sender=WorkflowState, dispatch_uid=uid)
        # The service ticket of a staff submission follows its workflow.
        task_approved.connect(
            tickets.on_task_approved,
            sender=TimedTaskState,
            dispatch_uid="publishing_ticket_task_approved",
        )
        task_rejected.connect(
            tickets.on_task_rejected,
            sender=TimedTaskState,
            dispatch_uid="publishing_ticket_task_rejected",
        )
        workflow_submitted.connect(
            tickets.on_workflow_resubmitted,
            sender=WorkflowState,
            dispatch_uid="publishing_ticket_resubmitted",
        )
        # Staff attachments become public with the page that shows them.
        page_published.connect(
            attachments.on_page_published, dispatch_uid="publishing_release_attachments"
        )
        sla_sweep_requested.connect(tasks.on_sla_sweep, dispatch_uid="publishing_sla_sweep")
        # Desk moves on a publication ticket act through its workflow: one state.
        tickets.connect_desk_moves()
