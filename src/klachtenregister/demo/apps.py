from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    name = "klachtenregister.demo"
    label = "demo"
    verbose_name = _("Demo")
    default_auto_field = "django.db.models.BigAutoField"
