"""The home page answers for every role."""

import pytest

from casework.roles import Role


@pytest.mark.django_db
def test_each_role_gets_a_home_page(role_users, client_for):
    for role, user in role_users.items():
        response = client_for(user).get("/", follow=True)
        assert response.status_code == 200, role
        if role == Role.EMPLOYER:
            assert response.redirect_chain[-1][0] == "/partner/"
        else:
            assert b"Welcome" in response.content
