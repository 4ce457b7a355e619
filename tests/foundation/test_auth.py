"""Logging in and out, in Swedish, and the start page."""

from django.urls import reverse


def test_login_page_is_in_swedish(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="sv">' in html
    assert "Logga in" in html
    assert "Användarnamn" in html
    assert "Lösenord" in html


def test_anonymous_user_is_sent_to_login(client, db):
    response = client.get(reverse("dashboard:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_user_logs_in_and_sees_their_organisations(client, coordinator, world):
    response = client.post(
        reverse("login"), {"username": "samordnare-a", "password": "demo"}, follow=True
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ankeby kommun" in html
    assert "Trygghetssamordnare" in html
    assert "Bergsjö kommun" not in html


def test_wrong_password_gives_a_swedish_error_and_no_session(client, coordinator):
    response = client.post(reverse("login"), {"username": "samordnare-a", "password": "fel"})
    assert response.status_code == 200
    assert "korrekt användarnamn och lösenord" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_logout_ends_the_session(coordinator_client):
    response = coordinator_client.post(reverse("logout"), follow=True)
    assert "Du är utloggad" in response.content.decode()
    assert coordinator_client.get(reverse("dashboard:home")).status_code == 302


def test_navigation_names_the_four_parts_and_the_list_of_all_activities(coordinator_client):
    html = coordinator_client.get(reverse("dashboard:home")).content.decode()
    for label in ("Överenskommelser", "Åtgärdsplan", "Alla aktiviteter", "Forum", "Uppföljning"):
        assert f">{label}</a>" in html
    # "Åtgärdsplan" is the task (the current plan), the filtered list one item beside it.
    assert f'href="{reverse("actionplans:current-plan")}">Åtgärdsplan</a>' in html
    assert f'href="{reverse("actionplans:activity-list")}">Alla aktiviteter</a>' in html
    assert 'href="#main"' in html  # skip link
