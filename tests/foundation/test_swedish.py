"""Swedish done properly: counts with plural forms, lowercase month names, named empty choices."""

import re
import sys
from pathlib import Path

from django.urls import reverse
from django.utils import translation

from tests.actionplans.factories import ActionPlanFactory, ActivityFactory
from tests.forums.factories import ForumFactory, MeetingFactory, local

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "locale" / "sv" / "LC_MESSAGES" / "django.po"
sys.path.insert(0, str(ROOT / "scripts"))
from po_fill import parse, value  # noqa: E402

#: Placeholder names that stand for a number of things ("3 activities", "2 of 5 meetings").
COUNTS = {
    "count",
    "counter",
    "n",
    "created",
    "updated",
    "missing",
    "open",
    "approved",
    "total",
    "shown",
    "expected",
    "attended",
    "held",
    "recorded",
    "unrecorded",
    "remain",
}
#: Strings with a count that names no counted thing, so Swedish needs no plural form.
NO_NOUN = {
    "Page %(number)s of %(total)s",
    "%(done)s of %(total)s",  # a table cell under the heading "Inlämnade"
    "Met: %(met)s · partly: %(partly)s · missing: %(missing)s",  # states, not things
}
_PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def _entries():
    return [e for e in parse(PO.read_text(encoding="utf-8")) if value(e, "msgid")]


def test_every_count_string_has_a_plural_form():
    """'1 aktiviteter' is what a string without ngettext/blocktranslate count gives."""
    singular_only = [
        value(e, "msgid")
        for e in _entries()
        if "msgid_plural" not in e["fields"]
        and set(_PLACEHOLDER.findall(value(e, "msgid"))) & COUNTS
        and value(e, "msgid") not in NO_NOUN
    ]
    assert not singular_only, "use ngettext or {% blocktranslate count %}:\n" + "\n".join(
        singular_only
    )


def test_plural_strings_have_both_swedish_forms_and_they_differ_where_the_noun_does():
    """Swedish has two forms (nplurals=2); each plural entry fills both."""
    text = PO.read_text(encoding="utf-8")
    assert "nplurals=2; plural=(n != 1);" in text
    for e in _entries():
        if "msgid_plural" in e["fields"]:
            forms = [value(e, "msgstr[0]"), value(e, "msgstr[1]")]
            assert all(forms), f"plural forms missing for {value(e, 'msgid')!r}"


def test_counts_read_as_swedish_in_the_singular_and_plural():
    from django.utils.translation import ngettext

    with translation.override("sv"):
        one = ngettext("%(count)s new activity", "%(count)s new activities", 1) % {"count": 1}
        many = ngettext("%(count)s new activity", "%(count)s new activities", 10) % {"count": 10}
    assert (one, many) == ("1 ny aktivitet", "10 nya aktiviteter")


def test_meeting_times_have_lowercase_swedish_day_and_month_names(coordinator_client, world):
    forum = ForumFactory(municipality=world.municipality, name="Brottsförebyggande rådet")
    MeetingFactory(forum=forum, starts_at=local(2026, 12, 6, 18, 0))
    html = coordinator_client.get(reverse("forums:meeting-list", args=[forum.pk])).content.decode()
    assert "sön 6 dec 2026, 18:00" in html
    assert "Dec" not in html


def test_no_template_formats_a_date_with_capitalised_month_names():
    """Django title-cases the month for "M" and "N"; Swedish writes months in lowercase."""
    capitalising = []
    for path in (ROOT / "templates").rglob("*.*"):
        for fmt in re.findall(r'\|date:"([^"]*)"', path.read_text(encoding="utf-8")):
            if re.search(r"(?<!\\)[MN]", fmt):
                capitalising.append(f"{path.relative_to(ROOT)}: {fmt}")
    assert not capitalising, capitalising


def test_dropdowns_name_their_empty_choice_in_swedish(coordinator_client, world):
    plan = ActionPlanFactory(agreement=world.agreement)
    activity = ActivityFactory(plan=plan)
    urls = (
        plan.get_absolute_url() + "?add=1",
        reverse("actionplans:activity-edit", args=[activity.pk]),
    )
    for url in urls:
        html = coordinator_client.get(url).content.decode()
        assert "---------" not in html, url
        assert "– inget valt –" in html, url
