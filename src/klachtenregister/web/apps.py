from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "klachtenregister.web"
    label = "web"
    verbose_name = _("Klachtenregister")
    default_auto_field = "django.db.models.BigAutoField"
