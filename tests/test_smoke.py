import pytest


@pytest.mark.django_db
def test_dashboard_needs_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert "/account/login/" in response["Location"]


def test_dashboard_shows_for_verified_coordinator(verified_client, coordinator):
    response = verified_client(coordinator).get("/")
    assert response.status_code == 200
