"""Panels that other apps add to the Service Overview page.

The console renders each registered template with the page's context (`service`,
`project`, `membership`), so it never imports the apps that provide them.
"""

_overview_panels: list[str] = []


def register_overview_panel(template_name: str) -> None:
    if template_name not in _overview_panels:
        _overview_panels.append(template_name)


def overview_panels() -> list[str]:
    return list(_overview_panels)
