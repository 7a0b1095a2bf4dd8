from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "klachtenregister.reports"
    label = "reports"
    verbose_name = _("Rapportages")
    default_auto_field = "django.db.models.BigAutoField"
