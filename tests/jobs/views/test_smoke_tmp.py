import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_pages_render(client_for, caseworker, company, opening, own_referral, other_referral):
    client = client_for(caseworker)
    for url in [
        reverse("jobs:employer_list"),
        reverse("jobs:employer_detail", args=[company.pk]),
        reverse("jobs:employer_edit", args=[company.pk]),
        reverse("jobs:employer_add"),
        reverse("jobs:contact_add", args=[company.pk]),
        reverse("jobs:opening_list"),
        reverse("jobs:opening_detail", args=[opening.pk]),
        reverse("jobs:opening_edit", args=[opening.pk]),
        reverse("jobs:opening_add") + f"?employer={company.pk}",
        reverse("jobs:referral_list"),
        reverse("jobs:referral_detail", args=[own_referral.pk]),
        reverse("jobs:interview_add", args=[own_referral.pk]),
        reverse("jobs:placement_list"),
        reverse("jobs:follow_up_list"),
        reverse("applicant_detail", args=[own_referral.applicant.reference_code]) + "?tab=employment",
    ]:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
