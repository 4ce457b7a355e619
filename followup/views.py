"""Views of the followup app."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import ListView

from .models import ActivityUpdate


class ActivityUpdateListView(LoginRequiredMixin, ListView):
    """Placeholder list (replaced by the followup issue): what the user may see."""

    paginate_by = 50
    template_name = "followup/placeholder_list.html"

    def get_queryset(self):
        return ActivityUpdate.objects.visible_to(self.request.user)
