from django.apps import AppConfig


class ConsoleConfig(AppConfig):
    name = "console"
    verbose_name = "Platform inventory"

    def ready(self) -> None:
        # Connects the audit of lockouts to django-axes' signal.
        from console import changes, login_throttle  # noqa: F401

        changes.connect()
