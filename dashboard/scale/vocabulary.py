"""The words and weights the synthetic data are drawn from (no personal data)."""

from __future__ import annotations

from actionplans.choices import ActivityStatus
from agreements.choices import (
    FocusAreaKind,
)
from followup.choices import IndicatorSource, UpdateStatus

PASSWORD = "demo"  # noqa: S105 - documented benchmark credentials, refused without DEBUG
STAFF_USERNAME = "nationell"
BATCH = 2000
REASON = "generate_scale"

POLICE_REGIONS = [
    "Polisregion Nord",
    "Polisregion Mitt",
    "Polisregion Stockholm",
    "Polisregion Öst",
    "Polisregion Väst",
    "Polisregion Syd",
    "Polisregion Bergslagen",
]
# SCB county codes and the police region each county belongs to.
COUNTIES = [
    ("01", 2), ("03", 1), ("04", 3), ("05", 3), ("06", 3), ("07", 5), ("08", 5),
    ("09", 2), ("10", 5), ("12", 5), ("13", 4), ("14", 4), ("17", 6), ("18", 6),
    ("19", 6), ("20", 6), ("21", 1), ("22", 0), ("23", 1), ("24", 0), ("25", 0),
]  # fmt: skip
PREFIXES = [
    "Ale", "Björk", "Ek", "Gran", "Hag", "Lind", "Sjö", "Berg", "Dal", "Å",
    "Ljung", "Rön", "Sand", "Sten", "Tall", "Vik", "Öster", "Väster", "Norr", "Söder",
]  # fmt: skip
SUFFIXES = [
    "by", "vik", "ås", "dal", "köping", "holm", "hamn", "sund",
    "berg", "fors", "torp", "näs", "ryd", "strand", "sala",
]  # fmt: skip
DEPARTMENTS = [
    ("Socialförvaltningen", "SOC"),
    ("Barn- och utbildningsförvaltningen", "BUF"),
    ("Samhällsbyggnadsförvaltningen", "SBF"),
]
AREA_NAMES = ["Centrum", "Norra", "Södra", "Västra", "Östra", "Stationsområdet"]
FOCUS_AREAS = [
    ("Trygghet i offentlig miljö", FocusAreaKind.SAFETY),
    ("Barn och unga i riskzon", FocusAreaKind.CRIME_PREVENTION),
    ("Våld i nära relationer", FocusAreaKind.CRIME_PREVENTION),
    ("Narkotika och alkohol", FocusAreaKind.BOTH),
    ("Organiserad brottslighet", FocusAreaKind.CRIME_PREVENTION),
    ("Trafiksäkerhet", FocusAreaKind.SAFETY),
]
ACTIVITY_TITLES = [
    "Trygghetsvandring i {area}",
    "Föräldravandring helger",
    "Samverkan kring skolavslutning",
    "Sociala insatsgrupper",
    "Kameraövervakning {area}",
    "Belysningsinventering {area}",
    "Föreläsning om våld i nära relationer",
    "Tillsyn av serveringstillstånd",
    "Fältarbete kvällstid",
    "Medborgardialog {area}",
    "Klotterpolicy och snabb sanering",
    "Kartläggning av otrygga platser",
]
PHRASES = [
    "Arbetet bygger på lägesbilden och genomförs i samverkan mellan kommunen och polisen.",
    "Insatsen riktas i första hand till platser där otryggheten är störst enligt trygghetsmätningen.",
    "Resultaten följs upp i samordningsgruppen och redovisas för det strategiska rådet.",
    "Aktiviteten samordnas med fastighetsägare, föreningar och skolor i området.",
    "Erfarenheterna från föregående år visar att tidiga insatser ger bäst effekt.",
    "Kommunikation sker via kommunens webbplats och polisens kanaler i sociala medier.",
]
INDICATORS = [
    ("Andel som känner sig otrygga ute sent på kvällen", IndicatorSource.NTU, "%", False),
    ("Anmälda våldsbrott per 100 000 invånare", IndicatorSource.POLICE_STATISTICS, "st", False),
    ("Trygghetsindex", IndicatorSource.POLICE_SURVEY, "index", False),
    ("Andel elever som känner sig trygga i skolan", IndicatorSource.SCHOOL_SURVEY, "%", True),
    ("Skadegörelse per 100 000 invånare", IndicatorSource.POLICE_STATISTICS, "st", False),
    ("Andel unga som använt narkotika", IndicatorSource.LIFE_HEALTH_YOUNG, "%", False),
]
UPDATE_STATUSES = [
    (UpdateStatus.ON_TRACK, 55),
    (UpdateStatus.AT_RISK, 12),
    (UpdateStatus.DELAYED, 10),
    (UpdateStatus.DONE, 15),
    (UpdateStatus.NOT_STARTED, 5),
    (UpdateStatus.CANCELLED, 3),
]
ACTIVITY_STATUSES = [
    (ActivityStatus.IN_PROGRESS, 50),
    (ActivityStatus.PLANNED, 15),
    (ActivityStatus.DONE, 20),
    (ActivityStatus.DELAYED, 12),
    (ActivityStatus.CANCELLED, 3),
]
