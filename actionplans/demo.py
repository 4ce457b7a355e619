"""Demo data for the actionplans app: the three reference action plans; idempotent.

Runs after the agreements and forums loaders. Objects are found by natural keys
(plan title, activity code) and only what is missing is created, so running
``load_demo`` again changes nothing. Long texts from the reference documents are
paraphrased, not copied.
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model

from agreements.choices import OrganisationKind
from agreements.demo import DemoContext
from agreements.models import Agreement, Area, FocusArea, Organisation
from core.choices import ReviewDecision, ReviewState
from forums.models import Forum

from .choices import ActivityKind, ActivityStatus, EffectHorizon, PartyRole, PlanStatus
from .models import ActionPlan, Activity, ActivityRole, Review

S = ActivityStatus
R = PartyRole


def _agreement(ctx: DemoContext, key: str, title_part: str) -> Agreement | None:
    agreement = ctx.agreements.get(key)
    if agreement is None:
        agreement = (
            Agreement.objects.filter(title__icontains=title_part, revision_of__isnull=True)
            .order_by("pk")
            .first()
        )
    return agreement


def _unit(name: str, parent: Organisation) -> Organisation:
    obj, _created = Organisation.objects.get_or_create(
        name=name, parent=parent, defaults={"kind": OrganisationKind.DEPARTMENT}
    )
    return obj


def _plan(
    agreement: Agreement, title: str, status: str = PlanStatus.ADOPTED, **extra
) -> ActionPlan:
    plan = ActionPlan.objects.filter(agreement=agreement, title=title).first()
    if plan is None:
        plan = ActionPlan(
            agreement=agreement,
            title=title,
            valid_from=agreement.valid_from,
            valid_to=agreement.valid_to,
            status=status,
            **extra,
        )
        plan.full_clean()
        plan.save()
    return plan


def _focus(agreement: Agreement, title_part: str) -> FocusArea | None:
    return FocusArea.objects.filter(agreement=agreement, title__icontains=title_part).first()


def _forum(municipality: Organisation, abbreviation: str) -> Forum | None:
    return Forum.objects.filter(
        municipality=municipality, abbreviation__iexact=abbreviation
    ).first()


def _activity(
    plan: ActionPlan,
    code: str,
    position: int,
    title: str,
    *,
    focus_area=None,
    sub_goal_index: int | None = None,
    roles=(),
    areas=(),
    **fields,
) -> Activity:
    activity = Activity.objects.filter(plan=plan, code=code).first()
    if activity is not None:
        return activity
    activity = Activity(
        plan=plan, code=code, position=position, title=title, focus_area=focus_area, **fields
    )
    activity.full_clean()
    activity.save()
    if focus_area is not None and sub_goal_index is not None:
        sub_goals = list(focus_area.sub_goals.order_by("position", "pk"))
        if sub_goal_index < len(sub_goals):
            activity.sub_goals.add(sub_goals[sub_goal_index])
    if areas:
        activity.areas.set(areas)
    for organisation, role, text in roles:
        if organisation is None:
            continue
        obj = ActivityRole(activity=activity, organisation=organisation, role=role, text=text)
        obj.full_clean()
        obj.save()
    return activity


def _review(activity: Activity, reviewer, decision: str, comment: str) -> None:
    if reviewer is None or activity.reviews.exists():
        return
    review = Review(activity=activity, reviewer=reviewer, decision=decision, comment=comment)
    review.full_clean()
    review.save()


# ---------------------------------------------------------------------------
# Eslöv 2021–2022: fourteen activities with effect goals and responsible units
# ---------------------------------------------------------------------------


def load_eslov(ctx: DemoContext) -> ActionPlan | None:
    agreement = _agreement(ctx, "eslov", "Eslöv")
    if agreement is None:
        return None
    kommun, lpo = agreement.municipality, agreement.police_area
    msb = _unit("Miljö och samhällsbyggnad", kommun)
    gtp = _unit("Gata, trafik, park", msb)
    kof = _unit("Kultur och fritid", kommun)
    klk = _unit("Kommunledningskontoret", kommun)
    tillvaxt = _unit("Tillväxtavdelningen", klk)
    bou = _unit("Barn och utbildning", kommun)
    resurs = _unit("Resursavdelningen", bou)
    grundskolan = _unit("Grundskolan", bou)
    voo = _unit("Vård och omsorg", kommun)
    social18 = _unit("Socialtjänst över 18 år", voo)
    plan = _plan(agreement, "Aktiviteter i samverkansöverenskommelsen 2021–2022")
    public = _focus(agreement, "offentlig miljö")
    early = _focus(agreement, "Tidig upptäckt")
    violence = _focus(agreement, "nära relationer")
    extremism = _focus(agreement, "extremism")
    drugs = _focus(agreement, "drog")
    sspe = _forum(kommun, "SSPE")
    rows = [
        # code, title, focus area, sub-goal index, responsible, effect goal, status, police role
        (
            "1.1",
            "Tryggare gångtunnlar och liknande miljöer",
            public,
            0,
            gtp,
            "Gångtunnlarna upplevs som tryggare än att gå över en trafikerad väg.",
            S.DONE,
            (R.SUPPORTS, "Bidrar med lägesbild från trygghetsvandringar"),
        ),
        (
            "1.2",
            "30 km/h i bostadsområden",
            public,
            1,
            gtp,
            "En självförklarande trafikmiljö med låga hastigheter och få skyltar, på de oskyddade "
            "trafikanternas villkor.",
            S.DONE,
            None,
        ),
        (
            "1.3",
            "Större kulturutbud i ytterområdena",
            public,
            2,
            kof,
            "Kulturutbudet når hela kommunen, inte bara tätorten.",
            S.IN_PROGRESS,
            None,
        ),
        (
            "1.4",
            "Trygghetsvandringar",
            public,
            3,
            tillvaxt,
            "Alla känner att de kan vistas i utemiljön.",
            S.DONE,
            (R.PARTICIPATES, "Deltar i vandringarna tillsammans med räddningstjänsten"),
        ),
        (
            "1.5",
            "Örat mot marken",
            public,
            4,
            tillvaxt,
            "Eslöv är fortsatt en trygg plats att leva på.",
            S.IN_PROGRESS,
            (R.PARTICIPATES, "Deltar i veckomötena"),
        ),
        (
            "1.6",
            "Mänskliga rättigheter som perspektiv på trygghet",
            public,
            5,
            tillvaxt,
            "Alla känner sig välkomna i den offentliga miljön.",
            S.PLANNED,
            None,
        ),
        (
            "2.1",
            "SSPE – skola, socialtjänst, polis och Eslövs Bostads AB",
            early,
            0,
            resurs,
            "Unga får en trygg vardag och stöd till ett aktivt liv.",
            S.IN_PROGRESS,
            (R.PARTICIPATES, "Deltar i styrgrupp och arbetsgrupper"),
        ),
        (
            "2.2",
            "Vidareutveckla sociala insatsgrupper",
            early,
            1,
            resurs,
            "Färre unga rekryteras till en kriminell livsstil och fler får hjälp att lämna den.",
            S.IN_PROGRESS,
            (R.COLLABORATES, "Samverkar kring unga 13–25 år i riskzon"),
        ),
        (
            "2.3",
            "Socialsekreterare hos polisen",
            early,
            2,
            resurs,
            "Socialtjänst och polis samarbetar smidigt så att ingen ungdom hamnar mellan stolarna.",
            S.DONE,
            (R.COLLABORATES, "Tjänsten är placerad i polishuset"),
        ),
        (
            "2.4",
            "Läger för elever i årskurs 7",
            early,
            3,
            grundskolan,
            "Unga känner trygghet och tillhörighet i samhället omkring dem.",
            S.DONE,
            (R.PARTICIPATES, "Träffar eleverna på lägret"),
        ),
        (
            "3.1",
            "Arbete mot hedersrelaterat våld och förtryck",
            violence,
            0,
            resurs,
            "Fler barn som utsätts för hedersrelaterat våld eller förtryck upptäcks och får hjälp.",
            S.IN_PROGRESS,
            (R.PARTICIPATES, "Deltar i gemensam kompetenshöjning"),
        ),
        (
            "3.2",
            "Stöd till barn som bevittnat våld",
            violence,
            1,
            social18,
            "Färre barn i kommunen bevittnar våld i hemmet.",
            S.DELAYED,
            (R.COLLABORATES, "Närpolis och brottsoffersamordnare samverkar"),
        ),
        (
            "4.1",
            "Förhindra rekrytering till våldsbejakande extremism",
            extremism,
            0,
            grundskolan,
            "Färre barn ansluter sig till våldsbejakande extremistiska grupper.",
            S.PLANNED,
            (R.COLLABORATES, "Skolan och polisen arbetar tillsammans"),
        ),
        (
            "5.1",
            "Alkohol- och drogförebyggande arbete",
            drugs,
            0,
            social18,
            "Samverkan kring insatserna fungerar och hålls vid liv när nya generationer växer upp.",
            S.IN_PROGRESS,
            (R.COLLABORATES, "Samordnad tillsyn och Krogar mot knark"),
        ),
    ]
    for position, (code, title, focus, sg, unit, goal, status, police) in enumerate(rows, 1):
        roles = [(unit, R.LEADS, "")]
        if police:
            roles.append((lpo, police[0], police[1]))
        _activity(
            plan,
            code,
            position,
            title,
            focus_area=focus,
            sub_goal_index=sg,
            responsible=unit,
            effect_goal=goal,
            status=status,
            forum=sspe if code == "2.1" else None,
            kind=ActivityKind.SITUATIONAL if code.startswith("1.") else ActivityKind.SOCIAL,
            horizon=EffectHorizon.SHORT if code.startswith("1.") else EffectHorizon.LONG,
            followup_method="Följs upp årligen i samband med medborgarlöftena.",
            roles=roles,
        )
    return plan


# ---------------------------------------------------------------------------
# Strängnäs 2020–2023: the handlingsplan — Vad · Kommun · Polis · Kommunikation
# ---------------------------------------------------------------------------


def load_strangnas(ctx: DemoContext) -> ActionPlan | None:
    agreement = _agreement(ctx, "strangnas", "Strängnäs")
    if agreement is None:
        return None
    kommun, lpo = agreement.municipality, agreement.police_area
    plan = _plan(agreement, "Handlingsplan för Strängnäs kommun och polisen 2020–2023")
    youth = _focus(agreement, "ungdomsbrott")
    drugs = _focus(agreement, "drog")
    comms = _focus(agreement, "Kommunikation")
    public = _focus(agreement, "Otrygghet")
    bra = _forum(kommun, "BRÅ")
    rows = [
        (
            "1",
            "SIG – sociala insatsgrupper",
            youth,
            (R.LEADS, "Socialtjänsten samordnar"),
            (R.PARTICIPATES, "Deltar"),
            "Polis och kommun",
            S.IN_PROGRESS,
            kommun,
        ),
        (
            "2",
            "Team ungdom",
            youth,
            (R.LEADS, "Fritid"),
            (R.COLLABORATES, "Samverkar"),
            "Trygghetssamordnare",
            S.IN_PROGRESS,
            kommun,
        ),
        (
            "3",
            "ANDT i skolan",
            drugs,
            (R.INITIATES, "Trygghetssamordnaren samordnar och initierar"),
            (R.COLLABORATES, "Samverkar"),
            "Trygghetssamordnare",
            S.DONE,
            kommun,
        ),
        (
            "4",
            "Känn dig trygg",
            youth,
            (R.LEADS, "Socialtjänsten samordnar"),
            (R.PARTICIPATES, "Deltar i undervisningsdelar"),
            "Polis och kommun",
            S.DONE,
            kommun,
        ),
        (
            "5",
            "SSPF",
            youth,
            (R.INITIATES, "Skolan initierar"),
            (R.PARTICIPATES, "Deltar"),
            "Polis och kommun",
            S.IN_PROGRESS,
            kommun,
        ),
        (
            "6",
            "Linköpingsmodellen",
            drugs,
            (R.PARTICIPATES, "Socialtjänsten deltar"),
            (R.INITIATES, "Initierar"),
            "Polis",
            S.IN_PROGRESS,
            lpo,
        ),
        (
            "7",
            "EST",
            public,
            (R.INITIATES, "Trygghetssamordnaren initierar"),
            (R.PARTICIPATES, "Deltar"),
            "Polis och kommun",
            S.IN_PROGRESS,
            kommun,
        ),
        (
            "8",
            "Lokala BRÅ",
            public,
            (R.LEADS, "Trygghetssamordnaren är ansvarig"),
            (R.PARTICIPATES, "Deltar"),
            "Trygghetssamordnare",
            S.IN_PROGRESS,
            kommun,
        ),
        (
            "9",
            "Fastighetsägarnätverk",
            public,
            (R.LEADS, "Boendestrategen sammankallar"),
            (R.PARTICIPATES, "Deltar"),
            "Trygghetssamordnare",
            S.PLANNED,
            kommun,
        ),
        (
            "10",
            "Kommunikation om trygghet",
            comms,
            (R.LEADS, "Trygghetssamordnare och kommunikatör"),
            (R.LEADS, "Kommunpolis och kommunikatör"),
            "Kommun och polis",
            S.IN_PROGRESS,
            kommun,
        ),
    ]
    for position, (code, title, focus, k_role, p_role, comms_text, status, lead) in enumerate(
        rows, 1
    ):
        _activity(
            plan,
            code,
            position,
            title,
            focus_area=focus,
            sub_goal_index=0,
            responsible=lead,
            communication=comms_text,
            status=status,
            schedule="Löpande 2020–2023",
            forum=bra if code == "8" else None,
            followup_method="Följs upp i centrala BRÅ fyra gånger per år.",
            roles=[(kommun, *k_role), (lpo, *p_role)],
        )
    return plan


# ---------------------------------------------------------------------------
# Eskilstuna 2024–2027: a few activities per focus area, reviews in progress
# ---------------------------------------------------------------------------


def load_eskilstuna(ctx: DemoContext) -> ActionPlan | None:
    agreement = _agreement(ctx, "eskilstuna", "Eskilstuna")
    if agreement is None:
        return None
    kommun, lpo = agreement.municipality, agreement.police_area
    User = get_user_model()
    police_user = (
        ctx.users.get("kommunpolis") or User.objects.filter(username="kommunpolis").first()
    )
    plan = _plan(
        agreement,
        "Åtgärdsplan 2024–2027",
        status=PlanStatus.ADOPTED,
        adopted_on=datetime.date(2024, 2, 1),
    )
    socfv = _unit("Socialförvaltningen", kommun)
    bufv = _unit("Barn- och utbildningsförvaltningen", kommun)
    kofv = _unit("Kultur- och fritidsförvaltningen", kommun)
    smfv = _unit("Samhällsbyggnads- och miljöförvaltningen", kommun)
    violence = _focus(agreement, "skjutningar")
    youth = _focus(agreement, "nyrekrytering")
    public = _focus(agreement, "offentliga rummet")
    system = _focus(agreement, "systemhotande")
    areas = list(
        Area.objects.filter(municipality=kommun, name__in=["Lagersberg", "Fröslunda", "Skiftinge"])
    )
    sspf, ksg_t, ksg_s = (
        _forum(kommun, "SSPF"),
        _forum(kommun, "KSG Trygghet"),
        _forum(kommun, "KSG SHB"),
    )
    P, CR, A, N = (
        ReviewState.SUBMITTED,
        ReviewState.RETURNED,
        ReviewState.APPROVED,
        ReviewState.DRAFT,
    )
    rows = [
        (
            "1.1",
            "Gruppvåldsintervention (GVI)",
            violence,
            0,
            lpo,
            S.IN_PROGRESS,
            A,
            ksg_s,
            "Färre våldsbrott kopplade till kriminella nätverk.",
            [],
            [
                (lpo, R.LEADS, "Leder budskapsmöten"),
                (socfv, R.PARTICIPATES, "Erbjuder stöd till avhopp"),
            ],
        ),
        (
            "1.2",
            "Samordnat stöd vid våld i nära relation",
            violence,
            1,
            socfv,
            S.PLANNED,
            P,
            None,
            "Fler utsatta får stöd tidigt; färre upprepade anmälningar.",
            [],
            [(socfv, R.LEADS, ""), (lpo, R.COLLABORATES, "Gemensamma ärendegenomgångar")],
        ),
        (
            "2.1",
            "SSPF i alla skolområden",
            youth,
            0,
            bufv,
            S.IN_PROGRESS,
            CR,
            sspf,
            "Unga i riskzon fångas upp tidigt.",
            [],
            [
                (bufv, R.LEADS, "Skolan sammankallar"),
                (socfv, R.PARTICIPATES, ""),
                (lpo, R.PARTICIPATES, "Kommunpolis deltar"),
            ],
        ),
        (
            "2.2",
            "Föräldraskapsstöd i utsatta områden",
            youth,
            3,
            socfv,
            S.PLANNED,
            N,
            None,
            "Fler föräldrar deltar i stödinsatser.",
            areas,
            [(socfv, R.LEADS, ""), (lpo, R.SUPPORTS, "Medverkar vid föräldraträffar")],
        ),
        (
            "2.3",
            "Meningsfull fritid sommartid",
            youth,
            2,
            kofv,
            S.DONE,
            A,
            None,
            "Fler unga deltar i organiserad fritid under sommaren.",
            areas,
            [(kofv, R.LEADS, ""), (lpo, R.SUPPORTS, "Närvaro vid aktiviteter")],
        ),
        (
            "3.1",
            "Platssamverkan i Lagersberg, Fröslunda och Skiftinge",
            public,
            1,
            smfv,
            S.IN_PROGRESS,
            P,
            ksg_t,
            "Ökad upplevd trygghet i områdena (Polisens trygghetsmätning).",
            areas,
            [
                (smfv, R.LEADS, "Platsanalys och fysiska åtgärder"),
                (lpo, R.PARTICIPATES, "Lägesbild"),
            ],
        ),
        (
            "3.2",
            "Gemensam kommunikation om läget i staden",
            public,
            0,
            kommun,
            S.IN_PROGRESS,
            N,
            ksg_t,
            "Ökad tillit till kommunen och polisen.",
            [],
            [
                (kommun, R.LEADS, "Kommunikationsavdelningen"),
                (lpo, R.COLLABORATES, "Polisens kommunikatör"),
            ],
        ),
        (
            "4.1",
            "Rutiner mot otillåten påverkan",
            system,
            1,
            kommun,
            S.DELAYED,
            CR,
            ksg_s,
            "Alla förvaltningar har rutiner för att hantera otillåten påverkan.",
            [],
            [(kommun, R.LEADS, "Säkerhetschefen"), (lpo, R.SUPPORTS, "Utbildar chefer")],
        ),
        (
            "4.2",
            "Motverka välfärdsbrott",
            system,
            0,
            socfv,
            S.PLANNED,
            N,
            ksg_s,
            "Färre felaktiga utbetalningar.",
            [],
            [(socfv, R.LEADS, ""), (lpo, R.COLLABORATES, "Informationsutbyte inom lagens ramar")],
        ),
    ]
    comments = {
        "1.1": (ReviewDecision.APPROVED, "Polisen står bakom aktiviteten."),
        "2.3": (ReviewDecision.APPROVED, ""),
        "2.1": (
            ReviewDecision.RETURNED,
            "Beskriv vilka skolområden som ingår och hur polisens närvaro följs upp.",
        ),
        "4.1": (
            ReviewDecision.RETURNED,
            "Tidplanen behöver uppdateras; utbildningen av chefer är flyttad till hösten.",
        ),
    }
    for position, row in enumerate(rows, 1):
        (
            code,
            title,
            focus,
            sg,
            responsible,
            status,
            review_state,
            forum,
            goal,
            act_areas,
            roles,
        ) = row
        activity = _activity(
            plan,
            code,
            position,
            title,
            focus_area=focus,
            sub_goal_index=sg,
            responsible=responsible,
            status=status,
            review_state=review_state,
            forum=forum,
            effect_goal=goal,
            areas=act_areas,
            starts_on=datetime.date(2024, 3, 1),
            ends_on=datetime.date(2027, 6, 30),
            followup_method="Delår 2 och helår i KUG Tryggt och socialt hållbart Eskilstuna.",
            roles=roles,
        )
        if code in comments:
            _review(activity, police_user, *comments[code])
    return plan


def load(ctx: DemoContext) -> None:
    for key, loader in (
        ("eskilstuna", load_eskilstuna),
        ("eslov", load_eslov),
        ("strangnas", load_strangnas),
    ):
        plan = loader(ctx)
        if plan is None:
            ctx.log.append(f"actionplans: no {key} agreement; its plan was skipped")
        else:
            ctx.plans[key] = plan
