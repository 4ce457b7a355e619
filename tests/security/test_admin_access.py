"""The Django admin, every registered model: who gets in, and that each page works.

Only superusers (and staff with model permissions) use the admin; everybody else is sent
to its login or refused. For a superuser every changelist (with a search), add page,
change page and history page of the objects in both municipalities' trees answers 200.
"""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.test import Client, RequestFactory
from django.urls import reverse

from tests.factories import UserFactory

REGISTRY = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


def _url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def root(db):
    return UserFactory(username="rot", is_staff=True, is_superuser=True)


@pytest.fixture
def clients(trees, coordinator, staff, root):
    def logged_in(user):
        client = Client()
        client.force_login(user)
        return client

    return {
        "anonymous": Client(),
        "coordinator": logged_in(coordinator),
        "staff": logged_in(staff),  # staff without model permissions
        "superuser": logged_in(root),
    }


@pytest.mark.parametrize(
    ("model", "model_admin"), REGISTRY, ids=[m._meta.label for m, _ in REGISTRY]
)
def test_only_permitted_users_reach_a_models_admin(model, model_admin, clients, root):
    changelist = _url(model, "changelist")
    for persona in ("anonymous", "coordinator"):
        response = clients[persona].get(changelist)
        assert response.status_code == 302 and "/admin/login/" in response.url, persona
    assert clients["staff"].get(changelist).status_code == 403
    client = clients["superuser"]
    assert client.get(changelist).status_code == 200
    if model_admin.search_fields:
        assert client.get(changelist, {"q": "<script>Ankeby"}).status_code == 200
    request = RequestFactory().get("/admin/")
    request.user = root
    if model_admin.has_add_permission(request):
        assert client.get(_url(model, "add")).status_code == 200
    obj = model._default_manager.order_by("pk").first()
    if obj is not None:
        assert client.get(_url(model, "change", obj.pk)).status_code == 200
        assert client.get(_url(model, "history", obj.pk)).status_code == 200


def test_staff_with_a_view_permission_read_but_do_not_change(clients, staff, trees):
    from agreements.models import Agreement

    staff.user_permissions.add(Permission.objects.get(codename="view_agreement"))
    client = Client()
    client.force_login(staff)
    change = _url(Agreement, "change", trees.a.agreement.pk)
    page = client.get(change)
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    client.post(change, {"title": "Ändrad av personal"})
    assert Agreement.objects.get(pk=trees.a.agreement.pk).title == trees.a.agreement.title
