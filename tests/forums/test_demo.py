"""The forums' demo data: reference forums, linked to agreements, one warning; idempotent."""

from agreements import demo as agreements_demo
from agreements.demo import DemoContext
from forums import demo as forums_demo
from forums.models import Attendance, Forum, ForumSeat, Meeting
from forums.selectors import representation_warnings


def load():
    ctx = DemoContext()
    agreements_demo.load(ctx)
    forums_demo.load(ctx)
    return ctx


def test_demo_loads_the_reference_forums_once_with_exactly_one_warning(db):
    ctx = load()
    assert {"kug", "ksg_trygghet", "ksg_shb", "sspf", "est", "trygghetsberedningen"} <= set(
        ctx.forums
    )
    assert {"orat", "sspe", "tillsyn", "bra"} <= set(ctx.forums)
    kug = ctx.forums["kug"]
    assert kug.is_statutory_council
    assert set(kug.children.values_list("abbreviation", flat=True)) == {"KSG Trygghet", "KSG SHB"}
    counts = [m.objects.count() for m in (Forum, ForumSeat, Meeting, Attendance)]
    assert counts[2] > 40 and counts[3] > 80

    ctx = load()
    assert [m.objects.count() for m in (Forum, ForumSeat, Meeting, Attendance)] == counts

    admin = ctx.users["admin"]
    warnings = representation_warnings(user=admin)
    assert [(f.abbreviation, [r.organisation.name for r in rates]) for f, rates in warnings] == [
        ("KSG Trygghet", ["Lokalpolisområde Eskilstuna"])
    ]
    assert representation_warnings(user=ctx.users["samordnare-eslov"]) == []
