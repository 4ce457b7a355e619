from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActionplansConfig(AppConfig):
    name = "actionplans"
    verbose_name = _("Action plans")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from core.hooks import register_history_source, register_home_panel

        from .hooks import HISTORY_SOURCES, home_panel

        for source in HISTORY_SOURCES:
            register_history_source(source)
        register_home_panel(home_panel)
