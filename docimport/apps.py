from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocimportConfig(AppConfig):
    """Bring an existing agreement document in (Word, PDF, text) as a draft.

    Sits at the top with ``dashboard``: it composes agreements, forums and action
    plans, and nothing below imports it. It offers its link on the agreement list
    through the hook in :mod:`core.hooks`.
    """

    name = "docimport"
    verbose_name = _("Document import")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from core.hooks import register_list_action

        from .views import import_list_action

        register_list_action(import_list_action)
