from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """People and the organisation they work in: onboarding, invitations, roles."""

    name = "accounts"
    verbose_name = _("People and organisations")
    default_auto_field = "django.db.models.BigAutoField"
