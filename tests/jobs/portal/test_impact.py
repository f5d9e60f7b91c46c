"""The portal's Impact page and GET /api/v1/partner/impact/: the employer's own aggregates beside the
programme's, each hidden with fewer than 5 placements behind it; another employer's placements change
nothing but the programme-wide figure; a number of queries that does not grow with the data."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jobs.rules import MIN_PLACEMENTS_SHOWN
from jobs.selectors.partner_impact import partner_impact
from tests.jobs.factories import EmployerFactory, JobOpeningFactory, make_placements, today

pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]

URL = "/partner/impact/"
API = "/api/v1/partner/impact/"


@pytest.fixture
def ours(partner_company, caseworker, team):
    """Sakura Foods: 6 people who started 400 days ago and were still working at 3, 6 and 12 months, and
    2 who started 200 days ago and left after a month. Retention: 3 and 6 months 6 of 8 (75%), 12 months
    6 of 6 (100%; the two are still within their 12 months). One opening: time to fill hidden (1 < 5)."""
    opening = JobOpeningFactory(employer=partner_company, created_by=caseworker)
    long_ago = today() - timedelta(days=400)
    make_placements(
        opening,
        [long_ago] * 6,
        by=caseworker,
        team=team,
        recorded={3: "retained", 6: "retained", 12: "retained"},
    )
    recent = today() - timedelta(days=200)
    make_placements(opening, [recent] * 2, by=caseworker, team=team, ended_on=recent + timedelta(days=30))
    return opening


def add_theirs(other_company, caseworker, team, *, times: int = 1) -> None:
    """Another employer's placements: left within a month, each on an opening of its own."""
    start = today() - timedelta(days=400)
    for _ in range(times):
        opening = JobOpeningFactory(employer=other_company, created_by=caseworker)
        make_placements(opening, [start] * 3, by=caseworker, team=team, ended_on=start + timedelta(days=20))


def test_the_page_shows_the_employers_figures(client_for, partner_user, ours):
    response = client_for(partner_user).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<strong>8</strong> people have started work with you" in html
    assert 'id="impact-placements-chart"' in html and '<title id="impact-placements-chart-title">' in html
    assert '<desc id="impact-retention-chart-desc">' in html
    employer = re.findall(r'data-who="employer">\s*<strong data-rate>([^<]+)</strong>', html)
    assert employer == ["75%", "75%", "100%"]
    # Time to fill: one filled opening is fewer than 5.
    assert 'data-hidden-figure="time-to-fill"' in html
    assert "Not shown: fewer than 5 placements." in html
    # The nav has the section, marked current.
    assert f'href="{URL}" aria-current="page"' in html


def test_figures_with_fewer_than_5_placements_are_hidden(
    client_for, other_partner_user, ours, caseworker, team, other_company
):
    # Fuji Parts: 4 placements (< MIN_PLACEMENTS_SHOWN): nothing of its own is shown; nor the programme's,
    # which less Fuji's own would be Sakura's alone (one other employer: complementary suppression).
    opening = JobOpeningFactory(employer=other_company, created_by=caseworker)
    start = today() - timedelta(days=400)
    make_placements(opening, [start] * (MIN_PLACEMENTS_SHOWN - 1), by=caseworker, team=team)
    impact = partner_impact(other_partner_user)
    assert impact is not None
    assert impact.placements is None and impact.by_month is None and impact.time_to_fill is None
    assert all(row.employer is None for row in impact.retention)
    assert all(row.programme is None for row in impact.retention)
    html = client_for(other_partner_user).get(URL).content.decode()
    assert 'data-hidden-figure="placements"' in html
    # count, own retention × 3, the programme's × 3, fill
    assert html.count("Not shown: fewer than 5 placements.") == 1 + 3 + 3 + 1
    assert "impact-placements-chart" not in html
    body = client_for(other_partner_user).get(API).json()
    assert body["placements"] == {"total": None, "by_month": None}
    assert body["time_to_fill"] is None
    assert [row["employer"] for row in body["retention"]] == [None, None, None]


def _own_parts(html: str) -> list[str]:
    """What the page says of the employer itself: the placements and time-to-fill cards and the employer's
    retention cells (the programme's cells and the retention chart left out)."""
    parts = re.findall(
        r'<section class="card"[^>]*data-figure="(?:placements|time-to-fill)".*?</section>', html, re.S
    )
    parts += re.findall(r'<td data-who="employer">.*?</td>', html, re.S)
    return parts


def test_another_employers_placements_change_only_the_programme_figure(
    client_for, partner_user, ours, other_company, caseworker, team
):
    client = client_for(partner_user)
    before_html = client.get(URL).content.decode()
    before = partner_impact(partner_user)
    add_theirs(other_company, caseworker, team, times=2)
    # With one other employer the programme's figure would give its figure by subtraction: not shown.
    assert all(row.programme is None for row in partner_impact(partner_user).retention)  # type: ignore[union-attr]
    add_theirs(EmployerFactory(organisation=other_company.organisation), caseworker, team, times=1)
    after_html = client.get(URL).content.decode()
    after = partner_impact(partner_user)
    assert before is not None and after is not None
    assert _own_parts(before_html) == _own_parts(after_html)
    assert len(_own_parts(after_html)) == 2 + 3
    assert (before.placements, before.by_month, before.time_to_fill) == (
        after.placements,
        after.by_month,
        after.time_to_fill,
    )
    assert [row.employer for row in before.retention] == [row.employer for row in after.retention]
    # The programme: 8 + 9 placements; at 3 months 6 retained of 17 known.
    assert [row.programme for row in before.retention] != [row.programme for row in after.retention]
    three = after.retention[0].programme
    assert three is not None and (three.retained, three.left) == (6, 11)
    # The API says the same of the employer, and nothing of the other employer but the programme figure.
    body = client.get(API).json()
    assert body["placements"]["total"] == 8
    assert [row["employer"]["rate"] for row in body["retention"]] == ["0.7500", "0.7500", "1.0000"]
    assert body["retention"][0]["programme"]["left"] == 11
    assert "Fuji" not in str(body) and "Fuji" not in after_html


def queries(client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_queries_do_not_grow_with_the_data(
    client_for, partner_user, partner_company, other_company, caseworker, team
):
    client = client_for(partner_user)
    opening = JobOpeningFactory(employer=partner_company, created_by=caseworker)
    start = today() - timedelta(days=400)
    make_placements(opening, [start] * 6, by=caseworker, team=team, recorded={3: "retained"})
    add_theirs(other_company, caseworker, team)
    once = (queries(client, URL), queries(client, API))
    for _ in range(4):
        more = JobOpeningFactory(employer=partner_company, created_by=caseworker)
        make_placements(more, [start] * 6, by=caseworker, team=team, recorded={3: "retained"})
    add_theirs(other_company, caseworker, team, times=4)
    assert partner_impact(partner_user).placements == 30  # type: ignore[union-attr]
    assert (queries(client, URL), queries(client, API)) == once
    assert once[0] <= 12, once


def test_staff_and_strangers_are_refused(client_for, supervisor, administrator, caseworker, ours, client):
    for user in (supervisor, administrator, caseworker):
        assert client_for(user).get(URL).status_code == 403
        assert client_for(user).get(API).status_code == 403
    assert client.get(API).status_code == 401
    assert client.get(URL).status_code == 302


def test_the_page_in_japanese(client_for, partner_user, ours):
    response = client_for(partner_user).get(URL, HTTP_ACCEPT_LANGUAGE="ja")
    assert response.status_code == 200
    assert reverse("partner_impact") == URL
