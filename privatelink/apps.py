"""The PrivateLink app: connects its receivers and user-config check when Django starts."""

from django.apps import AppConfig


class PrivateLinkConfig(AppConfig):
    name = "privatelink"
    verbose_name = "PrivateLink"

    def ready(self) -> None:
        from console.panels import register_overview_panel
        from privatelink import receivers

        receivers.connect()
        register_overview_panel("privatelink/overview_panels.html")
