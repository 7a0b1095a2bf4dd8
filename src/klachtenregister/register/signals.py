"""Every member of an organisation is one of its people (``models.Person``), from the moment the
membership is made, however it is made (the admin, ``load_demo``, a service, a factory): a
complaint's subject can then be chosen as that person rather than typed (issue 16 §2). A
person with a user carries the name the events give that user, kept in step when the user's
name changes."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db.models.signals import post_save

from klachtenregister.register.models import Membership, Person, person_name

NAME_FIELDS = frozenset({"first_name", "last_name", "username"})


def ensure_person(user: User, organisation_id: int) -> Person:
    """The person of ``user`` in the organisation, made as an employee when there is none."""
    person, _created = Person.objects.get_or_create(
        organisation_id=organisation_id,
        user=user,
        defaults={"name": person_name(user)[:200], "kind": Person.EMPLOYEE},
    )
    return person


def _membership_saved(
    sender: type[Membership], instance: Membership, created: bool, **_: Any
) -> None:
    if created:
        ensure_person(instance.user, instance.organisation_id)


def _user_saved(
    sender: type[User], instance: User, created: bool, update_fields: Any = None, **_: Any
) -> None:
    # A new user has no person yet; a login saves last_login only: no name changed, no query.
    if created or (update_fields is not None and not NAME_FIELDS & set(update_fields)):
        return
    Person.objects.filter(user=instance).exclude(name=person_name(instance)[:200]).update(
        name=person_name(instance)[:200]
    )


def connect() -> None:
    post_save.connect(_membership_saved, sender=Membership, dispatch_uid="register_person_member")
    post_save.connect(_user_saved, sender=User, dispatch_uid="register_person_name")
