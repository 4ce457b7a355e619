from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    name = "followup"
    verbose_name = _("Follow-up")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from core.hooks import register_home_panel, register_verification_source

        from .panels import home_panel, reader_panel, reporter_panel
        from .verification import approved_report_matches

        register_home_panel(home_panel)
        register_home_panel(reporter_panel)
        register_home_panel(reader_panel)
        register_verification_source(approved_report_matches)

        from core.jobs import register_job

        from .services import report_approve_from_job

        register_job("report_approve", report_approve_from_job)
