"""Views of the forums app."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import ListView

from .models import Forum


class ForumListView(LoginRequiredMixin, ListView):
    """Placeholder list (replaced by the forums issue): what the user may see."""

    paginate_by = 50
    template_name = "forums/placeholder_list.html"

    def get_queryset(self):
        return Forum.objects.visible_to(self.request.user)
