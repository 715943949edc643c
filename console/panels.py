"""Panels that other apps add to the Service Overview page.

The console renders each registered template with the page's context (`service`,
`project`, `membership`), so it never imports the apps that provide them. A panel may
name relations of the service (`select_related` names) that the page then loads in its
one access query, so that the panel needs no query of its own for them.
"""

_overview_panels: list[str] = []
_overview_relations: list[str] = []


def register_overview_panel(template_name: str, related: tuple[str, ...] = ()) -> None:
    if template_name not in _overview_panels:
        _overview_panels.append(template_name)
    _overview_relations.extend(name for name in related if name not in _overview_relations)


def overview_panels() -> list[str]:
    return list(_overview_panels)


def overview_relations() -> list[str]:
    return list(_overview_relations)
