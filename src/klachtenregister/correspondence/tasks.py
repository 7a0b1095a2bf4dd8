"""The outbox's background tasks (Django's tasks API through django-tasks, database backend).

A task is a row in the database (``django_tasks_db``) that any ``run_worker`` process sharing the
database claims with ``SELECT ... FOR UPDATE SKIP LOCKED`` and runs; docs/architecture.md says
why this framework. The tasks are thin: the work and its time (``now``) are in ``delivery``,
where tests call it directly.
"""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from klachtenregister.correspondence import delivery


@task()
def deliver_message(message_id: int) -> bool:
    """Deliver one queued message now (enqueued when its transaction commits)."""
    return delivery.deliver_one(message_id, timezone.now())


@task()
def deliver_outbox() -> int:
    """Deliver every due message: retries after their back-off, and any message whose own task
    was lost. Returns how many were delivered."""
    return delivery.deliver_due(timezone.now())
