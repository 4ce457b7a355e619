"""Anyone can set a new password through a link sent to their e-mail address, in Swedish."""

import re

from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory
from tests.rendered import form_data


def test_a_user_resets_a_forgotten_password_by_e_mail(db, client):
    UserFactory(username="glomsk", email="glomsk@ankeby.se")
    login = client.get(reverse("login")).content.decode()
    assert reverse("password_reset") in login and "Glömt lösenordet?" in login
    page = client.get(reverse("password_reset"))
    response = client.post(reverse("password_reset"), form_data(page, email="glomsk@ankeby.se"))
    assert response.status_code == 302
    assert "Kolla din e-post" in client.get(response.url).content.decode()
    [message] = mail.outbox
    assert message.subject == "Ett nytt lösenord till Samverkan"
    assert "Ditt användarnamn är glomsk." in message.body
    link = re.search(r"http://testserver(/losenord/nytt/\S+/)", message.body).group(1)
    page = client.get(link, follow=True)
    assert "Välj ett nytt lösenord" in page.content.decode()
    confirm = page.redirect_chain[-1][0]
    done = client.post(
        confirm,
        form_data(page, new_password1="Nytt-Ankeby-2026", new_password2="Nytt-Ankeby-2026"),
        follow=True,
    )
    assert "Lösenordet är sparat" in done.content.decode()
    assert Client().login(username="glomsk", password="Nytt-Ankeby-2026")
    # The link works once.
    assert "Länken fungerar inte längre" in client.get(link, follow=True).content.decode()


def test_an_unknown_or_deactivated_address_gets_no_e_mail_and_reveals_nothing(db, client):
    UserFactory(username="slutat", email="slutat@ankeby.se", is_active=False)
    for address in ("okand@ankeby.se", "slutat@ankeby.se"):
        response = client.post(reverse("password_reset"), {"email": address})
        assert response.status_code == 302 and response.url == reverse("password_reset_done")
    assert mail.outbox == []


def test_a_signed_in_user_changes_their_password(coordinator_client, coordinator):
    url = reverse("password_change")
    page = coordinator_client.get(url)
    assert page.status_code == 200
    data = form_data(
        page,
        old_password="demo",
        new_password1="Nytt-Ankeby-2026",
        new_password2="Nytt-Ankeby-2026",
    )
    assert coordinator_client.post(url, data).status_code == 302
    assert get_user_model().objects.get(pk=coordinator.pk).check_password("Nytt-Ankeby-2026")


def test_a_restored_user_without_a_password_can_set_one(db, client):
    """import_agreement restores users with an unusable password; the README tells them
    to reset it, so the reset must reach them."""
    restored = UserFactory(username="aterstalld", email="aterstalld@ankeby.se")
    restored.set_unusable_password()
    restored.save()
    client.post(reverse("password_reset"), {"email": "aterstalld@ankeby.se"})
    [message] = mail.outbox
    link = re.search(r"http://testserver(/losenord/nytt/\S+/)", message.body).group(1)
    page = client.get(link, follow=True)
    client.post(
        page.redirect_chain[-1][0],
        form_data(page, new_password1="Nytt-Ankeby-2026", new_password2="Nytt-Ankeby-2026"),
    )
    assert Client().login(username="aterstalld", password="Nytt-Ankeby-2026")
