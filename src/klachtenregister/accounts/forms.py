"""Accounts' forms: Django's, with the reset mail sent through the outbox."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import PasswordResetForm
from django.template import loader
from django.utils.translation import gettext_lazy as _

from klachtenregister.accounts.services import queue_password_reset


class OutboxPasswordResetForm(PasswordResetForm):
    """Django's password-reset form, but the mail is queued in the outbox instead of sent from
    the web request: it is kept, retried and logged like every other message the register
    sends, and the request does not wait on the SMTP server."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        queue_password_reset(context["user"], to_email, subject, body)


class CodeForm(forms.Form):
    """A code from the authenticator app (six digits) or a recovery code."""

    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "inputmode": "text"}
        ),
    )
