"""Bounded queries: the list and the document cost the same at any size; the history is bounded."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import AgreementFactory

from .conftest import build_tree


def count_queries(client, url, **params):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_list_queries_do_not_grow_with_agreements(
    coordinator_client, world, django_assert_max_num_queries
):
    url = reverse("agreements:list")
    small = count_queries(coordinator_client, url)
    for _ in range(15):
        AgreementFactory(municipality=world.municipality, police_area=world.police_area)
    large = count_queries(coordinator_client, url)
    assert small == large
    with django_assert_max_num_queries(12):
        coordinator_client.get(url, {"status": "draft", "q": "Ankeby", "in_force": "current"})


def test_detail_queries_do_not_grow_with_the_tree(
    coordinator_client, world, django_assert_max_num_queries
):
    small_agreement = build_tree(world.agreement, focus_areas=1, per_area=1)
    large_agreement = build_tree(
        AgreementFactory(municipality=world.municipality, police_area=world.police_area),
        focus_areas=8,
        per_area=6,
    )
    small = count_queries(coordinator_client, small_agreement.get_absolute_url())
    large = count_queries(coordinator_client, large_agreement.get_absolute_url())
    assert small == large
    with django_assert_max_num_queries(25):
        coordinator_client.get(large_agreement.get_absolute_url())


def test_read_only_detail_is_bounded_too(police_client, world):
    small = build_tree(world.agreement, focus_areas=1, per_area=1)
    large = build_tree(
        AgreementFactory(municipality=world.municipality, police_area=world.police_area),
        focus_areas=6,
        per_area=5,
    )
    assert count_queries(police_client, small.get_absolute_url()) == count_queries(
        police_client, large.get_absolute_url()
    )


def test_history_queries_do_not_grow_with_changes(
    coordinator_client, world, django_assert_max_num_queries
):
    small = build_tree(world.agreement, focus_areas=3, per_area=4)
    large = build_tree(
        AgreementFactory(municipality=world.municipality, police_area=world.police_area),
        focus_areas=8,
        per_area=6,
    )
    for area in large.focus_areas.all():
        for i in range(3):
            area.title = f"Ändrad {i}"
            area.save()
    # The page's cost depends on which kinds of rows are on it (one or two queries per
    # kind), never on how many changes there are.
    for agreement in (small, large):
        with django_assert_max_num_queries(40):
            coordinator_client.get(reverse("agreements:history", args=[agreement.pk]))
