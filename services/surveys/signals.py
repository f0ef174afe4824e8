"""Signal receivers of the surveys package, connected in ``ServicesConfig.ready``."""

from django.db.models.signals import post_save

from services.surveys.surveys import send_survey_invitation


def _ticket_saved(sender, instance, created, update_fields=None, raw=False, **kwargs):
    """Invite the requester once the ticket is resolved.

    The desk's "resolve" move calls ``send_survey_invitation`` itself; this
    handler also catches a ticket resolved any other way (the admin, a
    script). Both paths use the outbox key ``ticket:<id>:survey``, so the
    requester gets one e-mail however many times the ticket is saved.
    """
    if raw or instance.status != "resolved":
        return
    if update_fields is not None and "status" not in update_fields:
        return
    send_survey_invitation(instance)


def connect():
    post_save.connect(_ticket_saved, sender="services.Ticket", dispatch_uid="survey_invitation")
