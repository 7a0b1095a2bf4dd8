"""The admin shows complaints and their log, but nothing there changes them; memberships are
what an administrator sets by hand."""

from __future__ import annotations

from typing import Any

from klachtenregister.register.models import Organisation
from klachtenregister.register.services import register_complaint
from tests.support.complaints import complaint_data
from tests.support.written_state import written_state


def test_complaints_and_their_log_are_view_only(
    admin_client: Any, iskander: Organisation, coordinator: Any, today: Any
) -> None:
    complaint = register_complaint(iskander, coordinator, complaint_data("2027-04-19"))
    before = written_state(complaint)
    change_url = f"/admin/register/complaint/{complaint.pk}/change/"

    detail = admin_client.get(change_url)
    assert detail.status_code == 200
    assert complaint.reference in detail.content.decode()
    assert 'name="description"' not in detail.content.decode()  # no input: read-only
    assert admin_client.get("/admin/register/complaint/add/").status_code == 403
    assert admin_client.post(change_url, {"description": "changed"}).status_code == 403
    delete = admin_client.post(f"/admin/register/complaint/{complaint.pk}/delete/", {"post": "yes"})
    assert delete.status_code == 403
    assert written_state(complaint) == before


def test_memberships_are_edited_in_the_admin(admin_client: Any, iskander: Organisation) -> None:
    assert admin_client.get("/admin/register/membership/add/").status_code == 200
