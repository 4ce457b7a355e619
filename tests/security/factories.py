"""A rich object tree per municipality, for the permission matrix, hostile input and backup tests.

:func:`build_tree` gives one municipality everything a page can show: the agreement with
focus area, sub-goal, cause, commitment, signatory and citizen promise; an area and a
department; the action plan with an activity, its role and a review; a forum with a seat,
a meeting, a decision and attendance; a follow-up report with an update; an indicator with
a value; and a signed, public agreement beside the draft.
"""

from __future__ import annotations

import datetime
import hashlib
from types import SimpleNamespace

from django.core.files.base import ContentFile
from django.utils import timezone

from actionplans.choices import PartyRole
from actionplans.models import ActionPlan, Activity, ActivityRole, Review
from agreements.choices import AgreementStatus, OrganisationKind
from agreements.models import (
    AgreementArea,
    Area,
    Attachment,
    Cause,
    CitizenPromise,
    Commitment,
    FocusArea,
    FocusAreaArea,
    Organisation,
    PromisePartner,
    RemissComment,
    Signatory,
    SubGoal,
)
from core.choices import ReviewDecision, ReviewState
from followup.choices import IndicatorSource, UpdateStatus
from followup.models import (
    ActivityUpdate,
    FollowUpReport,
    FollowUpRhythm,
    Indicator,
    IndicatorValue,
)
from forums.choices import ForumKind
from forums.models import Attendance, Forum, ForumSeat, Meeting, MeetingDecision

from ..factories import AgreementFactory

_ATTACHMENT_PDF = b"%PDF-1.7\n%%EOF\n"


def _invitation(municipality, invited_by, tag):
    import datetime as _dt

    from accounts.models import Invitation, hash_token

    token = Invitation.new_token()
    invitation = Invitation.objects.create(
        municipality=municipality,
        organisation=municipality,
        role="viewer",
        email=f"inbjuden-{tag.lower()}@example.se",
        invited_by=invited_by,
        token_hash=hash_token(token),
        expires_at=timezone.now() + _dt.timedelta(days=14),
    )
    return invitation, token


def build_tree(*, municipality, police_area, agreement, reviewer, tag: str) -> SimpleNamespace:
    """Create the whole tree below ``agreement`` and return it as a namespace."""
    t = SimpleNamespace(municipality=municipality, police_area=police_area, agreement=agreement)
    t.department = Organisation.objects.create(
        name=f"Socialförvaltningen {tag}", kind=OrganisationKind.DEPARTMENT, parent=municipality
    )
    t.housing = Organisation.objects.create(
        name=f"Bostadsbolaget {tag}", kind=OrganisationKind.COMPANY
    )
    agreement.other_parties.add(t.housing)
    t.area = Area.objects.create(municipality=municipality, name=f"Centrum {tag}")

    t.focus_area = FocusArea.objects.create(
        agreement=agreement, position=1, title=f"Trygg offentlig miljö {tag}"
    )
    t.sub_goal = SubGoal.objects.create(
        focus_area=t.focus_area, position=1, text="Ökad trygghet i centrum"
    )
    t.cause = Cause.objects.create(focus_area=t.focus_area, position=1, text="Dålig belysning")
    t.commitment = Commitment.objects.create(
        agreement=agreement, focus_area=t.focus_area, party=police_area, position=1, text="Synas"
    )
    t.signatory = Signatory.objects.create(
        agreement=agreement,
        position=1,
        name=f"Ordförande {tag}",
        title="Kommunstyrelsens ordförande",
        organisation=municipality,
        place=tag,
    )
    t.promise = CitizenPromise.objects.create(
        agreement=agreement, year=2025, title=f"Trygg i centrum {tag}", text="Vi syns på kvällar."
    )
    t.promise.areas.add(t.area)
    t.promise.parties.add(municipality, police_area)
    # The links written row by row (history, lock): areas of the agreement and its focus
    # area, and a partner in the promise that is no party to the agreement.
    AgreementArea.objects.set_for(agreement, [t.area])
    FocusAreaArea.objects.set_for(t.focus_area, [t.area])
    PromisePartner.objects.create(promise=t.promise, organisation=t.department)

    t.forum = Forum.objects.create(
        municipality=municipality,
        name=f"Kommunens utvecklingsgrupp {tag}",
        abbreviation="KUG",
        kind=ForumKind.STRATEGIC_COUNCIL,
    )
    t.forum.agreements.add(agreement)
    t.seat = ForumSeat.objects.create(
        forum=t.forum, organisation=police_area, function="Lokalpolisområdeschef"
    )
    t.meeting = Meeting.objects.create(
        forum=t.forum,
        starts_at=timezone.make_aware(datetime.datetime(2025, 3, 4, 9, 0)),
        place="Stadshuset",
        agenda="Lägesbild",
    )
    t.next_meeting = Meeting.objects.create(  # ahead: in every calendar feed
        forum=t.forum,
        starts_at=timezone.now() + datetime.timedelta(days=30),
        place="Stadshuset",
        agenda="Uppföljning",
    )
    t.decision = MeetingDecision.objects.create(meeting=t.meeting, position=1, text="Godkänd")
    t.attendance = Attendance.objects.create(
        meeting=t.meeting, seat=t.seat, organisation=police_area, person="Lokalpolisområdeschef"
    )

    t.plan = ActionPlan.objects.create(
        agreement=agreement,
        title=f"Åtgärdsplan {tag} 2025",
        valid_from=datetime.date(2025, 1, 1),
        valid_to=datetime.date(2025, 12, 31),
    )
    t.activity = Activity.objects.create(
        plan=t.plan,
        code="1.1",
        position=1,
        title=f"Trygghetsvandring {tag}",
        focus_area=t.focus_area,
        responsible=t.department,
        forum=t.forum,
        starts_on=datetime.date(2025, 2, 1),
        ends_on=datetime.date(2025, 11, 30),
    )
    t.activity.sub_goals.add(t.sub_goal)
    t.activity.causes.add(t.cause)
    t.activity.areas.add(t.area)
    t.police_activity = Activity.objects.create(
        plan=t.plan,
        code="1.2",
        position=2,
        title=f"Ökad närvaro {tag}",
        responsible=police_area,
        review_state=ReviewState.SUBMITTED,  # in the kommunpolis's review queue
    )
    t.role = ActivityRole.objects.create(
        activity=t.activity, organisation=police_area, role=PartyRole.PARTICIPATES, text="Deltar"
    )
    t.review = Review.objects.create(
        activity=t.activity, reviewer=reviewer, decision=ReviewDecision.COMMENT, comment="Bra"
    )

    t.rhythm = FollowUpRhythm.objects.create(agreement=agreement, forum=t.forum)
    t.report = FollowUpReport.objects.create(
        agreement=agreement,
        plan=t.plan,
        title=f"Delår 2 2025 {tag}",
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2025, 8, 31),
        presented_to=t.forum,
    )
    t.update = ActivityUpdate.objects.create(
        report=t.report,
        activity=t.activity,
        progress=40,
        done="Två vandringar",
        author=reviewer,
        status=UpdateStatus.DELAYED,  # a deviation
        review_state=ReviewState.SUBMITTED,  # waiting for approval
    )
    t.indicator = Indicator.objects.create(
        municipality=municipality,
        name=f"Trygghetsindex {tag}",
        source=IndicatorSource.POLICE_SURVEY,
        unit="index",
        baseline="1.900",
        baseline_year=2023,
    )
    t.indicator.sub_goals.add(t.sub_goal)
    t.value = IndicatorValue.objects.create(
        indicator=t.indicator,
        area=t.area,
        period_start=datetime.date(2024, 1, 1),
        period_end=datetime.date(2024, 12, 31),
        value="1.750",
    )

    # The remiss: a police comment on the focus area; an attachment (bilaga) of the draft.
    t.remiss_comment = RemissComment.objects.create(
        agreement=agreement,
        focus_area=t.focus_area,
        item_label=t.focus_area.title,
        author=reviewer,
        text=f"Synpunkt {tag}",
    )
    attachment = Attachment(
        agreement=agreement,
        title=f"Bilaga 1 Lägesbild {tag}",
        kind="pdf",
        original_name="lagesbild.pdf",
        size=len(_ATTACHMENT_PDF),
        sha256=hashlib.sha256(_ATTACHMENT_PDF).hexdigest(),
        uploaded_by=reviewer,
    )
    attachment.file.save("lagesbild.pdf", ContentFile(_ATTACHMENT_PDF), save=False)
    attachment.save()
    t.attachment = attachment

    # A signed, public agreement of the same parties (immutable; shown on the public pages).
    t.invitation, t.invitation_token = _invitation(municipality, reviewer, tag)
    t.signed_agreement = AgreementFactory(
        municipality=municipality,
        police_area=police_area,
        title=f"Överenskommelse {tag} 2020–2023",
        valid_from=datetime.date(2020, 1, 1),
        valid_to=datetime.date(2023, 12, 31),
        is_public=True,
    )
    t.signed_agreement.other_parties.add(t.housing)
    FocusArea.objects.create(agreement=t.signed_agreement, position=1, title="Ungdomar")
    t.signed_agreement.status = AgreementStatus.SIGNED
    t.signed_agreement.signed_at = timezone.now()
    t.signed_agreement.save()
    t.signed_promise = CitizenPromise.objects.create(
        agreement=t.signed_agreement, year=2021, title=f"Löfte {tag} 2021", text="Vi syns."
    )
    return t
