"""Demo data for the forums app: the forums of the three reference agreements; idempotent.

Forums and seats are found by name and created only when missing. A year of
meetings (ending a quarter ahead) is planned for a few forums the first time
only, and attendance is recorded for the held meetings that lack it — so that
exactly one party falls below the attendance threshold: the police in
KSG Trygghet och strategisk stadsdelsutveckling.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from agreements.choices import OrganisationKind
from agreements.demo import DemoContext, org
from agreements.models import Agreement

from . import services
from .choices import ForumKind, Frequency
from .models import Forum, ForumSeat

MUNICIPALITY = "kommun"
POLICE = "polis"


def _agreement(ctx: DemoContext, key: str):
    agreement = ctx.agreements.get(key)
    if agreement is not None:
        return agreement
    municipality = ctx.orgs[key]
    return Agreement.objects.filter(municipality=municipality).order_by("-valid_from", "pk").first()


def _forum(ctx, key, municipality_key, *, name, seats, parent=None, **fields) -> Forum:
    municipality = ctx.orgs[municipality_key]
    forum = Forum.objects.filter(municipality=municipality, name=name).first()
    if forum is None:
        forum = Forum(municipality=municipality, name=name, parent=parent, **fields)
        forum.full_clean()
        forum.save()
    agreement = _agreement(ctx, municipality_key)
    if agreement is not None and not forum.agreements.filter(pk=agreement.pk).exists():
        forum.agreements.add(agreement)
    for position, (organisation, function, required) in enumerate(seats, start=1):
        if not ForumSeat.objects.filter(
            forum=forum, organisation=organisation, function=function
        ).exists():
            seat = ForumSeat(
                forum=forum,
                organisation=organisation,
                function=function,
                required=required,
                position=position,
            )
            seat.full_clean()
            seat.save()
    ctx.forums[key] = forum
    return forum


def load_forums(ctx: DemoContext) -> None:
    o = ctx.orgs
    esk, lpo_esk = o["eskilstuna"], o["lpo_eskilstuna"]
    beredning = _forum(
        ctx,
        "trygghetsberedningen",
        "eskilstuna",
        name="Trygghetsberedningen",
        kind=ForumKind.MANAGEMENT_GROUP,
        frequency=Frequency.QUARTERLY,
        chair="Kommunstyrelsens ordförande",
        purpose=(
            "Politisk beredning där lokalpolisområdets ledning och kommunens politiska ledning "
            "stämmer av läget. Tar emot rapporteringen från KUG."
        ),
        seats=[
            (esk, "Kommunstyrelsens ordförande", True),
            (lpo_esk, "Lokalpolisområdeschef", True),
        ],
    )
    kug = _forum(
        ctx,
        "kug",
        "eskilstuna",
        name="Koncernutvecklingsgrupp Tryggt och socialt hållbart Eskilstuna",
        abbreviation="KUG",
        kind=ForumKind.STRATEGIC_COUNCIL,
        frequency=Frequency.MONTHLY,
        parent=beredning,
        convener=esk,
        chair="Direktör för social hållbarhet",
        purpose=(
            "Kommunens strategiska råd för brottsförebyggande frågor och ledningsgrupp för "
            "samverkansöverenskommelsen. Följer fokusområdena löpande och åtgärdsplanen vid "
            "delår 2 och helår."
        ),
        seats=[
            (esk, "Direktör för social hållbarhet", True),
            (lpo_esk, "Biträdande lokalpolisområdeschef", True),
            (esk, "Administrativ direktör", True),
            (esk, "Kommunikationsdirektör", True),
            (esk, "Säkerhetschef", True),
            (esk, "Förvaltningschef, barn- och utbildningsförvaltningen", False),
        ],
    )
    _forum(
        ctx,
        "ksg_trygghet",
        "eskilstuna",
        name="Koncernsamordningsgrupp Trygghet och strategisk stadsdelsutveckling",
        abbreviation="KSG Trygghet",
        kind=ForumKind.COORDINATION_GROUP,
        frequency=Frequency.MONTHLY,
        parent=kug,
        convener=esk,
        chair="Trygghetssamordnare",
        purpose="Samordnar och leder det operativa arbetet och bereder utvecklingsförslag till KUG.",
        seats=[
            (esk, "Trygghetssamordnare", True),
            (lpo_esk, "Kommunpolis", True),
            (esk, "Stadsdelsutvecklare", False),
        ],
    )
    _forum(
        ctx,
        "ksg_shb",
        "eskilstuna",
        name="Koncernsamordningsgrupp Systemhotande brottslighet",
        abbreviation="KSG SHB",
        kind=ForumKind.COORDINATION_GROUP,
        frequency=Frequency.MONTHLY,
        parent=kug,
        convener=esk,
        chair="Säkerhetschef",
        purpose="Samordnar arbetet mot välfärdsbrott, otillåten påverkan och annan systemhotande brottslighet.",
        seats=[(esk, "Säkerhetschef", True), (lpo_esk, "Kommunpolis", True)],
    )
    _forum(
        ctx,
        "sspf",
        "eskilstuna",
        name="SSPF-samverkan",
        abbreviation="SSPF",
        kind=ForumKind.OPERATIONAL,
        frequency=Frequency.BIWEEKLY,
        purpose=(
            "Samverkan mellan skola, socialtjänst, polis och fritid. Arbetet med enskilda "
            "ungdomar sker under sekretess och dokumenteras inte här."
        ),
        seats=[
            (esk, "Samordnare SSPF", True),
            (lpo_esk, "Kommunpolis", True),
            (esk, "Fritidsledare", False),
        ],
    )
    _forum(
        ctx,
        "est",
        "eskilstuna",
        name="EST-samverkan",
        abbreviation="EST",
        kind=ForumKind.OPERATIONAL,
        frequency=Frequency.WEEKLY,
        purpose="Veckovisa avstämningar för trygghet mellan kommunen och polisen.",
        seats=[(esk, "Trygghetssamordnare", True), (lpo_esk, "Områdespolis", True)],
    )

    esl, lpo_esl = o["eslov"], o["lpo_eslov"]
    ebo = org("Eslövs Bostads AB", OrganisationKind.COMPANY, esl, short_name="ebo")
    _forum(
        ctx,
        "orat",
        "eslov",
        name="Örat mot marken",
        kind=ForumKind.OPERATIONAL,
        frequency=Frequency.WEEKLY,
        chair="Trygghetssamordnare, tillväxtavdelningen",
        purpose=(
            "Kommunala verksamheter och samarbetspartner träffas varje vecka och tar fram en "
            "gemensam lägesbild av tryggheten."
        ),
        seats=[(esl, "Trygghetssamordnare", True), (lpo_esl, "Kommunpolis", True)],
    )
    _forum(
        ctx,
        "sspe",
        "eslov",
        name="SSPE – skola, socialtjänst, polis och ebo",
        abbreviation="SSPE",
        kind=ForumKind.COORDINATION_GROUP,
        frequency="",  # the agreement does not say how often
        purpose="Brotts- och drogförebyggande samverkan; två grupper (ungdomar och vuxna) och en styrgrupp.",
        seats=[
            (esl, "Resursavdelningen, barn och utbildning", True),
            (esl, "Socialtjänsten", True),
            (lpo_esl, "Kommunpolis", True),
            (ebo, "Trygghetsansvarig", True),
        ],
    )
    _forum(
        ctx,
        "tillsyn",
        "eslov",
        name="Lagstadgad tillsynsverksamhet i samverkan",
        kind=ForumKind.WORKING_GROUP,
        frequency="",  # the agreement does not say how often
        purpose="Samordnad alkohol- och tobakstillsyn och annan lagstadgad tillsyn.",
        seats=[(esl, "Alkoholhandläggare", True), (lpo_esl, "Kommunpolis", True)],
    )

    str_, lpo_str = o["strangnas"], o["lpo_strangnas"]
    _forum(
        ctx,
        "bra",
        "strangnas",
        name="Brottsförebyggande rådet",
        abbreviation="BRÅ",
        kind=ForumKind.STRATEGIC_COUNCIL,
        frequency=Frequency.QUARTERLY,
        # "… har i uppdrag att sammankalla andra personer från kommunens verksamheter"
        convener=str_,
        chair="Samordnare för brottsförebyggande frågor",
        purpose="Leder och följer upp samverkansöverenskommelsen och handlingsplanen fyra gånger om året.",
        seats=[
            (str_, "Samordnare för brottsförebyggande frågor", True),
            (lpo_str, "Kommunpolis eller lokalpolisområdeschef", True),
        ],
    )


#: forum key -> (start time, place, seats absent at meeting i: {seat position: predicate})
MEETING_PLANS = {
    "kug": (datetime.time(9, 0), "Stadshuset, sammanträdesrum Tunafors", {2: lambda i: i == 4}),
    "ksg_trygghet": (datetime.time(13, 0), "Stadshuset, rum 412", {2: lambda i: i % 3 == 0}),
    "orat": (datetime.time(8, 30), "Stadshuset Eslöv", {2: lambda i: i % 10 == 3}),
    "bra": (datetime.time(14, 0), "Kommunhuset Strängnäs", {}),
}


def load_meetings(ctx: DemoContext) -> None:
    today = timezone.localdate()
    for key, (start_time, place, absences) in MEETING_PLANS.items():
        forum = ctx.forums[key]
        if not forum.meetings.exists():
            services.meeting_series_plan(
                forum=forum,
                starts_on=today - datetime.timedelta(days=360),
                ends_on=today + datetime.timedelta(days=90),
                start_time=start_time,
                duration_minutes=90,
                place=place,
            )
        seats = list(forum.seats.order_by("position", "pk"))
        held = [m for m in forum.meetings.order_by("starts_at") if m.is_held]
        recorded = set(
            forum.meetings.filter(attendances__isnull=False).values_list("pk", flat=True)
        )
        for index, meeting in enumerate(held):
            if meeting.pk in recorded:
                continue
            presence = {
                seat.pk: not absences.get(seat.position, lambda i: False)(index)
                for seat in seats
                if seat.is_active_on(meeting.local_date)
            }
            services.attendance_record(meeting=meeting, presence=presence)
        if held and not held[-1].decisions.exists():
            last = held[-1]
            if not last.agenda:
                last.agenda = "1. Lägesbild\n2. Uppföljning av åtgärdsplanen\n3. Övriga frågor"
                last.minutes = (
                    "Lägesbilden gicks igenom. Åtgärdsplanen följer i stort sett tidplanen."
                )
                last.full_clean()
                last.save()
            services.decision_add(meeting=last, text="Lägesbilden fastställs.")
            services.decision_add(
                meeting=last, text="Avvikelser i åtgärdsplanen följs upp till nästa möte."
            )


def load(ctx: DemoContext) -> None:
    load_forums(ctx)
    load_meetings(ctx)
