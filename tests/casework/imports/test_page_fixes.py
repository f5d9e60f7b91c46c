"""Two fixes of the import pages found by the browser test (issue 18): the mapping shows a select per
column Tobira takes, and the upload form chooses the only place a person may import into."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from casework.services import imports as services

pytestmark = pytest.mark.django_db

CSV = "氏名,生年月日,在留カードNo\nPerera Kasun,1990/1/1,AB12345678CD\n".encode("cp932")


def test_the_upload_form_chooses_a_caseworkers_own_team(client_for, caseworker):
    page = client_for(caseworker).get(reverse("import_new") + "?kind=applicants")
    assert page.status_code == 200
    assert f'<option value="{caseworker.team_id}" selected>' in page.content.decode()


def test_the_mapping_shows_a_select_for_every_column_tobira_takes(client_for, caseworker):
    imp = services.import_upload(
        by=caseworker,
        kind="applicants",
        upload=SimpleUploadedFile("people.csv", CSV),
        target=str(caseworker.team_id),
    )
    html = client_for(caseworker).get(reverse("import_detail", args=[imp.pk])).content.decode()
    for key in ("full_name", "date_of_birth", "card_number", "status"):
        assert f'name="{key}"' in html, key
    # 在留カードNo is not proposed: the card number's select has no column chosen.
    assert imp.mapping["columns"].get("card_number") is None
