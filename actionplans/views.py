"""Views of the actionplans app."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import ListView

from .models import Activity


class ActivityListView(LoginRequiredMixin, ListView):
    """Placeholder list (replaced by the actionplans issue): what the user may see."""

    paginate_by = 50
    template_name = "actionplans/placeholder_list.html"

    def get_queryset(self):
        return Activity.objects.visible_to(self.request.user)
