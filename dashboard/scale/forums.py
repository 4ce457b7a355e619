"""Forums with seats, meetings, decisions and attendance."""

from __future__ import annotations

import datetime
import random
from collections import defaultdict

from forums.choices import ForumKind, Frequency
from forums.models import Attendance, Forum, ForumSeat, Meeting, MeetingDecision

from .base import Municipality, _aware, _text
from .vocabulary import BATCH


class ForumsMixin:
    """Forums, seats, meetings, decisions and attendance."""

    def forums(self, ms: list[Municipality]) -> None:
        specs = [
            ("Kommunala utvecklingsgruppen", "KUG", ForumKind.STRATEGIC_COUNCIL, Frequency.QUARTERLY),
            ("Kommunala samverkansgruppen", "KSG", ForumKind.COORDINATION_GROUP, Frequency.MONTHLY),
            ("Effektiv samordning för trygghet", "EST", ForumKind.OPERATIONAL, Frequency.BIWEEKLY),
        ]  # fmt: skip
        when = _aware(self.prev_start - datetime.timedelta(days=5))
        forums = []
        for m in ms:
            for name, abbr, kind, freq in specs:
                forum = Forum(
                    municipality=m.org,
                    name=f"{name} {m.base}",
                    abbreviation=abbr,
                    purpose=_text(m.rng, 1),
                    kind=kind,
                    frequency=freq,
                    chair="Kommundirektör" if abbr == "KUG" else "Trygghetssamordnare",
                )
                m.forums.append(self.stamp(forum, when, m.coordinator))
            forums += m.forums
        self.create(Forum, forums)
        parents = []
        for m in ms:
            m.forums[1].parent = m.forums[0]
            m.forums[2].parent = m.forums[1]
            parents += m.forums[1:]
        Forum._base_manager.bulk_update(parents, ["parent"], batch_size=BATCH)
        self.link(
            Forum._meta.get_field("agreements"),
            [(f.pk, a.pk) for m in ms for f in m.forums for a in m.agreements],
        )
        seats = []
        seat_specs = [
            [("Kommundirektör", "org"), ("Lokalpolisområdeschef", "police"),
             ("Socialchef", 0), ("VD", "company")],
            [("Trygghetssamordnare", "org"), ("Kommunpolis", "police"),
             ("Rektor", 1), ("Enhetschef", 0)],
            [("Fältsekreterare", 0), ("Kommunpolis", "police"), ("Trygghetssamordnare", "org")],
        ]  # fmt: skip
        for m in ms:
            for forum, spec in zip(m.forums, seat_specs, strict=True):
                for pos, (function, who) in enumerate(spec, start=1):
                    org = (
                        m.departments[who]
                        if isinstance(who, int)
                        else {"org": m.org, "police": m.police, "company": m.company}[who]
                    )
                    seats.append(
                        self.stamp(
                            ForumSeat(
                                forum=forum, organisation=org, function=function, position=pos
                            ),
                            when,
                            m.coordinator,
                        )
                    )
        self.create(ForumSeat, seats)
        seats_by_forum = defaultdict(list)
        for seat in seats:
            seats_by_forum[seat.forum_id].append(seat)
        meetings = []
        cadence = {Frequency.QUARTERLY: 91, Frequency.MONTHLY: 30, Frequency.BIWEEKLY: 14}
        for m in ms:
            for forum in m.forums:
                day = self.cur_start + datetime.timedelta(days=10 + m.index % 7)
                while day < self.today + datetime.timedelta(days=60):
                    if day.month != 7:
                        start = _aware(day, 9 + m.index % 5)
                        meetings.append(
                            self.stamp(
                                Meeting(
                                    forum=forum,
                                    starts_at=start,
                                    ends_at=start + datetime.timedelta(hours=2),
                                    place="Stadshuset"
                                    if forum.abbreviation == "KUG"
                                    else "Polishuset",
                                    agenda="1. Lägesbild\n2. Uppföljning av åtgärdsplanen\n3. Övrigt",
                                    minutes=_text(m.rng, 2) if day < self.today else "",
                                ),
                                start - datetime.timedelta(days=14),
                                m.coordinator,
                            )
                        )
                    day += datetime.timedelta(days=cadence[forum.frequency])
        self.create(Meeting, meetings)
        decisions, attendances = [], []
        rng = random.Random(f"{self.c.seed}:meetings:{ms[0].index}")
        coordinator_of = {m.org.pk: m.coordinator for m in ms}
        forum_muni = {f.pk: f.municipality_id for m in ms for f in m.forums}
        for meeting in meetings:
            if meeting.starts_at.date() >= self.today:
                continue
            who = coordinator_of[forum_muni[meeting.forum_id]]
            after = meeting.starts_at + datetime.timedelta(days=2)
            decisions.append(
                self.stamp(
                    MeetingDecision(
                        meeting=meeting,
                        position=1,
                        text="Lägesbilden godkändes och läggs till handlingarna.",
                    ),
                    after,
                    who,
                )
            )
            for seat in seats_by_forum[meeting.forum_id]:
                attendances.append(
                    self.stamp(
                        Attendance(
                            meeting=meeting,
                            seat=seat,
                            organisation_id=seat.organisation_id,
                            person=seat.function,
                            present=rng.random() < 0.85,
                        ),
                        after,
                        who,
                    )
                )
        self.create(MeetingDecision, decisions)
        self.create(Attendance, attendances)

    # -- action plans ---------------------------------------------------------
