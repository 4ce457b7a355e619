"""The permission matrix: every named URL of the project and what each persona gets.

One row per URL name. ``obj`` names the object of municipality A's tree (see
``tests/security/factories.py``) whose ``pk`` fills the URL's ``pk``; ``kwargs`` maps other
URL parameters to attribute paths of the tree (``"agreement.pk"``) or to literal values.

Expectations are five words, one per persona, in this order::

    anonymous  outsider  council  police  coordinator

where ``outsider`` is municipality B's coordinator looking at A's objects. A word is
``login`` (redirect to the login page), ``302`` (redirect elsewhere), or a status code;
``200|302`` accepts either. ``500`` is never acceptable.

POST is sent with ``data`` (default: empty) and without a CSRF token check; a write view
answers 200 (the form with errors) or 302 (done) to those allowed, 403/404 to others.

Adding a URL: add its row here — the matrix test fails for any URL without one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

PERSONA_ORDER = ("anonymous", "outsider", "council", "police", "coordinator")

# Common rows of expectations ------------------------------------------------------------
#                anon   outsider council police coordinator
LIST = "login 200 200 200 200"  # a list scoped to what the user sees
READ = "login 404 200 200 200"  # one of A's objects: members of A's parties read it
EDIT = "login 404 403 403 200"  # A's coordinator edits; other members are refused
DONE = "login 404 403 403 302"  # an action of A's coordinator: done, back to the page
CREATE_OWN = "login 200 403 403 200"  # a coordinator (of any municipality) creates
REVIEW = "login 404 403 200 200"  # the police of A's police area and the coordinator
PUBLIC = "200 200 200 200 200"  # public pages
GET_ONLY = "login 405 405 405 405"  # POST to a read-only page, or GET to a POST-only action
PUBLIC_GET_ONLY = "405 405 405 405 405"
STAFF_ONLY = "login 403 403 403 403"  # only staff set up a new municipality
MANAGE_GET_ONLY = "login 404 403 403 405"  # the municipality is checked before the method
IMPORT_OWN = "login 404 404 404 200"  # only the uploading municipality's coordinator


def _managed(get: str, post: str) -> dict:
    """People pages: staff manage every municipality like its coordinator; a member of a
    further party does not work for the municipality, so it is not found for them."""
    return {
        "get": {"staff": get.split()[-1], "party": "404"},
        "post": {"staff": post.split()[-1], "party": "404"},
    }


class V:
    """A literal URL parameter (``V("csv")``), as opposed to a path into the tree."""

    def __init__(self, value):
        self.value = value

    def __repr__(self):
        return f"V({self.value!r})"


@dataclass(frozen=True)
class Row:
    """Expectations for one URL name.

    ``kwargs`` maps URL parameters to a path into municipality A's tree (``"plan"`` →
    its pk), a literal ``V(...)`` or a callable ``f(tree)``. ``variants`` repeats the row
    with other parameters (e.g. every kind of agreement item). ``data`` is what POST sends
    (a dict, or ``f(tree)``). ``shows_a`` marks pages where an outsider may legitimately
    see A's names (public pages, organisation pages).
    """

    get: str
    post: str
    obj: str | None = None
    kwargs: dict[str, Any] = field(default_factory=dict)
    variants: tuple[dict[str, Any], ...] = ()
    data: Any = None
    query: str = ""
    shows_a: bool = False
    note: str = ""
    #: Expectations of the further personas where they differ from the derived ones
    #: (see :func:`expectations`): ``{"get": {"staff": "200"}, "post": {...}}``.
    extra: dict[str, dict[str, str]] = field(default_factory=dict)


def _row(obj: str | None, get: str, post: str, **extra) -> Row:
    return Row(get=get, post=post, obj=obj, **extra)


def _history_record(tree) -> dict:
    record = tree.focus_area.history.order_by("history_id").first()
    return {"record": f"agreements.focusarea:{record.history_id}"}


def _police_membership(tree) -> int:
    from agreements.models import Membership

    return Membership.objects.get(user__username="kommunpolis-a").pk


def _police_user(tree) -> int:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="kommunpolis-a").pk


def _document_import(tree) -> int:
    """An uploaded (not yet created) agreement document of municipality A."""
    from django.contrib.auth import get_user_model

    from docimport.models import DocumentImport
    from docimport.readers import read_text
    from docimport.recognise import recognise

    text = "Fokusområden\nFokusområde 1 – Trygg skolväg\nDelmål:\n- Färre olyckor"
    parsed = recognise(read_text(text).blocks, municipality_name=tree.agreement.municipality.name)
    record = DocumentImport.objects.create(
        uploaded_by=get_user_model().objects.get(username="samordnare-a"),
        municipality=tree.agreement.municipality,
        police_area=tree.agreement.police_area,
        original_name="avtal.txt",
        tree=parsed.as_dict(),
    )
    return record.pk


def _calendar_token(tree) -> str:
    from django.contrib.auth import get_user_model

    from forums.services import calendar_token_create

    return calendar_token_create(user=get_user_model().objects.get(username="samordnare-a"))


def _service_job(tree) -> int:
    """A signing A's coordinator asked for, waiting for the task worker."""
    from django.contrib.auth import get_user_model

    from core.models import ServiceJob

    return ServiceJob.objects.create(
        kind="agreement_sign",
        title=f"Undertecknande av {tree.agreement.title}",
        target_pk=tree.agreement.pk,
        user=get_user_model().objects.get(username="samordnare-a"),
        next_url=tree.agreement.get_absolute_url(),
    ).pk


ITEM_EDIT_VARIANTS = (  # the focus area last: deleting it takes its sub-goals along
    {"kind": V("delmal"), "pk": "sub_goal"},
    {"kind": V("orsak"), "pk": "cause"},
    {"kind": V("atagande"), "pk": "commitment"},
    {"kind": V("undertecknare"), "pk": "signatory"},
    {"kind": V("fokusomrade"), "pk": "focus_area"},
)
ITEM_CREATE_VARIANTS = (
    {"kind": V("fokusomrade"), "parent": "agreement"},
    {"kind": V("delmal"), "parent": "focus_area"},
    {"kind": V("orsak"), "parent": "focus_area"},
    {"kind": V("atagande"), "parent": "agreement"},
    {"kind": V("undertecknare"), "parent": "agreement"},
)

# fmt: off
MATRIX: dict[str, Row] = {
    # --- project-level ------------------------------------------------------------------
    "healthz":          _row(None, PUBLIC, PUBLIC, note="the load balancer's probe"),
    "set_language":     _row(None, "302 302 302 302 302", "302 302 302 302 302",
                             data={"language": "en", "next": "/"},
                             note="Django's set_language; GET changes nothing and redirects"),
    "login":            _row(None, "200 302 302 302 302", "200 302 302 302 302"),
    "logout":           _row(None, PUBLIC_GET_ONLY, PUBLIC),
    "password_change":      _row(None, LIST, LIST, note="the form back with errors"),
    "password_change_done": _row(None, LIST, GET_ONLY),
    "password_reset":       _row(None, PUBLIC, PUBLIC, note="the same answer for every address"),
    "password_reset_done":  _row(None, PUBLIC, PUBLIC_GET_ONLY),
    "password_reset_confirm": _row(None, PUBLIC, PUBLIC,
                                   kwargs={"uidb64": V("MQ"), "token": V("set-password")},
                                   note="an invalid link explains itself"),
    "password_reset_complete": _row(None, PUBLIC, PUBLIC_GET_ONLY),
    # --- people and organisation (accounts) ---------------------------------------------
    "accounts:onboarding": _row(None, STAFF_ONLY, STAFF_ONLY,
                                extra={m: {"staff": "200", "superuser": "200"} for m in ("get", "post")},
                                note="an empty POST: the form back with errors"),
    "accounts:accept":     _row(None, PUBLIC, PUBLIC, shows_a=True,
                                kwargs={"token": "invitation_token"},
                                note="the secret link is the credential; an empty POST is refused"),
    "accounts:invitation-revoke": _row("invitation", GET_ONLY, DONE,
                                 extra={**_managed(GET_ONLY, DONE), "get": {"staff": "405", "party": "405"}}),
    "accounts:manage":     _row("municipality", EDIT, MANAGE_GET_ONLY,
                                 extra=_managed(EDIT, MANAGE_GET_ONLY)),
    "accounts:invite":     _row("municipality", EDIT, EDIT,
                                 extra=_managed(EDIT, EDIT)),
    "accounts:membership-role": _row("municipality", EDIT, EDIT,
                                     kwargs={"membership_pk": _police_membership},
                                 extra=_managed(EDIT, EDIT)),
    "accounts:user-active": _row("municipality", MANAGE_GET_ONLY, DONE,
                                 kwargs={"user_pk": _police_user}, data={"action": "activate"},
                                 extra=_managed(MANAGE_GET_ONLY, DONE)),
    "accounts:unit-create": _row("municipality", EDIT, EDIT,
                                 extra=_managed(EDIT, EDIT)),
    "accounts:unit-edit":   _row("municipality", EDIT, EDIT, kwargs={"item_pk": "department"},
                                 extra=_managed(EDIT, EDIT)),
    "accounts:area-create": _row("municipality", EDIT, EDIT,
                                 extra=_managed(EDIT, EDIT)),
    "accounts:area-edit":   _row("municipality", EDIT, EDIT, kwargs={"item_pk": "area"},
                                 extra=_managed(EDIT, EDIT)),
    # --- dashboard ----------------------------------------------------------------------
    "dashboard:home":         _row(None, LIST, GET_ONLY),
    "dashboard:organisation": _row("municipality", LIST, GET_ONLY, shows_a=True,
                                   note="organisations are not secret"),
    "dashboard:law-check":     _row("municipality", READ, GET_ONLY,
                                    extra={"get": {"party": "404"}, "post": {"party": "405"}},
                                    note="for those who work for the municipality"),
    "dashboard:law-check-pdf": _row("municipality", READ, GET_ONLY,
                                    extra={"get": {"party": "404"}, "post": {"party": "405"}}),
    "dashboard:law-check-national": _row(None, STAFF_ONLY, STAFF_ONLY,
                                         extra={"get": {"staff": "200", "superuser": "200"},
                                                "post": {"staff": "405", "superuser": "405"}}),
    # --- agreements ---------------------------------------------------------------------
    "agreements:list":        _row(None, LIST, GET_ONLY),
    "agreements:create":      _row(None, CREATE_OWN, CREATE_OWN),
    "agreements:detail":      _row("agreement", READ, GET_ONLY),
    "agreements:edit":        _row("agreement", EDIT, EDIT),
    "agreements:history":     _row("agreement", READ, GET_ONLY),
    "agreements:history-restore": _row("agreement", GET_ONLY, DONE, data=_history_record),
    "agreements:transition":  _row("agreement", GET_ONLY, DONE, data={"to": "review"}),
    "agreements:sign":        _row("agreement", DONE, DONE,
                                   note="a draft cannot be signed: back to the agreement"),
    "agreements:revise":      _row("signed_agreement", GET_ONLY, DONE),
    "agreements:pdf":         _row("agreement", READ, "login 404 405 405 405"),
    "agreements:scan-upload": _row("signed_agreement", EDIT, EDIT),
    "agreements:scan-download": _row("signed_agreement", READ, GET_ONLY),
    "agreements:verify":      _row(None, LIST, LIST, note="check a PDF against stored hashes"),
    "agreements:agreement-verify": _row("agreement", READ, READ),
    "agreements:remiss-comment": _row("agreement", GET_ONLY, "login 404 403 302 302",
                                      data=lambda t: {"item": f"focus_area:{t.focus_area.pk}",
                                                      "text": "Synpunkt"},
                                      note="the police of the police area and the coordinator "
                                      "comment on the draft; its other readers do not"),
    "agreements:remiss-approve": _row("agreement", GET_ONLY, "login 404 403 302 403",
                                      extra={"post": {"superuser": "302"}},
                                      note="only the police approve for their area (a draft "
                                      "not on remiss: back with a message)"),
    "agreements:remiss-resolve": _row("remiss_comment", GET_ONLY, "login 404 404 403 302",
                                      data={"answer": "Åtgärdat", "resolved": "on"},
                                      note="readers other than the remiss's own never see "
                                      "its comments"),
    "agreements:attachment-create": _row("agreement", EDIT, EDIT),
    "agreements:attachment-download": _row("attachment", READ, GET_ONLY),
    "agreements:attachment-delete": _row("attachment", EDIT, DONE),
    "agreements:item-create": _row(None, EDIT, EDIT, variants=ITEM_CREATE_VARIANTS),
    "agreements:item-edit":   _row(None, EDIT, EDIT, variants=ITEM_EDIT_VARIANTS),
    "agreements:item-delete": _row(None, EDIT, DONE, variants=ITEM_EDIT_VARIANTS),
    "agreements:item-move":   _row(None, GET_ONLY, DONE, variants=ITEM_EDIT_VARIANTS,
                                   data={"direction": "down"}),
    "agreements:promise-list":   _row("agreement", READ, GET_ONLY),
    "agreements:promise-create": _row("agreement", EDIT, EDIT),
    "agreements:promise-detail": _row("promise", READ, GET_ONLY),
    "agreements:promise-edit":   _row("promise", EDIT, EDIT),
    "agreements:promise-pdf":    _row("promise", READ, "login 404 405 405 405"),
    "public:agreement-list":     _row(None, PUBLIC, PUBLIC_GET_ONLY, shows_a=True),
    "public:agreement-detail":   _row("signed_agreement", PUBLIC, PUBLIC_GET_ONLY, shows_a=True),
    # --- action plans -------------------------------------------------------------------
    "actionplans:plan-list":     _row(None, LIST, GET_ONLY),
    # The menu's "Åtgärdsplan": to the user's own current plan, or a choice / an empty page.
    "actionplans:current-plan":  _row(None, "login 200|302 200|302 200|302 200|302", GET_ONLY),
    "actionplans:plan-create":   _row(None, EDIT, EDIT, kwargs={"agreement_pk": "agreement"}),
    "actionplans:plan-detail":   _row("plan", READ, GET_ONLY),
    "actionplans:plan-edit":     _row("plan", EDIT, EDIT),
    "actionplans:plan-import":   _row("plan", EDIT, EDIT),
    "actionplans:plan-pdf":      _row("plan", READ, GET_ONLY),
    "actionplans:activity-list": _row(None, LIST, GET_ONLY),
    "actionplans:activity-export": _row(None, LIST, GET_ONLY,
                                        variants=({"fmt": V("csv")}, {"fmt": V("xlsx")})),
    "actionplans:activity-filter-choices": _row(
        None, LIST, GET_ONLY,
        variants=tuple({"field": V(f)} for f in ("plan", "party", "focus_area", "responsible")),
        note="a dropdown's options as JSON, scoped like the list's own"),
    "actionplans:activity-create": _row("plan", DONE, EDIT,
                                        note="GET without htmx: to the plan's inline form"),
    "actionplans:activity-detail": _row("activity", READ, GET_ONLY),
    "actionplans:activity-edit":   _row("activity", EDIT, EDIT),
    "actionplans:activity-row-edit": _row("activity", DONE, EDIT,
                                          note="GET without htmx: to the plan's row"),
    "actionplans:activity-move":   _row("activity", GET_ONLY, DONE, data={"direction": "down"}),
    "actionplans:activity-submit": _row("activity", GET_ONLY, DONE),
    "actionplans:activity-review": _row("activity", GET_ONLY, "login 404 403 200 403",
                                        extra={"post": {"superuser": "200"}},
                                        note="only the police of the police area (and "
                                        "superusers) review"),
    "actionplans:review-queue":    _row(None, LIST, GET_ONLY),
    # --- forums -------------------------------------------------------------------------
    "forums:list":           _row(None, LIST, GET_ONLY),
    "forums:tree":           _row(None, LIST, GET_ONLY),
    "forums:create":         _row(None, CREATE_OWN, CREATE_OWN),
    "forums:detail":         _row("forum", READ, GET_ONLY),
    "forums:edit":           _row("forum", EDIT, EDIT),
    "forums:ical":           _row("forum", READ, GET_ONLY),
    "forums:ical-mine":      _row(None, LIST, GET_ONLY),
    "forums:ical-token":     _row(None, PUBLIC, PUBLIC_GET_ONLY, shows_a=True,
                                  kwargs={"token": _calendar_token},
                                  note="the secret address is the credential"),
    "forums:calendar":       _row(None, LIST, "login 400 400 400 400",
                                  note="POST without an action is a bad request"),
    "forums:seat-create":    _row("forum", EDIT, EDIT),
    "forums:seat-edit":      _row("seat", EDIT, EDIT),
    "forums:seat-delete":    _row("seat", GET_ONLY, DONE),
    "forums:meeting-list":   _row("forum", READ, GET_ONLY),
    "forums:meeting-create": _row("forum", EDIT, EDIT),
    "forums:meeting-series": _row("forum", EDIT, EDIT),
    "forums:meeting-detail": _row("meeting", READ, GET_ONLY),
    "forums:meeting-edit":   _row("meeting", EDIT, EDIT),
    "forums:attendance":     _row("meeting", EDIT, EDIT),
    "forums:decision-add":   _row("meeting", GET_ONLY, "login 404 403 403 400",
                                  note="an empty decision: the form back with 400"),
    "forums:decision-delete": _row("decision", GET_ONLY, DONE),
    # --- follow-up ----------------------------------------------------------------------
    "followup:deviations":     _row(None, LIST, GET_ONLY),
    "followup:report-list":    _row(None, LIST, GET_ONLY),
    "followup:report-create":  _row(None, EDIT, EDIT, kwargs={"agreement_pk": "agreement"}),
    "followup:report-detail":  _row("report", READ, GET_ONLY),
    "followup:report-edit":    _row("report", EDIT, EDIT),
    "followup:report-fill":    _row("report", READ, GET_ONLY),
    "followup:report-review":  _row("report", REVIEW, GET_ONLY),
    "followup:report-pdf":     _row("report", READ, GET_ONLY),
    "followup:report-status":  _row("report", GET_ONLY, DONE, data={"action": "submit"}),
    "followup:rhythm":         _row(None, READ, EDIT, kwargs={"agreement_pk": "agreement"}),
    "followup:update-edit":    _row("report", EDIT, EDIT, kwargs={"activity_pk": "activity"},
                                    extra={"get": {"reporter": "200"}, "post": {"reporter": "200"}},
                                    note="the reporter's förvaltning is responsible for it"),
    "followup:update-action":  _row("update", GET_ONLY, DONE, data={"action": "submit"},
                                    extra={"post": {"reporter": "302"}}),
    "followup:update-not-reported": _row("report", GET_ONLY, DONE, kwargs={"activity_pk": "activity"},
                                         data={"reason": ""}),
    "followup:report-remind":  _row("report", GET_ONLY, DONE, data={"unit": "0"}),
    "followup:indicator-list":   _row(None, LIST, GET_ONLY),
    "followup:indicator-create": _row(None, CREATE_OWN, CREATE_OWN),
    "followup:indicator-detail": _row("indicator", READ, GET_ONLY,
                                      note="the lägesbild is shared with the agreement's parties"),
    "followup:indicator-edit":   _row("indicator", EDIT, EDIT),
    "followup:indicator-import": _row("indicator", EDIT, EDIT),
    "followup:indicator-value-create": _row("indicator", EDIT, EDIT),
    # --- document import ----------------------------------------------------------------
    "docimport:upload":          _row(None, CREATE_OWN, CREATE_OWN),
    "docimport:review":          _row(None, IMPORT_OWN, IMPORT_OWN,
                                      kwargs={"pk": _document_import},
                                      note="an import is the uploading municipality's alone"),
    # --- background actions (signing, approving) ------------------------------------------
    "core:job":                  _row(None, IMPORT_OWN, PUBLIC_GET_ONLY,
                                      kwargs={"pk": _service_job},
                                      extra={"get": {"superuser": "404"}},
                                      note="a job's page is for the one who asked, nobody else"),
}
# fmt: on

#: URL names whose form views the hostile-input test leaves out, and why.
HOSTILE_INPUT_SKIP: dict[str, str] = {
    "login": "the login form is covered by the lockout tests",
    "password_reset_confirm": "the form exists only behind a valid e-mailed link; "
    "tests/accounts/test_password_reset.py uses one",
    "accounts:onboarding": "staff only (the coordinator gets 403); tests/accounts posts bad input",
    "accounts:accept": "a valid post spends the link and signs in as the new account; "
    "tests/accounts posts bad passwords",
}


def _approve(tree) -> None:
    from agreements.choices import AgreementStatus

    tree.agreement.status = AgreementStatus.APPROVED
    tree.agreement.save()


#: What to do to A's tree before the hostile-input test can reach a form.
HOSTILE_INPUT_PREPARE = {
    "agreements:sign": _approve,  # only an approved agreement can be signed
}

#: Names in municipality A's tree that an outsider must never see on a page.
A_SECRETS = (
    "agreement.title",
    "plan.title",
    "forum.name",
    "indicator.name",
    "focus_area.title",
    "promise.title",
)


#: Personas beyond the five written in each row, and whom they follow by default.
EXTRA_PERSONAS = {
    "viewer": "council",  # a reader of A reads what a council member reads
    "reporter": "council",  # a förvaltning's reporter reads like a reader, and reports (rows)
    "party": "council",  # a member of a further party of A's agreement reads it all
    "staff": "council",  # staff read everything and edit nothing
    "police_b": "outsider",  # B's kommunpolis sees A's objects no more than B's coordinator
    "superuser": "coordinator",  # superusers edit everything
}


def expectations(row: Row, method: str) -> dict[str, frozenset[str]]:
    """Every persona's accepted outcomes for ``method`` ("get"/"post") of ``row``."""
    spec = getattr(row, method)
    result = parse(spec)
    for persona, follows in EXTRA_PERSONAS.items():
        accepted = result[follows]
        if persona == "police_b" and spec == CREATE_OWN:
            accepted = frozenset({"403"})  # not a coordinator anywhere
        if persona == "superuser" and method == "post" and "302" in accepted:
            # The superuser acts after the coordinator, whose action may have removed it.
            accepted = accepted | {"404"}
        result[persona] = accepted
    for persona, word in row.extra.get(method, {}).items():
        result[persona] = frozenset(word.split("|"))
    return result


def parse(spec: str) -> dict[str, frozenset[str]]:
    """``"login 404 200 200 200"`` → {persona: {accepted outcomes}}."""
    words = spec.split()
    if len(words) != len(PERSONA_ORDER):
        raise ValueError(f"{spec!r}: one expectation per persona {PERSONA_ORDER}")
    return {
        persona: frozenset(word.split("|"))
        for persona, word in zip(PERSONA_ORDER, words, strict=True)
    }


def resolve_path(tree, path: str):
    value = tree
    for part in path.split("."):
        value = getattr(value, part)
    return value


def _value(tree, source):
    if isinstance(source, V):
        return source.value
    if callable(source):
        return source(tree)
    value = resolve_path(tree, source)
    return value.pk if hasattr(value, "pk") else value


def url_kwargs_variants(row: Row, pattern_params: set[str], tree) -> list[dict[str, Any]]:
    """Fill the URL parameters: ``pk`` from ``row.obj``, others from ``kwargs``/``variants``."""
    result = []
    for variant in row.variants or ({},):
        sources = {**row.kwargs, **variant}
        kwargs = {name: _value(tree, source) for name, source in sources.items()}
        if "pk" in pattern_params and "pk" not in kwargs:
            if row.obj is None:
                raise ValueError("the URL takes a pk: give the row an obj")
            kwargs["pk"] = resolve_path(tree, row.obj).pk
        missing = pattern_params - set(kwargs)
        if missing:
            raise ValueError(f"no value for URL parameters {sorted(missing)}: add them to kwargs")
        result.append(kwargs)
    return result


def post_data(row: Row, tree) -> dict[str, Any]:
    if row.data is None:
        return {}
    return dict(row.data(tree) if callable(row.data) else row.data)
