"""Writes of the demo: its users with their demo passwords and memberships, and what the
organisations' letterheads lack. Only what is missing or changed is written, so loading the demo
twice changes nothing."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction

from klachtenregister.correspondence.services import fill_letterhead
from klachtenregister.demo.datafiles import Letterhead
from klachtenregister.demo.report import Report
from klachtenregister.demo.users import DemoUser
from klachtenregister.register.models import Organisation
from klachtenregister.register.services import ensure_membership


def ensure_user(demo: DemoUser, mail_domain: str, report: Report) -> User:
    """The demo user as ``demo`` describes them, with every membership; only what is missing or
    changed is written."""
    email = f"{demo.username}@{mail_domain}"
    with transaction.atomic():
        user, created = User.objects.get_or_create(
            username=demo.username,
            defaults={"first_name": demo.first_name, "last_name": demo.last_name, "email": email},
        )
        if created:
            user.set_password(demo.password)
            user.save()
            report.users_created.append(demo.username)
        else:
            changed = False
            wanted = (demo.first_name, demo.last_name, email)
            if (user.first_name, user.last_name, user.email) != wanted:
                user.first_name, user.last_name, user.email = wanted
                changed = True
            if not user.is_active:
                user.is_active = True
                changed = True
            if not user.check_password(demo.password):
                # The printed password must work: put it back if someone changed it.
                user.set_password(demo.password)
                changed = True
            if changed:
                user.save()
                report.users_updated.append(demo.username)
        for slug, kinds in demo.memberships:
            organisation = Organisation.objects.get(slug=slug)
            for kind in kinds:
                report.memberships_created += ensure_membership(user, organisation, kind.value)
    return user


def ensure_letterhead(organisation: Organisation, letterhead: Letterhead, mail_domain: str) -> None:
    """Fill in what the organisation has not set itself; never overwrite it."""
    fill_letterhead(
        organisation,
        {
            "postal_address": letterhead.postal_address,
            "phone": letterhead.phone,
            "website": letterhead.website,
            "email": f"klachten@{organisation.slug}.{mail_domain}",
        },
    )
