"""Organisations, access memberships and the collaboration agreement itself.

The agreement (samverkansöverenskommelse) is the root of the domain: its focus
areas, sub-goals, causes, commitments and signatories hang below it, and once it
is signed none of them may change (see :mod:`agreements.locking`). One module per
concern; they import one way: organisations ← scoping ← areas ← agreement ← promises.
"""

from .agreement import (
    Agreement,
    AgreementArea,
    AgreementParty,
    AgreementQuerySet,
    Cause,
    Commitment,
    FocusArea,
    FocusAreaArea,
    Signatory,
    SubGoal,
)
from .areas import Area
from .attachments import Attachment, AttachmentKind
from .organisations import (
    Membership,
    Organisation,
    OrganisationQuerySet,
    served_municipality_ids,
    tree_q,
)
from .promises import CitizenPromise, PromisePartner
from .remiss import RemissApproval, RemissComment
from .scoping import (
    AgreementScopedQuerySet,
    LockedScopedQuerySet,
    MunicipalityOwnedQuerySet,
    OpenScopedQuerySet,
)

#: What the history page can restore (items of an agreement that is still a draft).
RESTORABLE = (Agreement, FocusArea, SubGoal, Cause, Commitment, Signatory, CitizenPromise)

__all__ = [
    "RESTORABLE",
    "Agreement",
    "AgreementArea",
    "AgreementParty",
    "AgreementQuerySet",
    "AgreementScopedQuerySet",
    "Area",
    "Attachment",
    "AttachmentKind",
    "Cause",
    "CitizenPromise",
    "Commitment",
    "FocusArea",
    "FocusAreaArea",
    "LockedScopedQuerySet",
    "Membership",
    "MunicipalityOwnedQuerySet",
    "OpenScopedQuerySet",
    "Organisation",
    "OrganisationQuerySet",
    "PromisePartner",
    "RemissApproval",
    "RemissComment",
    "Signatory",
    "SubGoal",
    "served_municipality_ids",
    "tree_q",
]
