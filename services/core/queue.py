"""Handing work to Django-Q2: one broker per process, and an enqueue that never
breaks the request when the broker is down (a periodic sweep finds the work)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django_q.brokers import Broker

log = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def shared_broker() -> Broker:
    """One broker per process: building one per call is slow on Redis."""
    from django_q.brokers import get_broker

    return get_broker()


def enqueue(func: str | Callable[..., Any], *args: Any, **kwargs: Any) -> str | None:
    """Hand a task to Django-Q2; if the broker is unreachable, log and go on.

    Callers only enqueue work that a periodic sweep also finds, so a failed
    enqueue delays the work and loses nothing.
    """
    from django_q.tasks import async_task

    try:
        return async_task(func, *args, broker=shared_broker(), **kwargs)
    except Exception:  # the broker being down must not break the request
        log.warning("could not enqueue %s%r; the sweep will pick it up", func, args, exc_info=True)
        return None
