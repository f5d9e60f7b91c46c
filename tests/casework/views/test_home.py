"""The home page answers for every role; an account with a role but no team is told why it sees no one."""

import pytest

from casework.roles import Role

pytestmark = pytest.mark.django_db


@pytest.mark.django_db
def test_each_role_gets_a_home_page(role_users, client_for):
    for role, user in role_users.items():
        response = client_for(user).get("/", follow=True)
        assert response.status_code == 200, role
        if role == Role.EMPLOYER:
            assert response.redirect_chain[-1][0] == "/partner/"
        else:
            assert b"Welcome" in response.content


@pytest.mark.parametrize("page", ["/", "/applicants/", "/tasks/", "/deadlines/"])
def test_a_caseworker_without_a_team_is_told_why_they_see_no_one(make_user, client_for, page):
    lonely = make_user(Role.CASEWORKER, username="lonely", team=None)
    response = client_for(lonely).get(page)
    assert response.status_code == 200
    text = response.content.decode()
    assert "You are not in a team, so Tobira shows you no one." in text
    assert "Ask an administrator to add you to your team" in text


@pytest.mark.parametrize("page", ["/", "/applicants/", "/tasks/", "/deadlines/"])
def test_a_supervisor_leading_no_team_is_told_why_they_see_no_one(make_user, client_for, page):
    response = client_for(make_user(Role.SUPERVISOR, username="boss")).get(page)
    assert "You lead no team, so Tobira shows you no one." in response.content.decode()


@pytest.mark.parametrize("page", ["/", "/applicants/", "/tasks/", "/deadlines/"])
def test_a_caseworker_in_a_team_sees_no_such_warning(caseworker, client_for, page):
    assert 'id="assignment-gap"' not in client_for(caseworker).get(page).content.decode()
