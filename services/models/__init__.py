"""Models of the services app, one module per concern."""

from .outbox import OutboxMessage  # noqa: F401
