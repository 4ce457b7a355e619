"""Synthetic national-scale data for benchmarks (``python manage.py generate_scale``).

Every kommun in the country on one instance: municipalities with SCB-like codes,
lokalpolisområden (one per three municipalities) in the seven polisregioner, a
few förvaltningar and a housing company each; users with memberships; agreements
in every lifecycle state (a superseded one, the signed one in force, and for
three in five municipalities a revision in draft, review or approved); the tree
below them; action plans with activities, roles and reviews; forums with seats,
meetings, decisions and attendance; quarterly follow-up reports with activity
updates; indicators with values.

History rows are written as real use would leave them: each object has a "+"
row dated when it was made and by whom, and lifecycle moves (draft → review →
approved → signed → superseded, report submitted → approved, an activity's
status) have "~" rows of their own. Everything is written in bulk with
simple-history's ``bulk_create_with_history`` / ``bulk_history_create``: the
model layer's ``save()`` (and with it the signed-agreement guard) is bypassed
on purpose — children are created while the agreement is still a draft, and
the agreement is moved to signed afterwards.

The data are deterministic for a given ``seed`` (dates are anchored to today,
so that the agreement in force is current). Municipality ``i`` (1-based) has
users ``samordnare-000i`` (coordinator), ``kommunpolis-000i`` (police, in the
municipality's lokalpolisområde) and ``kug-000i`` (council member); the staff
user ``nationell`` sees everything. All have the password ``demo``.
"""

from .base import ScaleConfig
from .generator import ScaleGenerator
from .vocabulary import STAFF_USERNAME

__all__ = ["STAFF_USERNAME", "ScaleConfig", "ScaleGenerator"]
