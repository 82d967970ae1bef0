from django.apps import AppConfig


class VerificationConfig(AppConfig):
    name = "verification"
    verbose_name = "Verification"
    default_auto_field = "django.db.models.BigAutoField"
