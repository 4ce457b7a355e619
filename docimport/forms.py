"""The upload form and the review form of the document import."""

from __future__ import annotations

import copy

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from agreements.choices import OrganisationKind
from agreements.models import Agreement, Organisation
from core.forms import AccessibleFormMixin, DateInput
from core.models import MAX_TEXT

from . import readers
from .recognise import (
    ACTIVITY,
    AREA,
    COMMITMENT,
    FOCUS_AREA,
    FORUM,
    HIGH,
    JOINT,
    MUNICIPALITY,
    POLICE,
    PROMISE,
    SECTION,
    SIGNATORY,
    SUB_GOAL,
    Item,
    Tree,
)

#: Kinds whose main words are a title (the rest is a description).
TITLE_KINDS = {FOCUS_AREA, ACTIVITY, FORUM, PROMISE, AREA, SIGNATORY}

DROP = "drop"


def assignment_choices() -> list[tuple[str, str]]:
    """What a block or an item can be made into on the review screen."""
    return [
        (FOCUS_AREA, _("Focus area")),
        (SUB_GOAL, _("Sub-goal")),
        (f"{COMMITMENT}:{MUNICIPALITY}", _("Commitment of the municipality")),
        (f"{COMMITMENT}:{POLICE}", _("Commitment of the police")),
        (f"{COMMITMENT}:{JOINT}", _("Joint commitment")),
        (ACTIVITY, _("Activity in the action plan")),
        (FORUM, _("Forum")),
        (PROMISE, _("Citizen promise")),
        (AREA, _("Area")),
        (f"{SECTION}:background", _("Text: background and situation picture")),
        (f"{SECTION}:purpose", _("Text: purpose")),
        (f"{SECTION}:overall_goal", _("Text: overall goal")),
        (f"{SECTION}:organisation_text", _("Text: organisation and forums")),
        (f"{SECTION}:followup_text", _("Text: follow-up")),
        (f"{SECTION}:communication_text", _("Text: communication")),
        (f"{SECTION}:budget_text", _("Text: budget and resources")),
    ]


def assignment_of(item: Item) -> str:
    if item.kind == COMMITMENT:
        return f"{COMMITMENT}:{item.party if item.party in (MUNICIPALITY, POLICE) else JOINT}"
    if item.kind == SECTION:
        return f"{SECTION}:{item.section}"
    return item.kind


def label_of(item: Item) -> str:
    return item.title if item.kind in TITLE_KINDS else item.text


class UploadForm(AccessibleFormMixin, forms.Form):
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=Organisation.objects.none()
    )
    police_area = forms.ModelChoiceField(
        label=_("Local police area"), queryset=Organisation.objects.none()
    )
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("A Word file (.docx), a PDF or a text file (.txt), at most 20 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".docx,.pdf,.txt"}),
    )
    text = forms.CharField(
        label=_("Or paste the text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        municipalities = Organisation.objects.managed_by(user).filter(is_active=True)
        self.fields["municipality"].queryset = municipalities
        self.fields["police_area"].queryset = (
            Organisation.objects.partners_of(user)
            .filter(kind__in=[OrganisationKind.POLICE_AREA, OrganisationKind.POLICE_REGION])
            .order_by("name")
        )
        first = municipalities.first()
        if first is not None:
            self.fields["municipality"].initial = first.pk
            # The local police area it works with, else the one of its latest agreement.
            latest = Agreement.objects.filter(municipality=first).order_by("-valid_from").first()
            police_area = first.police_area_id or (latest.police_area_id if latest else None)
            if police_area is None and self.fields["police_area"].queryset.count() == 1:
                police_area = self.fields["police_area"].queryset.get().pk
            self.fields["police_area"].initial = police_area
        # The text box takes a whole agreement; the file limit is the real one.
        self.fields["text"].max_length = readers.MAX_UPLOAD_BYTES
        self.fields["text"].validators = []
        self.fields["text"].widget.attrs.pop("maxlength", None)

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is None:
            return upload
        if upload.size > readers.MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                gettext("The file is larger than 20 MB. Upload a smaller file.")
            )
        if upload.size == 0:
            raise forms.ValidationError(gettext("The file is empty."))
        if not upload.name.lower().endswith(readers.EXTENSIONS):
            if upload.name.lower().endswith((".docm", ".dotm")):
                raise forms.ValidationError(
                    gettext(
                        "The Word file contains macros. Save it as an ordinary .docx without "
                        "macros and upload it again."
                    )
                )
            raise forms.ValidationError(gettext("Upload a .docx, .pdf or .txt file."))
        return upload

    def clean(self):
        cleaned = super().clean()
        nothing = not cleaned.get("file") and not (cleaned.get("text") or "").strip()
        if nothing and "file" not in self.errors:
            self.add_error("file", gettext("Choose a file or paste the agreement's text."))
        return cleaned

    def document(self) -> tuple[str, bytes, str]:
        """(name, bytes, the field to report reading errors on)."""
        upload = self.cleaned_data.get("file")
        if upload is not None:
            return upload.name, upload.read(), "file"
        return "inklistrad-text.txt", self.cleaned_data["text"].encode("utf-8"), "text"


class ReviewForm(AccessibleFormMixin, forms.Form):
    """Every recognised item with what it is and its words; every leftover block with
    what it could become. :meth:`apply` returns the tree as the coordinator left it."""

    title = forms.CharField(label=_("Title"), max_length=300)
    valid_from = forms.DateField(label=_("Valid from"), widget=DateInput)
    valid_to = forms.DateField(label=_("Valid to"), widget=DateInput)

    mark_signed = forms.BooleanField(
        label=_("The document is the signed agreement: mark it signed"),
        required=False,
        help_text=_(
            "The draft is then signed on the date below, and an original PDF is kept as "
            "the scanned signed copy."
        ),
    )
    signed_on = forms.DateField(label=_("Signed on"), required=False, widget=DateInput)

    def __init__(self, *args, tree: Tree, **kwargs):
        super().__init__(*args, **kwargs)
        self.tree = tree
        dates = [i.data.get("signed_on") for i in tree.items if i.kind == SIGNATORY]
        self.fields["signed_on"].initial = max([d for d in dates if d], default=None)
        self.fields["title"].initial = tree.title
        self.fields["valid_from"].initial = tree.valid_from
        self.fields["valid_to"].initial = tree.valid_to
        choices = assignment_choices()
        for item in tree.items:
            kind_choices = list(choices)
            if item.kind == SIGNATORY:
                kind_choices = [(SIGNATORY, _("Signatory"))]
            elif item.kind == SECTION and item.section not in {c[0][8:] for c in choices}:
                kind_choices.append(
                    (assignment_of(item), _("Text: %(field)s") % {"field": item.section})
                )
            kind_choices.append((DROP, _("Leave out")))
            self.fields[f"kind_{item.id}"] = forms.ChoiceField(
                label=_("What it is"), choices=kind_choices, initial=assignment_of(item)
            )
            self.fields[f"label_{item.id}"] = forms.CharField(
                label=_("Title") if item.kind in TITLE_KINDS else _("Text"),
                initial=label_of(item),
                widget=forms.Textarea(attrs={"rows": 2})
                if item.kind not in TITLE_KINDS
                else forms.TextInput(),
            )
        for number in tree.leftovers:
            self.fields[f"block_{number}"] = forms.ChoiceField(
                label=_("Use as"),
                required=False,
                choices=[("", _("Leave out")), *choices],
            )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("mark_signed") and not cleaned.get("signed_on"):
            self.add_error("signed_on", gettext("Enter the date the agreement was signed."))
        start, stop = cleaned.get("valid_from"), cleaned.get("valid_to")
        if start and stop and stop <= start:
            self.add_error("valid_to", gettext("The period must end after it starts."))
        for item in self.tree.items:
            kind = (cleaned.get(f"kind_{item.id}") or "").split(":")[0]
            label = cleaned.get(f"label_{item.id}") or ""
            limit = 300 if kind in TITLE_KINDS else MAX_TEXT
            if kind != DROP and len(label) > limit:
                self.add_error(
                    f"label_{item.id}",
                    gettext("Keep the text to at most %(limit)s characters.") % {"limit": limit},
                )
        if not self.errors:
            tree = self.apply()
            for item in tree.items:
                if item.kind == SUB_GOAL and item.parent is None and not item.data.get("dropped"):
                    field = (
                        f"kind_{item.id}"
                        if f"kind_{item.id}" in self.fields
                        else f"block_{item.sources[0]}"
                    )
                    self.add_error(
                        field, gettext("A sub-goal needs a focus area above it in the document.")
                    )
        return cleaned

    def apply(self) -> Tree:
        tree = copy.deepcopy(self.tree)
        data = self.cleaned_data
        tree.title = data["title"]
        tree.valid_from = str(data["valid_from"])
        tree.valid_to = str(data["valid_to"])
        by_id = {item.id: item for item in tree.items}
        for item in tree.items:
            assignment = data.get(f"kind_{item.id}") or assignment_of(item)
            label = data.get(f"label_{item.id}", label_of(item))
            if assignment == DROP:
                item.data["dropped"] = True
                continue
            _reshape(item, assignment, label)
        next_id = max(by_id, default=0) + 1
        used = []
        for number in tree.leftovers:
            assignment = data.get(f"block_{number}")
            if not assignment:
                continue
            block = next(b for b in tree.blocks if b["n"] == number)
            item = Item(id=next_id, kind=SECTION, text=block["text"], sources=[number])
            item.confidence = HIGH  # the coordinator said so
            item.data["assigned"] = True
            _reshape(item, assignment, block["text"])
            item.data["reparent"] = True
            tree.items.append(item)
            used.append(number)
            next_id += 1
        tree.leftovers = [n for n in tree.leftovers if n not in used]
        tree.items.sort(key=lambda it: (it.sources[0] if it.sources else 10**9, it.id))
        _reparent(tree)
        return tree


def _reshape(item: Item, assignment: str, label: str) -> None:
    kind, _sep, detail = assignment.partition(":")
    was_title = item.kind in TITLE_KINDS
    description = item.text if was_title else ""
    if kind in TITLE_KINDS:
        item.title = label.strip()
        item.text = description if was_title else ("" if label == item.text else item.text)
    else:
        words = label.strip()
        if was_title and kind != item.kind and description:
            words = f"{words}\n\n{description}"
        item.text = words
        item.title = ""
    if kind != item.kind:
        item.data = {k: v for k, v in item.data.items() if k in {"assigned"}}
        item.data["reparent"] = True
    item.kind = kind
    item.party = detail if kind == COMMITMENT else (item.party if kind == SIGNATORY else "")
    item.section = detail if kind == SECTION else ""


def _reparent(tree: Tree) -> None:
    """Items that changed kind, and those whose focus area was left out or changed kind,
    belong to the nearest focus area above them."""
    areas = {it.id for it in tree.items if it.kind == FOCUS_AREA and not it.data.get("dropped")}
    current = None
    for item in tree.items:
        if item.data.get("dropped"):
            continue
        if item.kind == FOCUS_AREA:
            current = item.id
            item.parent = None
        elif item.kind in {SUB_GOAL, ACTIVITY}:
            if item.data.get("reparent") or item.parent not in areas:
                item.parent = current if item.data.get("reparent") or item.parent else None
                if item.kind == SUB_GOAL and item.parent is None:
                    item.parent = current
        elif item.parent is not None and item.parent not in areas:
            item.parent = None
