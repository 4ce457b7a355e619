"""Agreements in every lifecycle state, with their trees and history."""

from __future__ import annotations

import datetime

from agreements.choices import (
    AgreementStatus,
    PromiseStatus,
)
from agreements.models import (
    Agreement,
    Cause,
    CitizenPromise,
    Commitment,
    FocusArea,
    Signatory,
    SubGoal,
)

from .base import Municipality, _aware, _text
from .vocabulary import FOCUS_AREAS, PHRASES


class AgreementsMixin:
    """Agreements (superseded, signed, revisions) and everything under them."""

    def agreements(self, ms: list[Municipality]) -> None:
        def agreement(m, start, end, number, revision_of=None):
            a = Agreement(
                title=f"Samverkansöverenskommelse {m.base} {start.year}–{end.year}",
                reference=f"KS {start.year - 1}/{100 + m.index}",
                municipality=m.org,
                police_area=m.police,
                valid_from=start,
                valid_to=end,
                status=AgreementStatus.DRAFT,
                background=_text(m.rng, 4),
                situation_sources="NTU, polisens trygghetsmätning, skolenkäten.",
                purpose=_text(m.rng, 2),
                overall_goal="Ökad trygghet och minskad brottslighet i hela kommunen.",
                organisation_text=_text(m.rng, 2),
                followup_text="Uppföljning sker kvartalsvis i samordningsgruppen.",
                budget_text="Varje part bär sina egna kostnader.",
                communication_text=_text(m.rng, 1),
                decision_body="Kommunstyrelsen",
                decision_date=start - datetime.timedelta(days=40),
                revision_of=revision_of,
                revision_number=number,
                is_public=m.index % 2 == 0,
            )
            return self.stamp(a, _aware(start - datetime.timedelta(days=120)), m.coordinator)

        def with_story(a):
            self.agreement_story(m_of[a.municipality_id], a)
            return a

        for m in ms:
            m.agreements.append(agreement(m, self.prev_start, self.prev_end, 1))
        m_of = {m.org.pk: m for m in ms}
        self.create(Agreement, [with_story(m.previous) for m in ms], defer=True)
        for m in ms:
            m.agreements.append(agreement(m, self.cur_start, self.cur_end, 2, m.previous))
        self.create(Agreement, [with_story(m.current) for m in ms], defer=True)
        revisions = []
        for m in ms:
            if m.index % 5 in (1, 2, 3):
                start = datetime.date(self.today.year + 1, 1, 1)
                end = datetime.date(start.year + self.c.years - 1, 12, 31)
                revision = agreement(m, start, end, 3, m.current)
                self.stamp(
                    revision, _aware(self.today - datetime.timedelta(days=45)), m.coordinator
                )
                m.agreements.append(revision)
                revisions.append(revision)
        self.create(Agreement, [with_story(r) for r in revisions], defer=True)
        self.link(
            Agreement._meta.get_field("other_parties"),
            [(a.pk, m.company.pk) for m in ms for a in m.agreements],
        )

    def agreement_trees(self, ms: list[Municipality]) -> None:
        focus_areas = []
        for m in ms:
            for a in m.agreements:
                chosen = m.rng.sample(FOCUS_AREAS, 4)
                m.focus_areas[a.pk] = []
                for pos, (title, kind) in enumerate(chosen, start=1):
                    fa = FocusArea(
                        agreement=a,
                        position=pos,
                        title=title,
                        description=_text(m.rng, 2),
                        kind=kind,
                    )
                    m.focus_areas[a.pk].append(self.stamp(fa, a.created_at, m.coordinator))
                    focus_areas.append(fa)
        self.create(FocusArea, focus_areas)
        sub_goals, causes, commitments, signatories, promises = [], [], [], [], []
        for m in ms:
            for a in m.agreements:
                for fa in m.focus_areas[a.pk]:
                    m.sub_goals[fa.pk] = [
                        self.stamp(
                            SubGoal(
                                focus_area=fa,
                                position=p,
                                text=f"Delmål {fa.position}.{p}: {fa.title.lower()} ska förbättras "
                                "mätbart under perioden.",
                                measured_by="Trygghetsmätning och anmälningsstatistik.",
                            ),
                            a.created_at,
                            m.coordinator,
                        )
                        for p in range(1, 4)
                    ]
                    m.causes[fa.pk] = [
                        self.stamp(
                            Cause(focus_area=fa, position=p, text=_text(m.rng, 1)),
                            a.created_at,
                            m.coordinator,
                        )
                        for p in range(1, 3)
                    ]
                    sub_goals += m.sub_goals[fa.pk]
                    causes += m.causes[fa.pk]
                for pos, (party, verb) in enumerate(
                    [
                        (m.org, "Kommunen förbinder sig att"),
                        (m.org, "Kommunen förbinder sig att"),
                        (m.police, "Polisen förbinder sig att"),
                        (m.police, "Polisen förbinder sig att"),
                        (None, "Vi åtar oss att"),
                        (None, "Vi åtar oss att"),
                    ],
                    start=1,
                ):
                    fa = m.focus_areas[a.pk][pos % 4] if pos % 2 else None
                    commitments.append(
                        self.stamp(
                            Commitment(
                                agreement=a,
                                focus_area=fa,
                                party=party,
                                position=pos,
                                text=f"{verb} {m.rng.choice(PHRASES).lower()}",
                            ),
                            a.created_at,
                            m.coordinator,
                        )
                    )
                for pos, (name, title, org) in enumerate(
                    [
                        (f"Ordförande {m.base}", "Kommunstyrelsens ordförande", m.org),
                        (f"Chef {m.base}", "Lokalpolisområdeschef", m.police),
                    ],
                    start=1,
                ):
                    signatories.append(
                        self.stamp(
                            Signatory(
                                agreement=a,
                                position=pos,
                                name=name,
                                title=title,
                                organisation=org,
                                place=m.base,
                                signed_on=a.valid_from - datetime.timedelta(days=20)
                                if a.revision_number < 3
                                else None,
                            ),
                            a.created_at,
                            m.coordinator,
                        )
                    )
            for year in range(self.cur_start.year, self.today.year + 1):
                for k in range(2):
                    promise = CitizenPromise(
                        agreement=m.current,
                        year=year,
                        title=f"Medborgarlöfte {year}: {FOCUS_AREAS[(year + k) % 6][0].lower()}",
                        text=_text(m.rng, 2),
                        status=PromiseStatus.ACTIVE
                        if year == self.today.year
                        else PromiseStatus.FULFILLED,
                    )
                    promises.append(
                        self.stamp(promise, _aware(datetime.date(year, 2, 1)), m.coordinator)
                    )
        self.create(SubGoal, sub_goals)
        self.create(Cause, causes)
        self.create(Commitment, commitments)
        self.create(Signatory, signatories)
        self.create(CitizenPromise, promises)
        by_agreement = {m.current.pk: m for m in ms}
        self.link(
            CitizenPromise._meta.get_field("areas"),
            [(p.pk, by_agreement[p.agreement_id].areas[p.year % 4].pk) for p in promises],
        )
        self.link(
            CitizenPromise._meta.get_field("parties"),
            [
                (p.pk, org.pk)
                for p in promises
                for org in (by_agreement[p.agreement_id].org, by_agreement[p.agreement_id].police)
            ],
        )

    # -- forums ---------------------------------------------------------------

    def agreement_story(self, m: Municipality, a: Agreement) -> None:
        """Draft → review → approved → signed (→ superseded), each by whom it falls to."""
        start = a.valid_from
        if a.revision_number == 3:
            target = [None, AgreementStatus.REVIEW, AgreementStatus.APPROVED, None, None][
                m.index % 5
            ]
            if target:
                when = _aware(self.today - datetime.timedelta(days=30))
                self.later(
                    a, when, m.coordinator, "Skickad på remiss", status=AgreementStatus.REVIEW
                )
            if target == AgreementStatus.APPROVED:
                when = _aware(self.today - datetime.timedelta(days=10))
                self.later(
                    a,
                    when,
                    m.council,
                    "Beslutad i kommunstyrelsen",
                    status=AgreementStatus.APPROVED,
                )
            return
        for status, days, user, reason in (
            (AgreementStatus.REVIEW, 90, m.coordinator, "Skickad på remiss"),
            (AgreementStatus.APPROVED, 40, m.council, "Beslutad i kommunstyrelsen"),
        ):
            self.later(
                a, _aware(start - datetime.timedelta(days=days)), user, reason, status=status
            )
        signed = _aware(start - datetime.timedelta(days=20))
        self.later(
            a,
            signed,
            m.coordinator,
            "Undertecknad",
            status=AgreementStatus.SIGNED,
            signed_at=signed,
        )
        if a.revision_number == 1:
            self.later(
                a,
                _aware(self.cur_start - datetime.timedelta(days=20)),
                m.coordinator,
                "Ersatt av reviderad överenskommelse",
                status=AgreementStatus.SUPERSEDED,
            )
