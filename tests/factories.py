"""The one way the tests make people: factory_boy factories for users and their memberships.

    UserFactory(
        username="piet", full_name="Piet Pietersen", memberships=[(iskander, RoleKind.HANDLER)]
    )

- ``full_name`` is split at its first space into first and last name: events and letters name a
  user by full name (``klachtenregister.register.models.person_name``), and without one by
  username.
- ``email`` defaults to ``<username>@example.org``; pass ``email=""`` for someone without an
  address (letters to them go by post, digests skip them).
- The password is unusable unless a test passes one (``password="..."``, hashed with the
  settings' hasher): hashing costs a third of a second, and most tests log in with
  ``client.force_login``.
- ``memberships``: ``(organisation, kind)`` pairs, kind a ``RoleKind`` or its value.

Organisations come from the presets: the ``regulations`` fixture (tests/conftest.py) loads them
all, and ``loaded_organisation`` (or the ``organisation`` fixture) gets one by its slug.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import factory
from django.contrib.auth.models import User
from factory.django import DjangoModelFactory, Password

from klachtenregister.register.models import Membership, Organisation
from klachtenregister.regulations.vocabulary import RoleKind

Memberships = Iterable[tuple[Organisation, RoleKind | str]]

# The ``staff`` fixture (tests/conftest.py): ``staff(organisation, username="", email=None)``.
Staff = Callable[..., User]


def loaded_organisation(slug: str) -> Organisation:
    """A preset organisation by its slug; the presets must be loaded (``regulations``)."""
    return Organisation.objects.get(slug=slug)


class MembershipFactory(DjangoModelFactory):
    """``MembershipFactory(user=piet, organisation=iskander, kind=RoleKind.HANDLER)``; the
    organisation has no default (take a loaded one), the kind defaults to employee."""

    class Meta:
        model = Membership

    user = factory.SubFactory("tests.factories.UserFactory")
    kind = factory.Transformer(RoleKind.EMPLOYEE, transform=lambda kind: RoleKind(kind).value)


class UserFactory(DjangoModelFactory):
    """A ``django.contrib.auth`` user with memberships; see the module's docstring."""

    class Meta:
        model = User
        # The memberships hook only adds rows that point to the user; no second save needed.
        skip_postgeneration_save = True

    class Params:
        full_name = ""

    username = factory.Sequence(lambda n: f"gebruiker{n}")
    first_name = factory.LazyAttribute(lambda user: user.full_name.partition(" ")[0])
    last_name = factory.LazyAttribute(lambda user: user.full_name.partition(" ")[2])
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = Password(None)

    @classmethod
    def _create(cls, model_class: type[User], *args: Any, **kwargs: Any) -> User:
        # Username and e-mail address as ``User.objects.create_user`` stores them.
        kwargs["username"] = model_class.normalize_username(kwargs["username"])
        kwargs["email"] = model_class.objects.normalize_email(kwargs["email"])
        return super()._create(model_class, *args, **kwargs)

    @factory.post_generation
    def memberships(
        self: Any,  # the User made (factory_boy passes it as the hook's first argument)
        create: bool,
        extracted: Memberships | None,
        **kwargs: Any,
    ) -> None:
        if not extracted:
            return
        if not create:
            raise TypeError("memberships need a saved user: UserFactory(...), not .build()")
        for organisation, kind in extracted:
            MembershipFactory(user=self, organisation=organisation, kind=kind)
