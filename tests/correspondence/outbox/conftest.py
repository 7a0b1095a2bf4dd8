"""The outbox tests' fixtures: a real SMTP server in-process, Iskander and its people."""

from tests.support.outbox_fixtures import (  # noqa: F401 - fixtures
    iskander,
    klara,
    mailbox,
    make_user,
    piet,
    register,
)
