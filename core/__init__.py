"""The ground floor: building blocks every app uses and that depend on no app.

* ``core.models`` — the versioned domain-model base, the input policy and ``RecordLocked``;
* ``core.forms`` — the accessible, versioned form bases and field widgets;
* ``core.views`` — view mixins (stale-write comparison, service errors on forms);
* ``core.hooks`` — the registries higher apps register with (history sources, start-page
  panels);
* ``core.pdf`` — the one PDF renderer and the URL fetcher that only serves our static files;
* ``core.widgets`` — the fast scoped select used by filter forms.
"""
