"""Panels that other apps add to the Service Overview page.

The console renders each registered template with the page's context (`service`,
`project`, `membership`), so it never imports the apps that provide them. A panel may
name relations of the service (`select_related` names) that the page then loads in its
one access query, so that the panel needs no query of its own for them.
"""

from console.registry import Registry

_overview_panels: Registry[str] = Registry()
_overview_relations: Registry[str] = Registry()


def register_overview_panel(template_name: str, related: tuple[str, ...] = ()) -> None:
    _overview_panels.add(template_name)
    for name in related:
        _overview_relations.add(name)


def overview_panels() -> list[str]:
    return list(_overview_panels)


def overview_relations() -> list[str]:
    return list(_overview_relations)
