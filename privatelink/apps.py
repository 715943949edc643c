"""The PrivateLink app: connects its receivers, panels, API components and API description
when Django starts."""

from django.apps import AppConfig


class PrivateLinkConfig(AppConfig):
    name = "privatelink"
    verbose_name = "PrivateLink"

    def ready(self) -> None:
        from console.api.openapi import register_endpoints
        from console.api.service_components import register_component_source
        from console.panels import register_overview_panel
        from privatelink import receivers
        from privatelink.api import openapi
        from privatelink.api.components import privatelink_components

        receivers.connect()
        # The panels read the service's PrivateLink, loaded with the page's access query.
        register_overview_panel("privatelink/overview_panels.html", related=("privatelink",))
        # Services in the JSON API list their privatelink routes beside the dynamic ones.
        register_component_source(privatelink_components)
        # /v1/openapi.json describes the PrivateLink endpoints too.
        register_endpoints(openapi.PATHS, openapi.SCHEMAS)
