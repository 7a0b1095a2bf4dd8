"""The back office's pages; ``config.urls`` serves them in Dutch at ``/`` and in English at
``/en/``. Logging in and out, passwords and two-factor authentication are ``accounts``'."""

from django.urls import path

from klachtenregister.backoffice.views import (
    complaint_list,
    complaints,
    dossier,
    letter_templates,
    outbox,
    privacy,
    start,
    watch,
)

COMPLAINT = "o/<slug:slug>/klachten/<str:reference>/"
OUTBOX = "o/<slug:slug>/uitgaande-post/"
LETTERS = "o/<slug:slug>/brieven/"

urlpatterns = [
    path("", start.start, name="start"),
    path("mijn/", watch.home, name="home"),
    path("o/<slug:slug>/", watch.watch, name="watchlist"),
    path("o/<slug:slug>/klachten/", complaint_list.complaint_list, name="complaint_list"),
    path("o/<slug:slug>/klachten/nieuw/", complaints.register, name="register"),
    path(COMPLAINT, complaints.complaint_detail, name="complaint"),
    path(f"{COMPLAINT}acties/<str:event>/", complaints.complaint_action, name="complaint_action"),
    path(
        f"{COMPLAINT}acties/<str:event>/voorbeeld/",
        complaints.letter_preview,
        name="letter_preview",
    ),
    path(
        f"{COMPLAINT}brieven/<int:pk>/afgeleverd/",
        complaints.letter_delivered,
        name="letter_delivered",
    ),
    path(
        f"{COMPLAINT}uitgesloten/<int:pk>/iemand-anders/",
        complaints.confirm_different_person,
        name="confirm_different_person",
    ),
    path(f"{COMPLAINT}dossier.pdf", dossier.dossier, name="complaint_dossier"),
    path(f"{COMPLAINT}dossier.zip", dossier.dossier_archive, name="complaint_dossier_zip"),
    path(f"{COMPLAINT}documenten/", complaints.add_document, name="add_document"),
    path(f"{COMPLAINT}documenten/<int:pk>/", complaints.document, name="document"),
    path(f"{COMPLAINT}inzage/", privacy.access_log, name="complaint_access_log"),
    path(f"{COMPLAINT}persoonsgegevens-verwijderen/", privacy.erase, name="complaint_erase"),
    path("o/<slug:slug>/persoonsgegevens/", privacy.person_data, name="person_data"),
    path(OUTBOX, outbox.outbox_list, name="outbox"),
    path(f"{OUTBOX}<int:pk>/", outbox.outbox_message, name="outbox_message"),
    path(f"{OUTBOX}<int:pk>/opnieuw/", outbox.outbox_resend, name="outbox_resend"),
    path(
        f"{OUTBOX}<int:pk>/afgeleverd/",
        outbox.outbox_mark_delivered,
        name="outbox_mark_delivered",
    ),
    path(LETTERS, letter_templates.letter_templates, name="letter_templates"),
    path(f"{LETTERS}briefhoofd/", letter_templates.letterhead, name="letterhead"),
    path(
        f"{LETTERS}<str:letter_id>/<str:lang>/",
        letter_templates.letter_template,
        name="letter_template",
    ),
]
