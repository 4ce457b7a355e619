from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    name = "agreements"
    verbose_name = _("Agreements")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from core.jobs import register_job

        from .services import agreement_sign_from_job

        register_job("agreement_sign", agreement_sign_from_job)
