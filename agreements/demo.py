"""Demo data for the agreements app: organisations, users and the three reference agreements.

The agreements of Eskilstuna 2024–2027, Eslöv 2021–2022 and Strängnäs 2020–2023
(``/work/shared/reference``) are modelled in full, in our own words: names,
titles and dates are taken over, longer passages are summarised.

Every function is idempotent: it finds objects by their natural names and
creates only what is missing, so ``load_demo`` can run again and again.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model

from .choices import (
    FocusAreaKind,
    OrganisationKind,
    PoliceClassification,
    PromiseStatus,
    Role,
)
from .models import (
    Agreement,
    AgreementArea,
    Area,
    Cause,
    CitizenPromise,
    Commitment,
    FocusArea,
    Membership,
    Organisation,
    Signatory,
    SubGoal,
)

DEMO_PASSWORD = "demo"  # noqa: S105 - documented demo credentials, refused without DEBUG


@dataclass
class DemoContext:
    """What each app's demo loader hands on to the next."""

    orgs: dict[str, Organisation] = field(default_factory=dict)
    users: dict[str, object] = field(default_factory=dict)
    agreements: dict[str, object] = field(default_factory=dict)
    plans: dict[str, object] = field(default_factory=dict)
    #: Agreements to sign once the forums they name are linked (see :func:`sign`).
    to_sign: list[tuple] = field(default_factory=list)
    forums: dict[str, object] = field(default_factory=dict)
    log: list[str] = field(default_factory=list)


def org(name: str, kind: str, parent: Organisation | None = None, **extra) -> Organisation:
    obj, _created = Organisation.objects.get_or_create(
        name=name, defaults={"kind": kind, "parent": parent, **extra}
    )
    return obj


def load_organisations(ctx: DemoContext) -> None:
    o = ctx.orgs
    o["region_ost"] = org("Polisregion Öst", OrganisationKind.POLICE_REGION)
    o["region_syd"] = org("Polisregion Syd", OrganisationKind.POLICE_REGION)
    o["eskilstuna"] = org("Eskilstuna kommun", OrganisationKind.MUNICIPALITY, code="0484")
    o["lpo_eskilstuna"] = org(
        "Lokalpolisområde Eskilstuna",
        OrganisationKind.POLICE_AREA,
        o["region_ost"],
        short_name="LPO Eskilstuna",
    )
    o["eslov"] = org("Eslövs kommun", OrganisationKind.MUNICIPALITY, code="1285")
    o["lpo_eslov"] = org(
        "Lokalpolisområde Eslöv",
        OrganisationKind.POLICE_AREA,
        o["region_syd"],
        short_name="LPO Eslöv",
    )
    o["strangnas"] = org("Strängnäs kommun", OrganisationKind.MUNICIPALITY, code="0486")
    o["lpo_strangnas"] = org(
        "Lokalpolisområde Strängnäs",
        OrganisationKind.POLICE_AREA,
        o["region_ost"],
        short_name="LPO Strängnäs",
    )


def user(username: str, first: str, last: str, memberships: list[tuple[Organisation, str]]):
    User = get_user_model()
    obj, created = User.objects.get_or_create(
        username=username,
        defaults={"first_name": first, "last_name": last, "email": f"{username}@example.se"},
    )
    if created:
        obj.set_password(DEMO_PASSWORD)
        obj.save()
    for organisation, role in memberships:
        Membership.objects.get_or_create(user=obj, organisation=organisation, role=role)
    return obj


def load_users(ctx: DemoContext) -> None:
    o, u = ctx.orgs, ctx.users
    u["samordnare"] = user(
        "samordnare", "Sara", "Samordnare", [(o["eskilstuna"], Role.COORDINATOR)]
    )
    u["kommunpolis"] = user(
        "kommunpolis", "Kim", "Kommunpolis", [(o["lpo_eskilstuna"], Role.POLICE)]
    )
    u["kug"] = user("kug", "Karin", "Rådsledamot", [(o["eskilstuna"], Role.COUNCIL_MEMBER)])
    u["samordnare-eslov"] = user(
        "samordnare-eslov", "Erik", "Samordnare", [(o["eslov"], Role.COORDINATOR)]
    )
    u["kommunpolis-eslov"] = user(
        "kommunpolis-eslov", "Elin", "Kommunpolis", [(o["lpo_eslov"], Role.POLICE)]
    )
    u["samordnare-strangnas"] = user(
        "samordnare-strangnas", "Stina", "Samordnare", [(o["strangnas"], Role.COORDINATOR)]
    )
    User = get_user_model()
    admin, created = User.objects.get_or_create(
        username="admin",
        defaults={"is_staff": True, "is_superuser": True, "email": "admin@example.se"},
    )
    if created:
        admin.set_password(DEMO_PASSWORD)
        admin.save()
    u["admin"] = admin


def load(ctx: DemoContext) -> None:
    load_organisations(ctx)
    load_users(ctx)
    load_areas(ctx)
    load_agreements(ctx)


# ---------------------------------------------------------------------------
# Areas and the three reference agreements
# ---------------------------------------------------------------------------


def load_areas(ctx: DemoContext) -> None:
    """The three areas in Eskilstuna the Police classify as utsatta områden."""
    for name in ("Lagersberg", "Fröslunda", "Skiftinge"):
        Area.objects.get_or_create(
            municipality=ctx.orgs["eskilstuna"],
            name=name,
            defaults={
                "police_classification": PoliceClassification.VULNERABLE,
                "socioeconomic_challenges": True,
            },
        )


def _focus_area(agreement, position, title, kind, description="", sub_goals=(), causes=()):
    area = FocusArea(
        agreement=agreement, position=position, title=title, kind=kind, description=description
    )
    area.full_clean()
    area.save()
    for index, goal in enumerate(sub_goals, start=1):
        text, measured_by = goal if isinstance(goal, tuple) else (goal, "")
        SubGoal(focus_area=area, position=index, text=text, measured_by=measured_by).save()
    for index, text in enumerate(causes, start=1):
        Cause(focus_area=area, position=index, text=text).save()
    return area


def _commitments(agreement, items, focus_area=None):
    for index, (party, text) in enumerate(items, start=1):
        Commitment(
            agreement=agreement, focus_area=focus_area, party=party, position=index, text=text
        ).save()


def _signatories(agreement, rows):
    for index, (name, title, organisation, place, signed_on) in enumerate(rows, start=1):
        Signatory(
            agreement=agreement,
            position=index,
            name=name,
            title=title,
            organisation=organisation,
            place=place,
            signed_on=signed_on,
        ).save()


def _mark_signed(agreement, signed_on: datetime.date, user) -> None:
    """Sign the agreement the way a coordinator does: on remiss, decided, then signed.

    The signing service records each signatory's date, renders and stores the signed
    PDF with its SHA-256 and makes the tree immutable, so the demo holds every
    invariant a real agreement does.
    """
    from .services import agreement_approve, agreement_sign, agreement_submit_for_review

    agreement.is_public = True
    agreement.full_clean()
    agreement.save()
    agreement_submit_for_review(agreement=agreement, user=user)
    agreement_approve(agreement=agreement, user=user)
    agreement_sign(agreement=agreement, user=user, signed_on=signed_on)


def _agreement(title: str, **fields):
    """The agreement by title, and whether it was created now (then its tree must be built)."""
    existing = Agreement.objects.filter(title=title, municipality=fields["municipality"]).first()
    if existing is not None:
        return existing, False
    agreement = Agreement(title=title, **fields)
    agreement.full_clean()
    agreement.save()
    return agreement, True


def load_eskilstuna(ctx: DemoContext) -> Agreement:
    o = ctx.orgs
    kommun, lpo = o["eskilstuna"], o["lpo_eskilstuna"]
    agreement, created = _agreement(
        "Samverkansöverenskommelse Eskilstuna kommun och lokalpolisområde Eskilstuna 2024–2027",
        municipality=kommun,
        police_area=lpo,
        valid_from=datetime.date(2024, 1, 1),
        valid_to=datetime.date(2027, 12, 31),
        background=(
            "Polisen bedömer tre områden i Eskilstuna som utsatta: avgränsade områden med låg "
            "socioekonomisk status där kriminella påverkar lokalsamhället. Kommunen har dessutom "
            "flera områden med stora socioekonomiska utmaningar enligt Boverket, men utan samma "
            "brottsproblematik.\n\nFör ett långsiktigt tryggt Eskilstuna utgår samverkan från "
            "båda bilderna: polisens utsatta områden och Boverkets områden med socioekonomiska "
            "utmaningar."
        ),
        situation_sources=(
            "Polisens nationella lägesbild över utsatta områden\n"
            "Boverkets sammanställning av områden med socioekonomiska utmaningar\n"
            "Lokal lägesbild inom kommunens geografiska område (båda parter bidrar)"
        ),
        purpose=(
            "Överenskommelsen är grunden för kommunens och lokalpolisområdets gemensamma "
            "brottsförebyggande arbete 2024–2027. Utifrån fokusområdena tas en gemensam "
            "åtgärdsplan fram med aktiviteter och varje parts bidrag."
        ),
        overall_goal=(
            "Ett tryggt och socialt hållbart Eskilstuna där vi år 2027 tagit betydande steg mot "
            "ett Eskilstuna utan utsatta områden på polisens nationella lista."
        ),
        organisation_text=(
            "KUG Tryggt och socialt hållbart Eskilstuna (koncernutvecklingsgrupp) är kommunens "
            "strategiska råd enligt lag (2023:196) och ledningsgrupp för överenskommelsen. Den "
            "leds av direktören för social hållbarhet. I gruppen sitter biträdande "
            "lokalpolisområdeschef, kommunkoncernens direktörer för administration, "
            "kommunikation och näringsliv, vd för KFAST, säkerhetschefen samt cheferna för de "
            "berörda förvaltningarna; HR-direktören är adjungerad.\n\n"
            "Två koncernsamordningsgrupper (KSG) – Trygghet och strategisk stadsdelsutveckling "
            "respektive Systemhotande brottslighet – samordnar och leder det operativa arbetet "
            "och bereder förslag till KUG. Kommunpolisen ingår i båda; kommunens ledamöter utses "
            "av KUG."
        ),
        followup_text=(
            "Överenskommelsen följs löpande i KUG och utvärderas under 2027 inför nästa "
            "överenskommelse. Åtgärdsplanen anger tidplan och uppföljning per aktivitet och "
            "följs upp vid delår 2 och helår i KUG, med rapport till kommunens "
            "trygghetsberedning. Avvikelser följs upp varje månad."
        ),
        budget_text=(
            "Kommun och polis avsätter de resurser som behövs för ledning, styrning och "
            "genomförande av åtgärdsplanen, med utrymme att pröva nya arbetssätt."
        ),
        communication_text=(
            "Kommun och polis utvecklar en gemensam, tydlig kommunikation om läget, utvecklingen "
            "och de insatser som görs – planerat, internt och till invånare och externa aktörer."
        ),
        decision_body="Kommunfullmäktige i Eskilstuna",
        decision_date=datetime.date(2023, 12, 14),
        decision_condition=(
            "Överenskommelsen gäller under förutsättning att kommunfullmäktige godkänner den vid "
            "sitt sammanträde den 14 december 2023."
        ),
    )
    if created:
        # "Eskilstuna kommun har idag tre områden som polismyndigheten definierat som utsatta."
        AgreementArea.objects.set_for(agreement, Area.objects.filter(municipality=o["eskilstuna"]))
        kinds = FocusAreaKind
        _focus_area(
            agreement,
            1,
            "Stoppa skjutningar och grovt våld",
            kinds.CRIME_PREVENTION,
            sub_goals=[
                "Förebyggt och motverkat våldet i nätverkskriminella miljöer.",
                "Förebyggt och motverkat mäns våld mot kvinnor, inklusive hedersrelaterat våld "
                "och förtryck.",
            ],
        )
        _focus_area(
            agreement,
            2,
            "Stoppa nyrekrytering av barn och unga i kriminalitet",
            kinds.CRIME_PREVENTION,
            sub_goals=[
                "Växlat upp och utvecklat samarbetet kring individer i eller i riskzon för "
                "kriminalitet.",
                "Implementerat metoder och arbetssätt för att förebygga och hantera "
                "normbrytande beteende.",
                "Stärkt samverkan för meningsfull fritid, trygga vuxenkontakter och framtidstro.",
                "Genomfört uppsökande och tidiga insatser som stärker föräldrar i föräldraskapet.",
                "Säkerställt nolltolerans mot narkotika på alla skolor och motverkat "
                "efterfrågan på narkotika bland barn och unga.",
            ],
        )
        _focus_area(
            agreement,
            3,
            "Trygga det offentliga rummet",
            kinds.SAFETY,
            sub_goals=[
                "Medvetet arbetat för att öka invånarnas tillit till kommunen och polisen.",
                "Gemensamt analyserat platser som grund för brottsförebyggande och "
                "trygghetsskapande insatser.",
            ],
        )
        _focus_area(
            agreement,
            4,
            "Bekämpa systemhotande brottslighet",
            kinds.CRIME_PREVENTION,
            sub_goals=[
                "Motverkat välfärdsbrott.",
                "Etablerat tydliga och trygga rutiner för att förebygga och motverka otillåten "
                "påverkan.",
                "Genomfört aktiviteter för att fler ska anmäla brott och vittna.",
                "Minskat tillgången på narkotika.",
                "Motverkat näringslivskriminalitet.",
                "Förebyggt våldsbejakande extremism.",
            ],
        )
        _commitments(
            agreement,
            [
                (
                    None,
                    "prioritera deltagande och ta ansvar för att utveckla våra gemensamma forum: "
                    "båda parter bemannar forumen med tydliga funktioner, prioriterar "
                    "SSPF- och EST-samverkan, stämmer av mellan lokalpolisområdets ledning och "
                    "kommunens politiska ledning (bland annat i trygghetsberedningen) och "
                    "bjuder in föreningar, näringsliv och andra myndigheter när det behövs.",
                ),
                (
                    None,
                    "avsätta de resurser som överenskommelsen och åtgärdsplanen kräver, för "
                    "ledning och styrning såväl som för det operativa genomförandet, med utrymme "
                    "att samverka med fler aktörer och pröva nya metoder.",
                ),
                (
                    None,
                    "utveckla en gemensam kommunikation om läget, brottsutvecklingen och "
                    "tryggheten samt om de insatser vi gör, och bidra till den lokala "
                    "lägesbilden och till NOA:s inhämtningsuppdrag.",
                ),
            ],
        )
        _signatories(
            agreement,
            [
                # The document names no signatories; these are invented demo names.
                (
                    "Eva Exempel",
                    "Kommunstyrelsens ordförande",
                    kommun,
                    "Eskilstuna",
                    datetime.date(2023, 12, 15),
                ),
                (
                    "Per Exempel",
                    "Lokalpolisområdeschef",
                    lpo,
                    "Eskilstuna",
                    datetime.date(2023, 12, 15),
                ),
            ],
        )
        ctx.to_sign.append((agreement, datetime.date(2023, 12, 15), ctx.users["samordnare"]))
    return agreement


def load_eslov(ctx: DemoContext) -> Agreement:
    o = ctx.orgs
    kommun, lpo = o["eslov"], o["lpo_eslov"]
    agreement, created = _agreement(
        "Samverkansöverenskommelse mellan lokalpolisområde Eslöv och Eslövs kommun 2021–2022",
        municipality=kommun,
        police_area=lpo,
        # The document names the police area first ("mellan lokalpolisområde Eslöv och …").
        police_area_position=1,
        municipality_position=2,
        valid_from=datetime.date(2021, 5, 1),
        valid_to=datetime.date(2022, 12, 31),
        background=(
            "Att minska brottsligheten och öka tryggheten kräver ett långsiktigt och "
            "systematiskt samarbete. Lägesbild och problembild tas fram varje år i forumet "
            "Örat mot marken och kompletteras med en årlig trygghetsmätning samt medborgar- och "
            "medarbetardialoger. Materialet är grunden för de årliga medborgarlöftena, som "
            "konkretiserar överenskommelsen."
        ),
        situation_sources=(
            "Örat mot marken (veckovis lägesbild)\nÅrlig trygghetsmätning\n"
            "Medborgardialoger\nMedarbetardialoger"
        ),
        purpose=(
            "Att främja, utveckla och fördjupa samarbetet mellan kommun och polis: tydliggöra i "
            "vilka forum samverkan sker och när parterna kan vänta sig representation från "
            "varandra, beskriva en gemensam lägesbild och redovisa konkreta åtgärder i årliga "
            "medborgarlöften."
        ),
        overall_goal="Minskad brottslighet och ökad trygghet i kommunen genom långsiktigt "
        "samarbete mellan kommun och polis.",
        organisation_text=(
            "Forum där parterna kan vänta sig representation från varandra: Örat mot marken, "
            "SSPE (skola, socialtjänst, polis och Eslövs Bostads AB) och den lagstadgade "
            "tillsynen i samverkan.\n\nKommunpolisen och kommunens trygghetssamordnare tar "
            "fram förslag till överenskommelse, följer upp och reviderar. Samordnaren för "
            "ärendet till kommunstyrelsen, kommunpolisen inom Polismyndigheten."
        ),
        followup_text="Överenskommelsen följs upp årligen och kan revideras.",
        budget_text=(
            "Varje organisation bekostar sina egna resurser, om inget annat avtalas i "
            "respektive samverkansforum."
        ),
        communication_text=(
            "Där det är lämpligt samverkar kommun och polis i sociala medier, massmedia och på "
            "andra sätt när information om brottsförebyggande och trygghetsskapande arbete ska "
            "nå invånarna."
        ),
        decision_body="Kommunstyrelsen i Eslövs kommun och lokalpolisområdeschefen i Eslöv",
        decision_date=datetime.date(2021, 6, 18),
    )
    if created:
        kinds = FocusAreaKind
        _focus_area(
            agreement,
            1,
            "Trygghet i offentlig miljö",
            kinds.SAFETY,
            sub_goals=[
                (
                    "Tryggare gångtunnlar och liknande miljöer (grönska, belysning, överblick).",
                    "Alla gångtunnlar upplevs som tryggare än att korsa en trafikerad väg.",
                ),
                (
                    "30 km/h som högsta hastighet i bostadsområden.",
                    "Ett självförklarande trafiksystem som inbjuder till låga hastigheter.",
                ),
                (
                    "Ett större kulturutbud i ytterområdena.",
                    "Kulturutbudet fördelas över hela kommunen, inte bara tätorten.",
                ),
                (
                    "Trygghetsvandringar som följs upp med konkreta åtgärder.",
                    "Alla upplever att de kan ta del av utemiljön.",
                ),
                (
                    "Örat mot marken: en gemensam lägesbild varje vecka.",
                    "Eslöv fortsätter att vara en trygg plats att leva på.",
                ),
                (
                    "Ett människorättsperspektiv på trygghet i planeringen.",
                    "Alla upplever att de är välkomna i den offentliga miljön.",
                ),
            ],
            causes=[
                "Mörka, trånga och oöverblickbara gångtunnlar skapar otrygghet.",
                "Höga hastigheter i bostadsområden.",
            ],
        )
        _focus_area(
            agreement,
            2,
            "Tidig upptäckt av barn och unga vuxna i riskmiljöer",
            kinds.CRIME_PREVENTION,
            sub_goals=[
                (
                    "SSPE: samverkan mellan skola, socialtjänst, polis och Eslövs Bostads AB.",
                    "Unga i Eslöv får en trygg vardag och hjälp till ett aktivt liv.",
                ),
                (
                    "Vidareutvecklade sociala insatsgrupper för unga 13–25 år.",
                    "Färre rekryteras till en kriminell livsstil och fler kan lämna den.",
                ),
                (
                    "Socialsekreterare placerad hos polisen.",
                    "Ingen ungdom faller mellan stolarna mellan socialtjänst och polis.",
                ),
                (
                    "Läger för elever i årskurs 7 (och årskurs 3–6).",
                    "Unga känner trygghet och tillhörighet i samhället.",
                ),
            ],
        )
        _focus_area(
            agreement,
            3,
            "Våld i nära relationer",
            kinds.CRIME_PREVENTION,
            sub_goals=[
                (
                    "Arbete mot hedersrelaterat våld och förtryck, med gemensam kompetenshöjning.",
                    "Fler utsatta barn uppmärksammas och får hjälp.",
                ),
                (
                    "Stöd till barn som bevittnat våld och rådgivning till våldsutövare.",
                    "Färre barn bevittnar våld i hemmet.",
                ),
            ],
        )
        _focus_area(
            agreement,
            4,
            "Förhindra rekrytering till våldsbejakande extremism",
            kinds.CRIME_PREVENTION,
            sub_goals=[
                (
                    "Skola och polis motverkar rekrytering av unga till våldsbejakande grupper.",
                    "Färre barn ansluter sig till våldsbejakande extremistiska grupper.",
                ),
            ],
        )
        drugs = _focus_area(
            agreement,
            5,
            "Alkohol- och drogförebyggande arbete",
            kinds.CRIME_PREVENTION,
            description=(
                "Pågående insatser som Tänk om, Ansvarsfull alkoholservering, Krogar mot knark, "
                "samordnad alkohol- och tobakstillsyn och dopningsfri träningskultur bygger på "
                "ett aktivt samarbete mellan polis och kommun."
            ),
            sub_goals=[
                (
                    "Samverkan kring insatserna fungerar effektivt och upprätthålls över tid.",
                    "Ett drogfritt samhälle är det yttersta målet.",
                ),
            ],
        )
        _commitments(
            agreement,
            [
                (
                    None,
                    "bistå varandra med tydlig kommunikation, förståelse och inblick, och planera "
                    "gemensamma metoder och insatser utifrån lokala förutsättningar.",
                )
            ],
            focus_area=drugs,
        )
        _commitments(
            agreement,
            [
                (kommun, "vara representerad i Örat mot marken, SSPE och tillsynen i samverkan."),
                (lpo, "vara representerat i Örat mot marken, SSPE och tillsynen i samverkan."),
            ],
        )
        _signatories(
            agreement,
            [
                (
                    "Anna-Karin Boije",
                    "Lokalpolisområdeschef Eslöv",
                    lpo,
                    "Eslöv",
                    datetime.date(2021, 6, 18),
                ),
                (
                    "Johan Andersson",
                    "Kommunstyrelsens ordförande",
                    kommun,
                    "Eslöv",
                    datetime.date(2021, 6, 18),
                ),
            ],
        )
        promise = CitizenPromise(
            agreement=agreement,
            year=2022,
            title="Tryggare gångtunnlar i Eslöv",
            text=(
                "Kommun och polis genomför trygghetsvandringar vid gångtunnlarna och åtgärdar "
                "belysning och växtlighet där invånarna upplever otrygghet."
            ),
            status=PromiseStatus.FULFILLED,
        )
        promise.full_clean()
        promise.save()
        promise.parties.set([kommun, lpo])
        ctx.to_sign.append((agreement, datetime.date(2021, 6, 18), ctx.users["samordnare-eslov"]))
    return agreement


def load_strangnas(ctx: DemoContext) -> Agreement:
    o = ctx.orgs
    kommun, lpo = o["strangnas"], o["lpo_strangnas"]
    agreement, created = _agreement(
        "Samverkansöverenskommelse mellan Polismyndigheten och Strängnäs kommun 2020–2023",
        municipality=kommun,
        police_area=lpo,
        # "Polisen och Strängnäs kommun åtar sig …": the police first, named "Polisen".
        police_area_position=1,
        municipality_position=2,
        police_area_short_name="Polisen",
        valid_from=datetime.date(2019, 12, 20),
        valid_to=datetime.date(2023, 6, 1),
        background=(
            "Sedan Polismyndigheten bildades 2015 ska kommun och polis enligt nationella "
            "direktiv teckna avtal och planera gemensamma insatser utifrån en gemensam läges- "
            "och problembild. Strängnäs har valt att prioritera ungdomar, kriminalitet – särskilt "
            "droger – och tryggheten i offentlig miljö. Övrig samverkan (trygghetsvandringar, "
            "grannsamverkan, trafikmiljö) sker i linjen.\n\n"
            "Lägesbilden: anmälda våldsbrott och skadegörelse ökade något mellan 2017 och 2018; "
            "orosanmälningar till socialtjänsten med brott som orsak ökade med nästan 40 procent "
            "och med missbruk som orsak med omkring en tredjedel. Ungdomsgrupper samlas i "
            "centrum, bland annat vid Resecentrum, Thomas arena och gallerian Präntaren, och "
            "flera skolor har drabbats av skadegörelse. Enkäten Liv & hälsa ung 2017 visar att "
            "kommunens gymnasieelever ligger över länssnittet för rökning, alkohol och narkotika."
        ),
        situation_sources=(
            "Brottsförebyggande rådet (Brå)\nÖppna jämförelser\nPolisens trygghetsmätning\n"
            "Medborgarundersökning\nSkolenkät\nLiv & hälsa ung\n"
            "Polisens händelserapporter och brottsstatistik"
        ),
        purpose=(
            "Polisen och Strängnäs kommun tar gemensamt ansvar för det brottsförebyggande och "
            "trygghetsskapande arbetet i kommunen, med respekt för varandras huvuduppdrag."
        ),
        overall_goal=(
            "Minska ungdomsbrottsligheten, minska droganvändningen och öka kommunikationen om "
            "trygghet."
        ),
        organisation_text=(
            "Samverkan sker främst i det brottsförebyggande rådet (BRÅ), som leder och följer "
            "upp arbetet. Polisen företräds av kommunpolis eller lokalpolisområdeschef, kommunen "
            "av samordnaren för brottsförebyggande frågor, som kallar in andra verksamheter vid "
            "behov. Samordnaren, kommunpolisen och områdespolisen är koordinatorer mellan BRÅ och "
            "arbetsgrupperna. Vid en förändrad eller akut lägesbild kallas en arbetsgrupp in som "
            "gör en orsaksanalys enligt Brå:s modell."
        ),
        followup_text=(
            "Följs upp i centrala BRÅ fyra gånger om året: vad som genomförts, vem som samverkat "
            "och vilka effekter aktiviteterna haft."
        ),
        communication_text=(
            "Kommunikationen ska vara öppen, sann, snabb, saklig och professionell, anpassad "
            "till mottagaren och samordnad internt innan den går ut. Den ska motverka rykten och "
            "vara en motvikt till det som skapar otrygghet; sociala medier används gärna."
        ),
        decision_body="Kommundirektören och lokalpolisområdeschefen",
        decision_date=datetime.date(2019, 12, 20),
    )
    if created:
        kinds = FocusAreaKind
        _focus_area(
            agreement,
            1,
            "Minska ungdomsbrottsligheten",
            kinds.CRIME_PREVENTION,
            description="Skadegörelse och ungdomsgrupper i centrum och vid skolor.",
            sub_goals=[
                "Minskad ungdomsbrottslighet, särskilt skadegörelse i centrum och på skolor."
            ],
            causes=[
                "Ungdomsgrupper rör sig mellan Resecentrum, Thomas arena och Präntaren.",
                "Skolor utsätts återkommande för skadegörelse.",
            ],
        )
        _focus_area(
            agreement,
            2,
            "Minska droganvändningen bland unga",
            kinds.CRIME_PREVENTION,
            description="Skola, polis, fritid och ungdomsmottagning ser ett ökat droganvändande.",
            sub_goals=[("Minskad droganvändning bland unga.", "Liv & hälsa ung, Skolenkät")],
            causes=[
                "Yngre barn utnyttjas av äldre för att sälja droger.",
                "Barn erbjuds hasch av andra barn.",
            ],
        )
        _focus_area(
            agreement,
            3,
            "Kommunikation om trygghet",
            kinds.CRIME_PREVENTION,
            description=(
                "Strängnäs är en trygg kommun, men många känner sig otrygga – bilden i media kan "
                "bidra. Kommun och polis berättar tillsammans om det som görs."
            ),
            sub_goals=["Ökad kommunikation om trygghetsskapande och brottsförebyggande insatser."],
        )
        _focus_area(
            agreement,
            4,
            "Otrygghet i offentlig miljö",
            kinds.SAFETY,
            description="Trygghetsskapande arbete för en ökad känsla av säkerhet och lugn.",
            sub_goals=["Ökad upplevd trygghet i offentlig miljö."],
        )
        _commitments(
            agreement,
            [
                (
                    None,
                    "samverka kring de framtagna samverkansområdena och arbeta efter de "
                    "åtaganden som följer av överenskommelsen.",
                )
            ],
        )
        _signatories(
            agreement,
            [
                (
                    "Lars Ekström",
                    "Kommundirektör",
                    kommun,
                    "Strängnäs",
                    datetime.date(2019, 12, 20),
                ),
                (
                    "Christer Sjöqvist",
                    "Lokalpolisområdeschef LPOE",
                    lpo,
                    "Strängnäs",
                    datetime.date(2019, 12, 20),
                ),
            ],
        )
        ctx.to_sign.append(
            (agreement, datetime.date(2019, 12, 20), ctx.users["samordnare-strangnas"])
        )
    return agreement


def load_eskilstuna_draft(ctx: DemoContext, signed: Agreement) -> Agreement:
    """A draft revision for the next period, so the editing UI has something to show."""
    existing = signed.revisions.first()
    if existing is not None:
        return existing
    from .services import agreement_create_revision

    draft = agreement_create_revision(agreement=signed, user=ctx.users["samordnare"])
    draft.title = "Samverkansöverenskommelse Eskilstuna 2028–2031 (utkast)"
    draft.valid_from = datetime.date(2028, 1, 1)
    draft.valid_to = datetime.date(2031, 12, 31)
    draft.decision_date = None
    draft.decision_condition = ""
    draft.full_clean()
    draft.save()
    return draft


def sign(ctx: DemoContext) -> None:
    """Sign the reference agreements (after the forums they name are linked: a signed
    agreement's forums are frozen), then draft Eskilstuna's next revision."""
    for agreement, signed_on, user in ctx.to_sign:
        _mark_signed(agreement, signed_on, user)
    ctx.to_sign.clear()
    ctx.agreements["eskilstuna_draft"] = load_eskilstuna_draft(ctx, ctx.agreements["eskilstuna"])


def load_agreements(ctx: DemoContext) -> None:
    ctx.agreements["eskilstuna"] = load_eskilstuna(ctx)
    ctx.agreements["eslov"] = load_eslov(ctx)
    ctx.agreements["strangnas"] = load_strangnas(ctx)
    areas = list(Area.objects.filter(municipality=ctx.orgs["eskilstuna"]))
    agreement = ctx.agreements["eskilstuna"]
    if not agreement.citizen_promises.exists():
        promise = CitizenPromise(
            agreement=agreement,
            year=2025,
            title="Fler vuxna på plats i Lagersberg, Fröslunda och Skiftinge",
            text=(
                "Kommun och polis ökar den gemensamma närvaron kvällar och helger i de tre "
                "områdena, tillsammans med fältassistenter och föreningsliv."
            ),
            status=PromiseStatus.ACTIVE,
        )
        promise.full_clean()
        promise.save()
        promise.areas.set(areas)
        promise.parties.set([ctx.orgs["eskilstuna"], ctx.orgs["lpo_eskilstuna"]])
