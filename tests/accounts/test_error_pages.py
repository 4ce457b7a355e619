"""Swedish 404 and 500 pages in production (DEBUG off)."""

import pytest
from django.test import Client
from django.urls import path


def _boom(request):
    raise RuntimeError("planted failure")


urlpatterns = [path("boom/", _boom)]


def test_a_missing_page_answers_in_swedish(coordinator_client, settings):
    settings.DEBUG = False
    response = coordinator_client.get("/finns-inte/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Sidan hittades inte" in html and "Tillbaka till startsidan" in html


@pytest.mark.urls(__name__)
def test_a_server_error_answers_in_swedish(db, settings):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Något gick fel" in html and 'lang="sv"' in html
