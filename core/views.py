"""View building blocks shared by every app."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views import View
from django_htmx.http import HttpResponseClientRedirect

from .models import RecordLocked, ServiceJob, StaleVersionError


def add_service_error(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: on its field when the form has it."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def message_service_error(request, exc: ValidationError) -> None:
    """Say a refused service call's reasons as error messages (for actions without a form)."""
    for message in exc.messages:
        messages.error(request, message)


def describe_value(form, name, value) -> str:
    field = form.fields.get(name)
    if value in (None, ""):
        return "–"
    if hasattr(value, "all"):
        return ", ".join(str(v) for v in value.all()) or "–"
    if field is not None and getattr(field, "choices", None) and not hasattr(field, "queryset"):
        return str(dict(field.choices).get(value, value))
    return str(value)


class VersionedUpdateMixin:
    """For update views with a :class:`~core.forms.VersionedModelForm`.

    A stale save is refused: the form comes back with the user's own input kept,
    a message, and a table of what the other person changed, field by field.
    """

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except StaleVersionError:
            current = type(form.instance)._base_manager.get(pk=form.instance.pk)
            conflicts = []
            for name in form.fields:
                if name == "version_token" or name not in form.cleaned_data:
                    continue
                try:
                    theirs = getattr(current, name)
                except AttributeError:
                    continue
                mine = form.cleaned_data[name]
                theirs_cmp = list(theirs.all()) if hasattr(theirs, "all") else theirs
                mine_cmp = (
                    list(mine) if hasattr(mine, "__iter__") and not isinstance(mine, str) else mine
                )
                if theirs_cmp != mine_cmp:
                    conflicts.append(
                        {
                            "label": form.fields[name].label,
                            "theirs": describe_value(form, name, theirs),
                            "mine": describe_value(form, name, mine),
                        }
                    )
            form.add_error(
                None,
                _(
                    "Someone else saved this in the meantime. Nothing of yours was saved and "
                    "nothing of theirs was overwritten. Compare below, then save again."
                ),
            )
            # Let the next save be based on the version now stored.
            data = form.data.copy()
            data["version_token"] = current.version
            form.data = data
            return self.render_to_response(
                self.get_context_data(form=form, conflicts=conflicts, current=current)
            )
        except RecordLocked as exc:
            messages.error(self.request, str(exc.args[0] if exc.args else exc))
            return self.render_to_response(self.get_context_data(form=form))


class ServiceSaveMixin:
    """``form_valid`` that saves through the app's service (``save_object``) and shows its
    refusals on the form, beside the field they concern. Put it after
    :class:`VersionedUpdateMixin`, which turns a stale save into a comparison."""

    success_message = _lazy("Saved.")

    def save_object(self, form):  # pragma: no cover - overridden
        raise NotImplementedError

    def form_valid(self, form):
        try:
            self.object = self.save_object(form)
        except ValidationError as exc:
            add_service_error(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return HttpResponseRedirect(self.get_success_url())


class UserFilterMixin:
    """For FilterViews: hand the user to the FilterSet, whose dropdowns offer only what
    the user may see."""

    def get_filterset_kwargs(self, filterset_class):
        return {**super().get_filterset_kwargs(filterset_class), "user": self.request.user}


class JobView(View):
    """A background action's page (:mod:`core.jobs`): only for the user who asked.

    While the job waits or runs the page says so and asks again by itself (htmx); when it
    is done the user is sent on to its page with the job's message, when it failed the page
    says why and offers to try again.
    """

    template_name = "core/job.html"

    def get(self, request, pk):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        job = get_object_or_404(ServiceJob, pk=pk, user=request.user)
        if job.status == ServiceJob.DONE:
            if job.message:
                messages.success(request, job.message)
            if getattr(request, "htmx", False):
                return HttpResponseClientRedirect(job.next_url)
            return HttpResponseRedirect(job.next_url)
        context = {"job": job, "poll_url": request.get_full_path()}
        if getattr(request, "htmx", False):
            return render(request, "core/includes/_job.html", context)
        return render(request, self.template_name, context)
