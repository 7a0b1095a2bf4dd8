from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WatchConfig(AppConfig):
    name = "klachtenregister.watch"
    label = "watch"
    verbose_name = _("Termijnbewaking")
    default_auto_field = "django.db.models.BigAutoField"
