"""Views of the agreements app."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import ListView

from .models import Agreement


class AgreementListView(LoginRequiredMixin, ListView):
    """Placeholder list (replaced by the agreements issue): what the user may see."""

    paginate_by = 50
    template_name = "agreements/placeholder_list.html"

    def get_queryset(self):
        return Agreement.objects.visible_to(self.request.user)


class PublicAgreementListView(ListView):
    """Placeholder: signed, public agreements, for everyone."""

    paginate_by = 50
    template_name = "agreements/placeholder_list.html"

    def get_queryset(self):
        return Agreement.objects.public()
