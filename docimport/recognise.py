"""Recognise the structure of a Swedish collaboration agreement in a list of blocks.

Pure functions, no database: :func:`recognise` takes the blocks a reader produced
and returns a :class:`Tree` of *items* (focus areas, sub-goals, commitments,
activities, forums, signatories, citizen promises, areas and section texts), each
with the blocks it came from and a confidence mark, plus the blocks that were not
placed anywhere (*leftovers*) and those set aside as noise (initials, signature
lines, page numbers), so that nothing is dropped silently.

The rules follow how Swedish agreements between a kommun and the Police are
written, not any one document:

* the title names the parties and the period ("2021–2022", "2020-2023");
* sections are found by their headings: bakgrund/lägesbild, syfte, mål,
  organisation, uppföljning, kommunikation, budget, beslut, giltighet/tid,
  åtgärds-/handlingsplan, medborgarlöften;
* focus areas are "Fokusområde N – titel" headings, the headings under a
  "Fokusområden"/"Samverkansområden"/"Inriktningar"/"Prioriterade områden"
  heading, or the list after a sentence that introduces them ("… kommer
  inriktningarna vara:");
* "Delmål:" lists are sub-goals of the focus area above them;
* "X förbinder sig att / åtar sig att / Vi åtar oss att" is a commitment of X
  (the police, the municipality, both, or another named party), as one sentence,
  a heading with its explanation below, or a lead-in with a list; so are the lists
  under "Polisens åtaganden" / "Kommunen ska:" and the cells of a table whose header
  names a party per column;
* headings followed by "Effektmål:" / "Ansvarig:" paragraphs, and the rows of an
  action-plan table, are activities;
* group-like headings under the organisation section ("… (KUG)", "…gruppen",
  "…rådet"), the list after "Följande samverkansforum …:", and the national
  forum names in the running text (SSPF-, EST-samverkan, BRÅ, …beredningen) are
  forums, with who leads or convenes them where the text says;
* a place and date line ("Eslöv den 18 juni 2021", "Strängnäs kommun 20 december
  2019") starts the signature block: names with their titles, in either order;
* areas named as "utsatta" / "särskilt utsatta" områden become areas;
* headings come from Word's heading styles, a PDF's font sizes, bold lines, hand
  numbering ("2.1 …", whose depth is the level) or, in plain text, from short lines
  that read as titles; levels decide focus area versus activity where they exist.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import asdict, dataclass, field

from .readers import HEADING, LIST_ITEM, PARAGRAPH, TABLE_ROW, Block

SCHEMA_VERSION = 1

HIGH, MEDIUM, LOW = "high", "medium", "low"

FOCUS_AREA = "focus_area"
SUB_GOAL = "sub_goal"
COMMITMENT = "commitment"
ACTIVITY = "activity"
FORUM = "forum"
SIGNATORY = "signatory"
PROMISE = "promise"
AREA = "area"
SECTION = "section"

KINDS = (FOCUS_AREA, SUB_GOAL, COMMITMENT, ACTIVITY, FORUM, SIGNATORY, PROMISE, AREA, SECTION)

MUNICIPALITY, POLICE, JOINT = "municipality", "police", "joint"

#: Agreement text fields a section item may fill.
SECTIONS = (
    "background",
    "situation_sources",
    "purpose",
    "overall_goal",
    "organisation_text",
    "followup_text",
    "budget_text",
    "communication_text",
    "decision_body",
    "decision_condition",
)

MONTHS = {
    name: number
    for number, name in enumerate(
        [
            "januari",
            "februari",
            "mars",
            "april",
            "maj",
            "juni",
            "juli",
            "augusti",
            "september",
            "oktober",
            "november",
            "december",
        ],
        start=1,
    )
}
_MONTH = "|".join(MONTHS)


@dataclass
class Item:
    id: int
    kind: str
    title: str = ""
    text: str = ""
    party: str = ""
    section: str = ""
    parent: int | None = None
    data: dict = field(default_factory=dict)
    sources: list[int] = field(default_factory=list)
    confidence: str = MEDIUM


@dataclass
class Tree:
    schema: int = SCHEMA_VERSION
    title: str = ""
    valid_from: str | None = None
    valid_to: str | None = None
    decision_date: str | None = None
    plan_title: str = ""
    items: list[Item] = field(default_factory=list)
    blocks: list[dict] = field(default_factory=list)
    leftovers: list[int] = field(default_factory=list)
    noise: list[int] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Tree:
        items = [Item(**item) for item in data.get("items", [])]
        fields = {k: v for k, v in data.items() if k in cls.__dataclass_fields__ and k != "items"}
        return cls(**fields, items=items)

    def of_kind(self, kind: str) -> list[Item]:
        return [item for item in self.items if item.kind == kind]

    def children(self, parent: Item, kind: str) -> list[Item]:
        return [item for item in self.items if item.kind == kind and item.parent == parent.id]

    def section_text(self, name: str) -> str:
        return "\n\n".join(
            item.text for item in self.items if item.kind == SECTION and item.section == name
        ).strip()


# ---------------------------------------------------------------------------
# Vocabulary
# ---------------------------------------------------------------------------

_INITIALS = re.compile(r"^[A-ZÅÄÖ]{1,4}$")
_NOISE = re.compile(
    r"^(?:\[?handwritten signature\]?|\[?(?:namn)?underskrift\]?|"
    r"namnförtydligande|[._…\-–—]{3,}|(?:sida|sid\.?|s\.)?\s*\d{1,3}(?:\s*(?:\(|av|/)\s*\d{1,3}\)?)?)$",
    re.IGNORECASE,
)

#: Section headings, by the words they contain. Order matters: the earliest match in a
#: heading decides ("Lägesbild, problembild och medborgarlöften" is background).
_SECTION_WORDS: list[tuple[str, str]] = [
    (r"bakgrund|inledning|introduktion|förord", "background"),
    (r"läges(?:bild|beskrivning)|problembild|nulägesbeskrivning|nuläge", "background"),
    (r"syfte", "purpose"),
    (r"(?:fokus|samverkans|insats|utvecklings|mål|prioriterade\s+)områden?\b", "focus"),
    (r"inriktning(?:ar|en|arna)?\b", "focus"),
    (r"(?:åtgärds|handlings|aktivitets)plan", "plan"),
    (r"medborgarlöft", "promises"),
    (r"organisation|tillvägagångssätt|samverkansforum|styrning|ledning och", "organisation"),
    (r"uppföljning|utvärdering|återrapport", "followup"),
    (r"kommunikation", "communication"),
    (r"budget|finansiering|kostnader|resurser", "budget"),
    (r"beslut", "decision"),
    (r"gällande|giltighet|giltighetstid|avtalstid|\btid\b|\bperiod\b", "period"),
    (r"åtagande|förbinder|åtar", "commitments"),
    (r"\bmål\b|målsättning", "goal"),
]

_SECTION_FIELD = {
    "background": "background",
    "purpose": "purpose",
    "goal": "overall_goal",
    "organisation": "organisation_text",
    "followup": "followup_text",
    "communication": "communication_text",
    "budget": "budget_text",
    "decision": "decision_body",
}

_COMMIT = re.compile(
    r"^(?P<subject>.{0,120}?)\s*,?\s+(?:förbinder\s+(?:vi\s+)?(?:sig|oss)|åtar\s+(?:vi\s+)?(?:sig|oss))"
    r"(?:\s+därför)?(?:\s+(?:att|till|följande))?(?P<rest>.*)$",
    re.IGNORECASE | re.DOTALL,
)
#: "Polisens åtaganden", "Kommunens åtagande:", "Gemensamma åtaganden" — a list follows.
_COMMIT_NOUN = re.compile(
    r"^(?:(?P<subject>[\wåäöÅÄÖ .-]{2,60}?)s?\s+åtaganden?|åtaganden?\s+(?:för|av)\s+"
    r"(?P<after>[\wåäöÅÄÖ .-]{2,60}))\s*:?$",
    re.IGNORECASE,
)
#: "Polisen ska:", "Kommunen ansvarar för att:" — a lead-in to what a party does.
_PARTY_LEAD = re.compile(
    r"^(?P<subject>.{2,60}?)\s+(?:ska|skall|kommer att|ansvarar för att|bidrar med|bidrar till att)"
    r"\s*:$",
    re.IGNORECASE,
)

_FOCUS_EXPLICIT = re.compile(
    r"^(?:fokusområde|samverkansområde|insatsområde|prioriterat\s+område|målområde|"
    r"inriktning|utvecklingsområde)\s*(?:nr\.?\s*)?(?P<num>\d{1,2}|[IVX]{1,4})?\s*"
    r"(?:[:.–—-]+\s*|\s+)(?P<title>\S.*)$",
    re.IGNORECASE,
)
_FOCUS_LEAD = re.compile(
    r"inriktning|fokusområde|samverkansområde|insatsområde|prioriterade\s+områden|"
    r"prioriteringar|utvecklingsområden|målområden",
    re.IGNORECASE,
)
_LABEL = re.compile(
    r"^(?P<label>effektmål|förväntad effekt|ansvarig(?:\s+för\s+genomförande)?|ansvar|"
    r"tidplan|tidsplan|tid|uppföljning|kommunikation|delmål|indikator(?:er)?|mått|"
    r"samverkanspart(?:er)?|medverkande|målgrupp|aktivitet(?:er)?|mål)\s*:\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
_GROUP_WORDS = re.compile(
    r"grupp|rådet\b|\bråd\b|forum|beredning|nätverk|styrgrupp|samverkansmöte|kommitté|"
    r"\([A-ZÅÄÖ]{2,8}\)",
    re.IGNORECASE,
)
_SENTENCE_VERBS = re.compile(
    r"\b(?:är|ska|skall|gäller|har|kommer|sker|bör|kan|måste|blir|finns|utgör|tas|leds|"
    r"ansvarar|beslutar|innebär|syftar|genomförs|träffas)\b",
    re.IGNORECASE,
)
_PLACE_DATE = re.compile(
    rf"^(?P<place>[A-ZÅÄÖ][\wåäöéü\- ]{{1,40}}?)(?:\s+(?:kommun|stad))?\s*,?\s+(?:den\s+)?"
    rf"(?P<date>\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}\s+(?:{_MONTH})\s+\d{{4}})\s*$",
    re.IGNORECASE,
)
_TITLE_WORDS = re.compile(
    r"chef|ordförande|direktör|kommunalråd|polismästare|kommunpolis|samordnare|"
    r"ledamot|vice|biträdande|sekreterare|råd\b|(?-i:LPO)",
    re.IGNORECASE,
)
_NAME = re.compile(
    r"^(?:[A-ZÅÄÖÉ][a-zåäöéü]+(?:-[A-ZÅÄÖÉ][a-zåäöéü]+)?)(?:\s+(?:[A-ZÅÄÖÉ][a-zåäöéü]+"
    r"(?:-[A-ZÅÄÖÉ][a-zåäöéü]+)?|af|von|de|van))+$"
)
_POLICE_WORDS = re.compile(r"polis|lpo", re.IGNORECASE)
_MUNICIPALITY_WORDS = re.compile(
    r"kommun|stad\b|staden\b|kommunstyrelse|kommunfullmäktige", re.IGNORECASE
)
_JOINT_WORDS = re.compile(
    r"^(?:vi|parterna|båda parter(?:na)?|bägge parter(?:na)?|samtliga parter|alla parter|"
    r"gemensamt?|gemensamma|tillsammans)\b",
    re.IGNORECASE,
)
#: "2.1 Trygghet i centrum": a heading numbered by hand, its depth its level.
_NUMBERED = re.compile(r"^(\d{1,2}(?:\.\d{1,2})*)\.?\s+(?=\S)")
_BULLET_PREFIX = re.compile(r"^\s*(?:[-–•*·▪◦]|\d{1,2}[.)])\s+")
_META_LIST = re.compile(r"åtgärdsplan|handlingsplan|fokusområdena|delmålen", re.IGNORECASE)


def _norm(text: str) -> str:
    return re.sub(r"[^\wåäö]+", " ", text.lower()).strip()


def _tokens(text: str) -> list[str]:
    stop = {"och", "i", "av", "för", "om", "på", "till", "med", "den", "det", "de", "en", "ett"}
    return [t for t in _norm(text).split() if t not in stop]


def similar_titles(a: str, b: str) -> bool:
    """Whether two titles name the same thing ("Öka kommunikationen om trygghet" ~
    "Kommunikation om trygghet"): every word of the shorter one starts like one of the longer."""
    ta, tb = _tokens(a), _tokens(b)
    if not ta or not tb:
        return False
    short, long_ = (ta, tb) if len(ta) <= len(tb) else (tb, ta)
    verbs = {"öka", "minska", "stärka", "stoppa", "förebygga", "motverka", "förbättra"}

    def same_word(one: str, two: str) -> bool:
        # Inflections of one word ("kommunikationen" ~ "kommunikation"), not compounds.
        if abs(len(one) - len(two)) > 4:
            return False
        common = 0
        for x, y in zip(one, two, strict=False):
            if x != y:
                break
            common += 1
        return common >= min(len(one), len(two)) - 3 and common >= 4 or one == two

    def matches(word: str) -> bool:
        return any(same_word(word, other) for other in long_)

    hits = [w for w in short if matches(w)]
    misses = [w for w in short if w not in hits and w not in verbs]
    return len(hits) >= max(1, len(short) - 1) and not misses


def party_of(subject: str, *, municipality_name: str = "", police_name: str = "") -> str:
    """Whose commitment: ``police``, ``municipality``, ``joint`` or another party's name."""
    text = subject.strip(" ,:")
    if not text or _JOINT_WORDS.match(text):
        return JOINT
    has_police = bool(_POLICE_WORDS.search(text)) or (
        police_name and _norm(police_name) in _norm(text)
    )
    stem = _norm(municipality_name).replace(" kommun", "").strip()
    has_municipality = bool(_MUNICIPALITY_WORDS.search(text)) or (
        bool(stem) and re.search(rf"\b{re.escape(stem)}", _norm(text)) is not None
    )
    if has_police and has_municipality:
        return JOINT
    if has_police:
        return POLICE
    if has_municipality:
        return MUNICIPALITY
    return text[:1].upper() + text[1:]


def parse_date(text: str, *, end: bool = False) -> datetime.date | None:
    text = text.strip().lower()
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text)
    try:
        if match:
            return datetime.date(int(match[1]), int(match[2]), int(match[3]))
        match = re.fullmatch(rf"(?:(\d{{1,2}})\s+)?({_MONTH})\s+(\d{{4}})", text)
        if match:
            year, month = int(match[3]), MONTHS[match[2]]
            last_day = calendar.monthrange(year, month)[1]
            day = int(match[1]) if match[1] else (last_day if end else 1)
            return datetime.date(year, month, day)
    except ValueError:
        return None
    return None


_DATE_TOKEN = re.compile(rf"\d{{4}}-\d{{2}}-\d{{2}}|(?:\d{{1,2}}\s+)?(?:{_MONTH})\s+\d{{4}}", re.I)
_YEAR_RANGE = re.compile(r"\b((?:19|20)\d{2})\s*[-–—]\s*((?:19|20)\d{2})\b")


def period_in(text: str) -> tuple[datetime.date, datetime.date] | None:
    """The period a sentence states: two dates, or a range of years."""
    dates = _DATE_TOKEN.findall(text)
    if len(dates) >= 2:
        start, stop = parse_date(dates[0]), parse_date(dates[-1], end=True)
        if start and stop and stop > start:
            return start, stop
    years = _YEAR_RANGE.search(text)
    if years:
        start, stop = int(years[1]), int(years[2])
        if start < stop <= start + 10:
            return datetime.date(start, 1, 1), datetime.date(stop, 12, 31)
    return None


def sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ”\"])", text) if s.strip()]


# ---------------------------------------------------------------------------
# The walk
# ---------------------------------------------------------------------------


class _Recogniser:
    def __init__(self, blocks: list[Block], municipality_name: str, police_name: str):
        self.blocks = blocks
        self.municipality_name = municipality_name
        self.police_name = police_name
        self.tree = Tree(blocks=[self._block_dict(b) for b in blocks])
        self.used: set[int] = set()
        self.noise: set[int] = set()
        self.next_id = 1
        self.styled = sum(1 for b in blocks if b.kind == HEADING) >= 3
        self.heading: list[tuple[int, int] | None] = [
            self._heading_level(i) for i in range(len(blocks))
        ]
        # context
        self.section: str | None = None
        self.section_level = 0
        self.focus_level = 0
        self.fa: Item | None = None
        self.activity: Item | None = None
        self.forum: Item | None = None
        self.promise: Item | None = None
        self.commitment_body: Item | None = None
        self.body_target: Item | None = None  # where plain paragraphs go
        self.list_mode: tuple[str, object] | None = None
        self.table_map: dict[int, str] | None = None
        self.periods: list[tuple[int, tuple[datetime.date, datetime.date]]] = []
        self.title_period: tuple[datetime.date, datetime.date] | None = None
        self.signature_dates: list[datetime.date] = []
        self.promise_year: int | None = None

    # -- helpers --------------------------------------------------------

    @staticmethod
    def _block_dict(block: Block) -> dict:
        where = f"s. {block.page}, " if block.page else ""
        return {
            "n": block.paragraph,
            "kind": block.kind,
            "level": block.level,
            "text": block.text,
            "where": f"{where}st. {block.paragraph}",
        }

    def add(self, kind: str, *, sources, confidence=MEDIUM, **fields) -> Item:
        item = Item(id=self.next_id, kind=kind, confidence=confidence, **fields)
        item.sources = [self.blocks[i].paragraph for i in sources]
        self.used.update(sources)
        self.next_id += 1
        self.tree.items.append(item)
        return item

    def attach(self, item: Item, index: int, text: str, *, attr: str = "text") -> None:
        current = getattr(item, attr)
        setattr(item, attr, f"{current}\n\n{text}".strip() if current else text)
        item.sources.append(self.blocks[index].paragraph)
        self.used.add(index)

    def section_item(self, name: str, index: int, text: str, confidence=MEDIUM) -> None:
        for item in reversed(self.tree.items):
            if item.kind == SECTION and item.section == name and item.sources:
                if item.sources[-1] >= self.blocks[index].paragraph - 3:
                    self.attach(item, index, text)
                    return
                break
        self.add(SECTION, section=name, text=text, sources=[index], confidence=confidence)

    def is_noise(self, block: Block) -> bool:
        if block.kind == TABLE_ROW:
            return False
        return bool(_INITIALS.match(block.text) or _NOISE.match(block.text))

    def _looks_like_heading(self, text: str) -> bool:
        words = text.split()
        if not text or len(text) > 130 or len(words) > 15:
            return False
        if text[-1] in ".,;:!?" or _LABEL.match(text) or _PLACE_DATE.match(text):
            return False
        if not (text[0].isupper() or text[0].isdigit() or text[0] in "”\"'«"):
            return False
        return not _SENTENCE_VERBS.search(text)

    def _heading_level(self, i: int) -> tuple[int, int] | None:
        """(level, certainty) when block ``i`` is a heading; level 0 = not known."""
        block = self.blocks[i]
        if block.kind == HEADING:
            return (block.level or 1, 2)
        if block.split:
            return None
        if block.kind == LIST_ITEM and block.marker and self._looks_like_heading(block.text):
            # "1. Inledning" written as text: a numbered section, not a list.
            if self.section_of(block.text, anywhere=False) is not None:
                return (1, 1)
            return None
        if block.kind != PARAGRAPH or self.is_noise(block):
            return None
        numbered = _NUMBERED.match(block.text)
        if numbered and self._looks_like_heading(block.text[numbered.end() :]):
            return (numbered[1].count(".") + 1, 1)
        if block.bold and self._looks_like_heading(block.text):
            return (0, 1)
        if self.styled:
            return None
        return (0, 0) if self._looks_like_heading(block.text) else None

    def next_content(self, i: int) -> int | None:
        for j in range(i + 1, len(self.blocks)):
            if not self.is_noise(self.blocks[j]):
                return j
        return None

    def body_of(self, i: int) -> list[int]:
        """The content blocks after heading ``i`` up to the next heading."""
        body = []
        for j in range(i + 1, len(self.blocks)):
            if self.heading[j] is not None:
                break
            if not self.is_noise(self.blocks[j]):
                body.append(j)
        return body

    def section_of(self, text: str, *, anywhere: bool) -> str | None:
        lowered = text.lower()
        best = None
        for pattern, name in _SECTION_WORDS:
            if anywhere:
                match = re.search(pattern, lowered)
            else:
                match = re.match(rf"(?:\w+\s+){{0,1}}?(?:{pattern})", lowered)
                if match and match.start() != 0:
                    match = None
            if match and (best is None or match.start() < best[0]):
                best = (match.start(), name)
        return best[1] if best else None

    def reset_items(self) -> None:
        self.fa = self.activity = self.forum = self.promise = None
        self.commitment_body = self.body_target = None
        self.list_mode = None

    def party(self, subject: str) -> str:
        return party_of(
            subject, municipality_name=self.municipality_name, police_name=self.police_name
        )

    def find_focus(self, title: str) -> Item | None:
        for item in self.tree.of_kind(FOCUS_AREA):
            if similar_titles(item.title, title):
                return item
        return None

    # -- the walk -------------------------------------------------------

    def run(self) -> Tree:
        i = 0
        while i < len(self.blocks):
            block = self.blocks[i]
            if self.is_noise(block):
                self.noise.add(i)
                i += 1
                continue
            if block.kind != TABLE_ROW and _PLACE_DATE.match(block.text):
                i = self.signature_block(i)
                continue
            if block.split:
                # Columns side by side: a signature block, or else just a line of text.
                if _PLACE_DATE.match(block.cells[0]):
                    i = self.signature_block(i)
                    continue
                first_row = i == 0 or self.blocks[i - 1].kind != TABLE_ROW
                if first_row and self.looks_like_signature_row(i):
                    i = self.signature_table(i)
                    continue
                self.on_paragraph(i)
                i += 1
                continue
            if block.kind == TABLE_ROW:
                first_row = i == 0 or self.blocks[i - 1].kind != TABLE_ROW
                if first_row and self.looks_like_signature_row(i):
                    i = self.signature_table(i)
                    continue
                self.table_row(i)
            elif self.heading[i] is not None and re.match(
                r"^(?:underskrift|undertecknande|signering)", block.text, re.IGNORECASE
            ):
                self.used.add(i)
                nxt = self.next_content(i)
                if nxt is not None and not _PLACE_DATE.match(self.blocks[nxt].text):
                    i = self.signature_block(None, start=i + 1)
                    continue
            elif self.heading[i] is not None and not _LABEL.match(block.text):
                self.on_heading(i)
            elif block.kind == LIST_ITEM:
                self.on_list_item(i)
            else:
                self.on_paragraph(i)
            i += 1
        self.finish()
        return self.tree

    # headings ---------------------------------------------------------

    def on_heading(self, i: int) -> None:
        block = self.blocks[i]
        text = _NUMBERED.sub("", block.text, count=1).rstrip(":").strip()
        level, _certainty = self.heading[i]
        self.list_mode = None
        self.activity = None
        self.table_map = None

        # The title, before any section.
        if (
            not self.tree.title
            and self.section is None
            and re.search(r"överenskommelse|avtal", text, re.I)
            and (_YEAR_RANGE.search(text) or re.search(r"\bmellan\b", text, re.I))
        ):
            self.tree.title = text
            self.title_period = period_in(text)
            self.used.add(i)
            return

        if re.fullmatch(r"delmål", text, re.IGNORECASE) and self.fa is not None:
            self.used.add(i)
            self.list_mode = ("sub_goals", self.fa)
            return
        if self.commitment_lead(i, text + (":" if block.text.endswith(":") else "")):
            return

        commit = _COMMIT.match(text)
        if commit and len(commit["subject"]) <= 120:
            self.commitment_from(i, commit, heading=True)
            return

        explicit = _FOCUS_EXPLICIT.match(text)
        if explicit and not re.match(r"^\w+\s*$", text):
            if self.section != "focus":
                self.section, self.section_level = "focus", max(level - 1, 0)
                self.focus_level = level
            self.reset_items()
            title = explicit["title"].strip(" –—-:")
            self.fa = self.add(FOCUS_AREA, title=title, sources=[i], confidence=HIGH)
            self.body_target = self.fa
            return

        # A heading that names a focus area described again further on.
        known = self.find_focus(text)
        if known is not None and (self.section != "focus" or known.data.get("from_list")):
            self.reset_items()
            self.fa = known
            self.body_target = known
            self.used.add(i)
            known.sources.append(block.paragraph)
            return

        in_focus = self.section in {"focus", "plan", "promises"}
        deeper = level and self.section_level and level > self.section_level
        anywhere = not (in_focus and (deeper or not level))
        if in_focus and level and self.section_level and level <= self.section_level:
            anywhere = True
        section = self.section_of(text, anywhere=anywhere)
        if section is not None and not (in_focus and deeper):
            self.enter_section(i, section, text, level)
            return

        if self.section == "focus":
            self.focus_heading(i, text, level)
            return
        if self.section == "promises":
            self.reset_items()
            year = re.search(r"\b((?:19|20)\d{2})\b", text)
            self.promise = self.add(
                PROMISE,
                title=text,
                data={"year": int(year[1]) if year else self.promise_year},
                sources=[i],
                confidence=MEDIUM,
            )
            self.body_target = self.promise
            return
        if self.section == "plan" and self.has_labels(i):
            self.activity_heading(i, text, MEDIUM)
            return
        if self.section and _GROUP_WORDS.search(text):
            self.forum_heading(i, text)
            return
        if self.has_labels(i):
            self.activity_heading(i, text, LOW)
            return
        # A sub-heading inside a known section: its text belongs to the section.
        self.body_target = None
        self.forum = None
        if self.section in _SECTION_FIELD:
            self.section_item(_SECTION_FIELD[self.section], i, text)
        elif not deeper:
            self.section = "other"
        elif self.section in {"plan", "focus", "promises"}:
            self.used.add(i)  # a sub-heading that only structures the plan

    def enter_section(self, i: int, section: str, text: str, level: int) -> None:
        self.reset_items()
        self.section = section
        self.section_level = level
        self.used.add(i)
        if section == "focus":
            self.focus_level = level
        if section == "plan":
            self.tree.plan_title = self.tree.plan_title or text
            period = period_in(text)
            if period:
                self.periods.append((1, period))
        if section == "period":
            period = period_in(text)
            if period:
                self.periods.append((3, period))
        if section == "promises":
            year = re.search(r"\b((?:19|20)\d{2})\b", text)
            self.promise_year = int(year[1]) if year else None
            title = re.split(r"\s*[:–—]\s*", text, maxsplit=1)
            if year or len(title) > 1:
                # "Medborgarlöfte 2025: Tryggare stationsområde" is itself a promise.
                self.promise = self.add(
                    PROMISE,
                    title=title[1] if len(title) > 1 else text,
                    data={"year": self.promise_year},
                    sources=[i],
                    confidence=HIGH,
                )
                self.body_target = self.promise

    def has_labels(self, i: int) -> bool:
        for j in self.body_of(i):
            match = _LABEL.match(self.blocks[j].text)
            if match and match["label"].lower() not in {"delmål", "mål"}:
                return True
        return False

    def focus_heading(self, i: int, text: str, level: int) -> None:
        nxt = self.next_content(i)
        if level and self.focus_level and level > self.focus_level + 1 and self.fa is not None:
            self.activity_heading(i, text, HIGH if self.has_labels(i) else MEDIUM)
            return
        if (
            not level
            and self.fa is not None
            and self.has_labels(i)
            and not (nxt is not None and self.heading[nxt] is not None)
        ):
            self.activity_heading(i, text, MEDIUM)
            return
        self.reset_items()
        confidence = HIGH if level and level == self.focus_level + 1 else MEDIUM
        self.fa = self.add(FOCUS_AREA, title=text, sources=[i], confidence=confidence)
        self.body_target = self.fa
        if self.has_labels(i):
            # A focus area described as one activity ("Effektmål:", "Ansvarig:" right under
            # it): the activity carries the labels, under a focus area of the same name.
            self.activity_heading(i, text, MEDIUM)

    def activity_heading(self, i: int, text: str, confidence: str) -> None:
        self.activity = self.add(
            ACTIVITY,
            title=text,
            parent=self.fa.id if self.fa else None,
            sources=[i],
            confidence=confidence,
        )
        self.body_target = self.activity
        self.forum = None
        self.commitment_body = None

    def forum_heading(self, i: int, text: str) -> None:
        self.reset_items()
        parts = [p.strip() for p in re.split(r"\s+&\s+|\s+samt\s+(?=[A-ZÅÄÖ]{2,})", text)]
        created = []
        first_name, first_abbr = self.split_forum_name(parts[0])
        noun = parts[0].split("(")[0].strip() if "(" in parts[0] else ""
        for index, part in enumerate(parts):
            name, abbr = self.split_forum_name(part)
            if len(parts) > 1 and first_abbr:
                # "KSG X & KSG Y": forums of one kind, told apart by what follows the
                # abbreviation.
                rest = name[len(first_abbr) :].strip() if name.startswith(first_abbr) else ""
                if index == 0:
                    rest = first_name[len(noun) :].strip() if noun else ""
                elif rest and noun:
                    name = f"{noun} {rest}"
                abbr = f"{first_abbr} {rest.split()[0]}" if rest else first_abbr
            created.append(
                self.add(
                    FORUM,
                    title=name,
                    data={"abbreviation": abbr},
                    sources=[i],
                    confidence=MEDIUM if self.section == "organisation" else LOW,
                )
            )
        self.forum = created[0]
        self.forum.data["siblings"] = [f.id for f in created[1:]]
        self.body_target = self.forum

    @staticmethod
    def split_forum_name(text: str) -> tuple[str, str]:
        spelled = re.match(r"^([A-ZÅÄÖ]{2,8})\s*\((.{8,})\)$", text)
        if spelled:
            return f"{spelled[1]} – {spelled[2]}", spelled[1]
        match = re.search(r"\(([A-ZÅÄÖ][A-ZÅÄÖa-zåäö]{1,7})\)", text)
        if match:
            name = (text[: match.start()] + text[match.end() :]).strip()
            return re.sub(r"\s+", " ", name), match[1]
        match = re.match(r"^([A-ZÅÄÖ]{2,8})\b", text)
        return text, match[1] if match else ""

    def commitment_lead(self, i: int, text: str) -> bool:
        """A heading or lead-in that says the list below is one party's commitments."""
        noun = _COMMIT_NOUN.match(text.strip())
        lead = _PARTY_LEAD.match(text.strip()) if text.strip().endswith(":") else None
        if noun:
            subject = noun["subject"] or noun["after"] or ""
            if re.fullmatch(r"(?:våra|gemensamma|övriga|)\s*", subject.lower()):
                party = JOINT
            else:
                party = self.party(re.sub(r"s$", "", subject.strip()))
        elif lead:
            party = self.party(lead["subject"])
            if party not in {POLICE, MUNICIPALITY, JOINT}:
                return False
        else:
            return False
        self.list_mode = ("commitments", party)
        self.activity = None
        self.commitment_body = None
        self.body_target = None
        self.used.add(i)
        return True

    # paragraphs -------------------------------------------------------

    def on_paragraph(self, i: int) -> None:
        text = self.blocks[i].text
        if text.endswith(":") and self.commitment_lead(i, text):
            return
        forum_label = re.match(r"^(?P<name>[A-ZÅÄÖ][^:.]{2,70}):\s+(?P<rest>\S.*)$", text)
        if (
            forum_label
            and self.section == "organisation"
            and _GROUP_WORDS.search(forum_label["name"])
        ):
            name, abbr = self.split_forum_name(forum_label["name"].strip())
            self.forum = self.add(
                FORUM,
                title=name,
                text=forum_label["rest"].strip(),
                data={"abbreviation": abbr},
                sources=[i],
                confidence=MEDIUM,
            )
            self.body_target = self.forum
            return
        label = _LABEL.match(text)
        if label and self.on_label(i, label["label"].lower(), label["rest"].strip()):
            return
        commit = _COMMIT.match(text)
        if commit and len(commit["subject"]) <= 60:
            self.commitment_from(i, commit, heading=False)
            return
        if text.endswith(":") and self.lead_in(i, text):
            return
        self.scan_paragraph(i, text)
        if i in self.used:
            return
        if self.commitment_body is not None:
            self.attach(self.commitment_body, i, text)
            return
        target = self.body_target
        if target is not None:
            self.attach(target, i, text)
            if target.kind == FORUM:
                for sibling in target.data.get("siblings", []):
                    other = next(it for it in self.tree.items if it.id == sibling)
                    other.text = f"{other.text}\n\n{text}".strip()
            return
        field_name = _SECTION_FIELD.get(self.section or "")
        if field_name:
            self.section_item(field_name, i, text)
        elif self.section == "period" and self.periods:
            self.used.add(i)
        elif self.section is None and self.tree.title:
            # The preamble under the title introduces the agreement.
            self.section_item("background", i, text, confidence=LOW)

    def scan_paragraph(self, i: int, text: str) -> None:
        """Facts stated in running text: the period, the decision's condition, the goal."""
        for sentence in sentences(text):
            lowered = sentence.lower()
            if re.search(r"\bgäller\b|giltig|\bperioden\b|löptid|avtalstid", lowered):
                period = period_in(sentence)
                if period and "förutsättning" not in lowered:
                    weight = 3 if _DATE_TOKEN.search(sentence) else 2
                    self.periods.append((weight, period))
                    if self.section == "period":
                        self.used.add(i)
            if "under förutsättning att" in lowered:
                self.add(SECTION, section="decision_condition", text=sentence, sources=[i])
                when = re.search(rf"den\s+(\d{{1,2}}\s+(?:{_MONTH})\s+\d{{4}})", lowered)
                if when:
                    self.tree.decision_date = str(parse_date(when[1]))
                if len(sentences(text)) == 1:
                    return
        goal = re.search(
            r"(?:det\s+(?:gemensamma|övergripande)\s+målet\s+är|målet\s+är)\s*:?\s*(.+?)(?:\.\s|$)",
            text,
            re.IGNORECASE,
        )
        if goal and self.section in {"purpose", "goal"}:
            found = goal[1].strip().rstrip(".")
            if not any(it.section == "overall_goal" and found in it.text for it in self.tree.items):
                self.add(
                    SECTION,
                    section="overall_goal",
                    text=found[:1].upper() + found[1:],
                    sources=[],
                    confidence=MEDIUM,
                ).sources.append(self.blocks[i].paragraph)
        if self.section == "decision":
            match = re.match(r"^(.+?)\s+(?:beslutar|fattar beslut|beslutade)\b", text)
            if match:
                self.add(SECTION, section="decision_body", text=match[1], sources=[i])

    def on_label(self, i: int, label: str, rest: str) -> bool:
        if label == "delmål":
            if self.fa is None:
                return False
            self.used.add(i)
            self.list_mode = ("sub_goals", self.fa)
            if rest:
                self.add(SUB_GOAL, text=rest, parent=self.fa.id, sources=[i], confidence=HIGH)
            return True
        target = self.activity
        if target is None:
            return False
        key = {
            "effektmål": "effect_goal",
            "förväntad effekt": "effect_goal",
            "ansvarig": "responsible",
            "ansvarig för genomförande": "responsible",
            "ansvar": "responsible",
            "tidplan": "schedule",
            "tidsplan": "schedule",
            "tid": "schedule",
            "uppföljning": "followup_method",
            "kommunikation": "communication",
            "mål": "effect_goal",
        }.get(label)
        if key is None:
            return False
        previous = target.data.get(key, "")
        target.data[key] = f"{previous} {rest}".strip()
        target.sources.append(self.blocks[i].paragraph)
        self.used.add(i)
        if target.confidence == LOW:
            target.confidence = MEDIUM
        return True

    def lead_in(self, i: int, text: str) -> bool:
        lowered = text.lower()
        mode = None
        if "delmål" in lowered and self.fa is not None:
            mode = ("sub_goals", self.fa)
        elif _FOCUS_LEAD.search(lowered):
            mode = ("focus_areas", None)
            if self.section not in {"focus"}:
                self.section_level = self.section_level or 0
        elif re.search(r"forum|grupper|samverkansformer|mötesplatser", lowered):
            mode = ("forums", None)
        elif re.search(r"utsatta\s+områden|särskilt\s+utsatt|riskområden", lowered):
            mode = ("areas", None)
        elif re.search(r"\bmål\b|målen|målsättning", lowered):
            mode = ("goals", None)
        elif re.search(r"dokument|statistik|källor|underlag|undersökning|mätning", lowered):
            mode = ("sources", None)
        if mode is None:
            return False
        self.list_mode = mode
        if mode[0] in {"focus_areas", "sources", "goals"}:
            self.section_item(
                {"focus_areas": "purpose", "sources": "background", "goals": "overall_goal"}[
                    mode[0]
                ]
                if mode[0] != "focus_areas"
                else (_SECTION_FIELD.get(self.section or "") or "purpose"),
                i,
                text,
                confidence=LOW,
            )
        else:
            self.used.add(i)
        return True

    def commitment_from(self, i: int, match: re.Match, *, heading: bool) -> None:
        subject = match["subject"].strip()
        rest = match["rest"].strip(" :,")
        party = self.party(subject)
        self.activity = None
        if not rest or match["rest"].strip().endswith(":"):
            self.list_mode = ("commitments", party)
            self.used.add(i)
            self.commitment_body = None
            self.body_target = None
            return
        text = rest[:1].upper() + rest[1:]
        item = self.add(
            COMMITMENT,
            text=text,
            party=party,
            parent=self.fa.id if self.fa else None,
            sources=[i],
            confidence=HIGH,
        )
        self.commitment_body = item if heading else None
        self.body_target = None
        self.list_mode = None

    # list items --------------------------------------------------------

    def on_list_item(self, i: int) -> None:
        text = self.blocks[i].text.strip()
        mode = self.list_mode
        if mode is None and self.section == "focus" and self.fa is None:
            mode = ("focus_areas", None)
            confidence = MEDIUM
        elif mode is None and self.section == "focus" and self.fa is not None:
            mode = ("sub_goals", self.fa)
            confidence = MEDIUM
        elif mode is None and self.section == "promises":
            mode = ("promises", None)
            confidence = MEDIUM
        else:
            confidence = HIGH
        if mode is None:
            commit = _COMMIT.match(text)
            if commit and commit["rest"].strip():
                self.commitment_from(i, commit, heading=False)
                return
            if self.body_target is not None:
                self.attach(self.body_target, i, f"– {text}")
                return
            field_name = _SECTION_FIELD.get(self.section or "")
            if field_name:
                self.section_item(field_name, i, f"– {text}")
            return
        kind, target = mode
        if kind == "sub_goals":
            if _META_LIST.search(text):
                return  # a sentence about the plan, not a sub-goal: left over
            for part in re.split(r"\s+[•·▪]\s+", text):
                part = part.strip()
                if part:
                    self.add(
                        SUB_GOAL, text=part, parent=target.id, sources=[i], confidence=confidence
                    )
        elif kind == "focus_areas":
            self.add(
                FOCUS_AREA,
                title=text.rstrip("."),
                data={"from_list": True},
                sources=[i],
                confidence=confidence,
            )
        elif kind == "promises":
            self.add(
                PROMISE,
                title=text.rstrip(".")[:300],
                text=text,
                data={"year": self.promise_year},
                sources=[i],
                confidence=confidence,
            )
        elif kind == "forums":
            name, abbr = self.split_forum_name(text)
            self.add(FORUM, title=name, data={"abbreviation": abbr}, sources=[i], confidence=HIGH)
        elif kind == "commitments":
            self.add(
                COMMITMENT,
                text=text[:1].upper() + text[1:],
                party=target,
                parent=self.fa.id if self.fa else None,
                sources=[i],
                confidence=HIGH,
            )
        elif kind == "areas":
            self.area(i, text.rstrip("."), self.blocks[i - 1].text if i else "", HIGH)
        elif kind == "goals":
            self.section_item("overall_goal", i, f"– {text}")
        elif kind == "sources":
            self.section_item("situation_sources", i, text)

    # tables ------------------------------------------------------------

    _COLUMN_WORDS = [
        (r"^(?:vad|aktivitet|insats|åtgärd|åtgärder|aktiviteter|insatser)\b", "title"),
        (r"effektmål|förväntad effekt|\bmål\b", "effect_goal"),
        (r"ansvarig|ansvar", "responsible"),
        (r"kommunikation", "communication"),
        (r"uppföljning", "followup_method"),
        (r"tid|när|period", "schedule"),
        (r"polis", "role:police"),
        (r"kommun", "role:municipality"),
        (r"beskrivning|hur", "description"),
    ]

    def commitment_columns(self, cells: list[str]) -> dict[int, str]:
        """A header row naming a party per column ("Kommunen åtar sig att" | "Polisen åtar
        sig att", or just "Kommunen" | "Polisen"): the rows below are their commitments."""
        columns = {}
        for col, cell in enumerate(cells):
            if not cell:
                continue
            if len(cell.split()) > 6:
                return {}
            subject = re.sub(
                r"\s*(?:åtar\s+(?:sig|oss)|förbinder\s+(?:sig|oss)|ska|skall|åtaganden?|"
                r"ansvarar\s+för)(?:\s+att)?\s*:?$",
                "",
                cell,
                flags=re.IGNORECASE,
            )
            subject = re.sub(r"s$", "", subject.strip()) if subject != cell else subject
            party = self.party(subject)
            if party not in {POLICE, MUNICIPALITY, JOINT} or (party == JOINT and subject == ""):
                return {}
            columns[col] = party
        return columns if len(columns) >= 2 else {}

    def table_row(self, i: int) -> None:
        cells = [c.replace("\n", " ") for c in (self.blocks[i].cells or [self.blocks[i].text])]
        header = {}
        for col, cell in enumerate(cells):
            for pattern, key in self._COLUMN_WORDS:
                if cell and len(cell) <= 40 and re.search(pattern, cell.lower()):
                    header[col] = key
                    break
        first_row = i == 0 or self.blocks[i - 1].kind != TABLE_ROW
        short = all(len(c.split()) <= 3 for c in cells if c)
        if first_row and short and (len(header) >= 2 and "title" in header.values()):
            self.table_map = header
            self.used.add(i)
            self.section = self.section if self.section == "plan" else "plan"
            return
        if first_row:
            columns = self.commitment_columns(cells)
            if columns:
                self.table_map = {"commitments": columns}
                self.used.add(i)
                return
        if self.table_map and "commitments" in self.table_map:
            raw = self.blocks[i].cells or [self.blocks[i].text]
            for col, party in self.table_map["commitments"].items():
                if col >= len(raw):
                    continue
                for line in raw[col].split("\n"):
                    line = _BULLET_PREFIX.sub("", line).strip()
                    if line:
                        self.add(
                            COMMITMENT,
                            text=line[:1].upper() + line[1:],
                            party=party,
                            parent=self.fa.id if self.fa else None,
                            sources=[i],
                            confidence=HIGH,
                        )
            self.used.add(i)
            return
        mapping = self.table_map or {0: "title"}
        title_col = next((c for c, k in mapping.items() if k == "title"), 0)
        title = cells[title_col] if title_col < len(cells) else ""
        if not title:
            return
        data: dict = {"roles": {}}
        description = []
        for col, cell in enumerate(cells):
            if col == title_col or not cell:
                continue
            key = mapping.get(col)
            if key is None:
                description.append(cell)
            elif key.startswith("role:"):
                data["roles"][key[5:]] = cell
            elif key == "description":
                description.append(cell)
            else:
                data[key] = cell
        confidence = HIGH if self.table_map else LOW
        self.add(
            ACTIVITY,
            title=title,
            text="\n".join(description),
            parent=self.fa.id if self.fa else None,
            data=data,
            sources=[i],
            confidence=confidence,
        )

    # signatures --------------------------------------------------------

    def signature_block(self, i: int | None, *, start: int | None = None) -> int:
        """The signatures after a place and date line ``i`` (or from ``start`` when a
        "Underskrifter" heading opens them): names with titles and parties."""
        place, date = "", None
        if i is not None:
            line = self.blocks[i].cells[0] if self.blocks[i].split else self.blocks[i].text
            match = _PLACE_DATE.match(line)
            place = re.sub(r"\s+(?:kommun|stad)$", "", match["place"].strip(), flags=re.I)
            date = parse_date(match["date"])
            if date:
                self.signature_dates.append(date)
            self.used.add(i)
            start = i + 1
        first = start
        while first < len(self.blocks) and self.is_noise(self.blocks[first]):
            self.noise.add(first)
            first += 1
        if first < len(self.blocks) and self.blocks[first].kind == TABLE_ROW:
            return self.signature_table(first, place=place, date=date)
        lines: list[int] = []
        j = start
        while j < len(self.blocks) and len(lines) < 16:
            block = self.blocks[j]
            if self.is_noise(block):
                self.noise.add(j)
                j += 1
                continue
            text = block.text
            if (
                block.kind == TABLE_ROW
                or len(text.split()) > 9
                or (text.endswith(".") and not self.person_parts(text))
                or self.section_of(text, anywhere=False) in {"focus", "plan", "promises"}
                or (lines and self._ends_signature(lines, text))
            ):
                break
            lines.append(j)
            j += 1
        groups = self.group_signature_lines([(k, self.blocks[k].text) for k in lines])
        if not groups:
            return (i + 1) if i is not None else start
        for group in groups:
            self.signatory_from(group, place=place, date=date)
        return max(k for group in groups for k, _text in group) + 1

    def person_parts(self, text: str) -> tuple[str, str] | None:
        """(name, title on the same line) when ``text`` names a person."""
        text = text.strip().rstrip(".")
        if self.is_person_name(text):
            return text, ""
        match = re.match(r"^(.+?)\s*(?:,|–|—|\s-\s)\s*(.+)$", text)
        if match and self.is_person_name(match[1]):
            title = match[2].strip()
            return match[1], title[:1].upper() + title[1:]
        return None

    def group_signature_lines(self, lines: list[tuple[int, str]]) -> list[list[tuple[int, str]]]:
        """One group of lines per person. "För X" lines open a group; otherwise the lines
        around each name are its own, titles below the name or above it."""
        names = [n for n, (_k, text) in enumerate(lines) if self.person_parts(text)]
        if not names:
            return []
        openers = [n for n, (_k, text) in enumerate(lines) if re.match(r"^för\s", text, re.I)]
        if openers and len(openers) == len(names):
            bounds = [*openers, len(lines)]
            return [lines[bounds[g] : bounds[g + 1]] for g in range(len(openers))]
        if names[0] == 0:
            bounds = [*names, len(lines)]
            return [lines[bounds[g] : bounds[g + 1]] for g in range(len(names))]
        groups, previous = [], 0
        for n in names:
            groups.append(lines[previous : n + 1])
            previous = n + 1
        return groups

    def signatory_from(self, group: list[tuple[int, str]], *, place: str, date) -> None:
        name, title = "", ""
        others = []
        for _k, text in group:
            parts = self.person_parts(text) if not name else None
            if parts:
                name, inline = parts
                title = title or inline
            else:
                others.append(text)
        if not title:
            titled = [
                t for t in others if _TITLE_WORDS.search(t) and not t.lower().startswith("för ")
            ]
            plain = [t for t in others if not t.lower().startswith("för ")]
            title = (titled or plain or [""])[0]
        organisation_text = " ".join([title, *others]).strip()
        # "Kommunstyrelsens ordförande, Söderviks stad": the title without its party.
        head, sep, tail = title.rpartition(", ")
        if (
            sep
            and not _TITLE_WORDS.search(tail)
            and (_MUNICIPALITY_WORDS.search(tail) or _POLICE_WORDS.search(tail))
        ):
            title = head
        party = self.party(organisation_text) if organisation_text else ""
        if party not in {MUNICIPALITY, POLICE}:
            party = POLICE if _POLICE_WORDS.search(organisation_text) else MUNICIPALITY
        self.add(
            SIGNATORY,
            title=name,
            party=party,
            data={
                "position": title,
                "place": place,
                "signed_on": str(date) if date else None,
                "organisation_text": organisation_text,
            },
            sources=[k for k, _t in group],
            confidence=HIGH if title else MEDIUM,
        )

    def looks_like_signature_row(self, i: int) -> bool:
        cells = self.blocks[i].cells or []
        lines = [line for cell in cells for line in cell.split("\n") if line.strip()]
        return (
            any(self.person_parts(line) for line in lines)
            and not self.table_map
            and all(len(line.split()) <= 9 for line in lines)
        )

    def signature_table(self, i: int, *, place: str = "", date=None) -> int:
        """A signature block laid out as a table: one column per party."""
        rows = []
        j = i
        while j < len(self.blocks) and self.blocks[j].kind == TABLE_ROW:
            rows.append(j)
            j += 1
        width = max(len(self.blocks[r].cells) for r in rows)
        found = False
        for column in range(width):
            lines = []
            for r in rows:
                cells = self.blocks[r].cells
                if column < len(cells):
                    lines += [(r, ln.strip()) for ln in cells[column].split("\n") if ln.strip()]
            for group in self.group_signature_lines(lines):
                self.signatory_from(group, place=place, date=date)
                found = True
        if found:
            self.used.update(rows)
        return j if found else i + 1

    def _ends_signature(self, lines: list[int], text: str) -> bool:
        # Two people each with a title and an organisation is the usual maximum of a
        # block; a heading-like line after a complete person that is neither a name
        # nor a title/organisation line ends it.
        return not (
            self.is_person_name(text)
            or _TITLE_WORDS.search(text)
            or _MUNICIPALITY_WORDS.search(text)
            or _POLICE_WORDS.search(text)
        )

    @staticmethod
    def is_person_name(text: str) -> bool:
        words = text.split()
        if not (2 <= len(words) <= 4) or not _NAME.match(text):
            return False
        return not (
            _TITLE_WORDS.search(text)
            or _MUNICIPALITY_WORDS.search(text)
            or _POLICE_WORDS.search(text)
        )

    # areas ----------------------------------------------------------------

    def area(self, i: int, name: str, context: str, confidence: str) -> None:
        lowered = context.lower()
        if "särskilt utsatt" in lowered:
            classification = "especially_vulnerable"
        elif "risk" in lowered:
            classification = "risk"
        else:
            classification = "vulnerable"
        if any(it.kind == AREA and it.title == name for it in self.tree.items):
            return
        self.add(
            AREA,
            title=name,
            data={"classification": classification},
            sources=[i] if i is not None else [],
            confidence=confidence,
        )

    def areas_in_text(self) -> None:
        stop = set(_tokens(self.municipality_name)) | {
            "polismyndigheten",
            "polisen",
            "polis",
            "boverket",
            "boverkets",
            "sverige",
            "lag",
            "kommunen",
            "brå",
            "ett",
            "en",
            "det",
            "den",
            "de",
            "vi",
            "i",
            "för",
            "om",
            "utöver",
            "enligt",
        }
        for index, block in enumerate(self.blocks):
            if block.kind == TABLE_ROW:
                continue
            for sentence in sentences(block.text):
                lowered = sentence.lower()
                if not re.search(r"(?:utsatt|riskområde)", lowered) or "område" not in lowered:
                    continue
                name = r"[A-ZÅÄÖ][a-zåäö]+(?:[ -][A-ZÅÄÖ][a-zåäö]+)*"
                words = re.findall(rf"(?<![\wåäö])({name})", sentence)
                # A sentence may open with a name only when a list of names follows
                # ("Lagersberg, Fröslunda och Skiftinge är utsatta områden").
                opens_list = re.match(rf"^{name}(?:,\s+|\s+och\s+){name}", sentence)
                first = words[0] if words and sentence.startswith(words[0]) else None
                positions = [m.start() for m in re.finditer(rf"(?<![\wåäö])({name})", sentence)]
                for n, word in enumerate(words):
                    if word == first and not opens_list:
                        continue
                    if word.lower() in stop or word.lower().rstrip("s") in stop:
                        continue
                    if _norm(word) in _norm(self.municipality_name):
                        continue
                    after = sentence[
                        positions[n] : positions[n + 1] if n + 1 < len(words) else None
                    ]
                    context = after if re.search(r"utsatt|risk", after.lower()) else sentence
                    self.area(index, word, context, MEDIUM)
                    self.tree.items[-1].sources = sorted(
                        set(self.tree.items[-1].sources) | {block.paragraph}
                    )

    # forums in running text -----------------------------------------------

    _FORUM_PATTERNS = [
        re.compile(
            r"\b([A-ZÅÄÖ]{2,6})-(samverkan|gruppen|grupp|rådet|mötet|möten|arbetet|teamet|forumet)\b"
        ),
        re.compile(
            r"\b(?:det|den)\s+((?:[a-zåäö]+\s+)?(?:rådet|gruppen|forumet|beredningen))\s+"
            r"([A-ZÅÄÖ]{2,6})\b"
        ),
        re.compile(r"\b([a-zåäö]{3,}beredning(?:en)?)\b"),
    ]
    _NOT_FORUMS = {"NOA", "LPO", "LPOE", "SKL", "SKR", "SCB", "NTU", "ANDT", "HR", "VD"}

    def forums_in_text(self) -> None:
        known_abbr = {
            (f.data.get("abbreviation") or "").split(" ")[0] for f in self.tree.of_kind(FORUM)
        }
        known_abbr.discard("")
        known_names = {_norm(f.title) for f in self.tree.of_kind(FORUM)}
        for index, block in enumerate(self.blocks):
            if block.kind not in {PARAGRAPH, LIST_ITEM} or index in self.noise:
                continue
            owner = next((it for it in self.tree.items if block.paragraph in it.sources), None)
            if owner is not None and owner.kind in {ACTIVITY, FORUM, SIGNATORY}:
                continue
            if block.kind == LIST_ITEM and (owner is None or owner.kind == SECTION):
                continue
            for pattern in self._FORUM_PATTERNS:
                for match in pattern.finditer(block.text):
                    groups = match.groups()
                    if pattern is self._FORUM_PATTERNS[0]:
                        abbr = groups[0]
                        # "SSPF-samverkan" names the forum; "SSPF-arbetet" only the work in it.
                        keep = groups[1] in {"samverkan", "gruppen", "grupp", "rådet", "forumet"}
                        name = f"{abbr}-{groups[1]}" if keep else abbr
                    elif pattern is self._FORUM_PATTERNS[1]:
                        abbr, name = groups[1], groups[0][:1].upper() + groups[0][1:]
                    else:
                        word = groups[0]
                        abbr = ""
                        name = word[:1].upper() + word[1:]
                        if not name.endswith("en"):
                            name += "en"
                    if abbr in self._NOT_FORUMS or (abbr and abbr in known_abbr):
                        continue
                    if _norm(name) in known_names:
                        continue
                    known_abbr.add(abbr)
                    known_names.add(_norm(name))
                    item = self.add(
                        FORUM,
                        title=name,
                        data={"abbreviation": abbr, "from_text": True},
                        sources=[],
                        confidence=LOW,
                    )
                    item.sources.append(block.paragraph)

    # -- finishing ---------------------------------------------------------

    def finish(self) -> None:
        self.forums_in_text()
        self.areas_in_text()
        for forum in self.tree.of_kind(FORUM):
            self.describe_forum(forum)
        tree = self.tree
        best = max(self.periods, key=lambda p: p[0])[1] if self.periods else self.title_period
        if best is None:
            for block in self.blocks:
                best = period_in(block.text) if _YEAR_RANGE.search(block.text) else None
                if best:
                    break
        if best:
            tree.valid_from, tree.valid_to = str(best[0]), str(best[1])
        if not tree.decision_date and self.signature_dates:
            tree.decision_date = str(max(self.signature_dates))
        if not tree.title:
            tree.title = "Samverkansöverenskommelse"
            if self.municipality_name:
                tree.title += (
                    f" mellan {self.municipality_name} och {self.police_name or 'Polisen'}"
                )
            if best:
                tree.title += f" {best[0].year}–{best[1].year}"
        for item in tree.items:
            item.sources = sorted(set(item.sources))
        tree.leftovers = [
            self.blocks[i].paragraph
            for i in range(len(self.blocks))
            if i not in self.used and i not in self.noise
        ]
        tree.noise = [self.blocks[i].paragraph for i in sorted(self.noise)]

    def forum_context(self, forum: Item) -> tuple[str, str]:
        """(paragraphs, sentences) that speak of ``forum``: its own text, and for a forum
        found in running text the paragraphs naming it and the sentences that do."""
        if forum.text:
            return forum.text, forum.text
        abbr = (forum.data.get("abbreviation") or "").split(" ")[0]
        names = [n for n in (abbr, forum.title) if n]
        paragraphs, mentions = [], []
        for block in self.blocks:
            if block.kind != PARAGRAPH:
                continue
            if any(re.search(rf"(?<![\wåäö]){re.escape(n)}(?![\wåäö])", block.text) for n in names):
                paragraphs.append(block.text)
                mentions += [
                    s
                    for s in sentences(block.text)
                    if any(re.search(rf"(?<![\wåäö]){re.escape(n)}", s) for n in names)
                ]
        return " ".join(paragraphs), " ".join(mentions)

    def describe_forum(self, forum: Item) -> None:
        text, mentions = self.forum_context(forum)
        lowered = f"{forum.title} {mentions}".lower()
        chair = (
            re.search(
                r"(?:leds|sammankallas)\s+av\s+(?:en\s+|ett\s+)?(.+?)(?:\s+och\s+|\s+samt\s+|[.,;]|$)",
                text,
                re.IGNORECASE,
            )
            or re.search(
                r"(?:ordförande|sammankallande)\s+(?:är|blir)\s+(.+?)(?:[.,;]|$)",
                text,
                re.IGNORECASE,
            )
            or re.search(
                r"\b(?:en|ett|den|det)\s+([a-zåäö][\wåäö -]{3,60}?)\s+(?:vara\s+representerad|ska|är|har)"
                r"[^.]*\bsammankalla",
                text,
                re.IGNORECASE,
            )
        )
        if chair:
            value = chair[1].strip()
            forum.data["chair"] = value[:1].upper() + value[1:]
        if "strategiska råd" in lowered or "2023:196" in lowered:
            kind = "strategic_council"
        elif "ledningsgrupp" in lowered or "styrgrupp" in lowered or "ledning" in lowered:
            kind = "management_group"
        elif "samordn" in lowered or "samordningsgrupp" in forum.title.lower():
            kind = "coordination_group"
        elif "operativ" in lowered:
            kind = "operational"
        else:
            kind = "working_group"
        forum.data["forum_kind"] = kind
        frequency = None
        if re.search(r"gång i veckan|varje vecka|veckovis|veckovisa", lowered):
            frequency = "weekly"
        elif re.search(r"varannan vecka", lowered):
            frequency = "biweekly"
        elif re.search(r"4 ggr/år|fyra gånger (?:per|om|i) året|kvartal", lowered):
            frequency = "quarterly"
        elif re.search(r"månadsvis|varje månad|en gång i månaden", lowered):
            frequency = "monthly"
        if frequency:
            forum.data["frequency"] = frequency


def recognise(blocks: list[Block], *, municipality_name: str = "", police_name: str = "") -> Tree:
    """Recognise an agreement in ``blocks`` (see the module docstring for the rules)."""
    return _Recogniser(blocks, municipality_name, police_name).run()


def has_structure(tree: Tree) -> bool:
    """Whether anything an agreement is made of was recognised."""
    counted = {FOCUS_AREA, COMMITMENT, ACTIVITY, SIGNATORY, SUB_GOAL, PROMISE}
    return any(item.kind in counted for item in tree.items)


def summary(tree: Tree) -> dict[str, int]:
    counts = {kind: 0 for kind in KINDS}
    for item in tree.items:
        counts[item.kind] += 1
    return counts
