"""Accessibility checks the browser tests share: axe-core on a page, and where focus is.

axe-core is vendored (tests/browser/axe/) and evaluated through the DevTools protocol,
which the page's strict CSP does not govern, so the page itself stays unchanged.
"""

from pathlib import Path
from typing import Any

AXE = Path(__file__).parent / "axe" / "axe.min.js"
AXE_VERSION = "4.14.1"
# Every rule axe runs by default (WCAG 2.0-2.2 A and AA, best practices), plus the
# experimental check that a control's visible text is part of its name (WCAG 2.5.3) and
# the minimum target size of WCAG 2.2 (2.5.8, 24 by 24 px or enough space around).
RUN_OPTIONS = {
    "rules": {
        "label-content-name-mismatch": {"enabled": True},
        "target-size": {"enabled": True},
    },
    "resultTypes": ["violations"],
}

_RUN = """async (options) => {
  const result = await axe.run(document, options);
  return result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map(
      (n) => n.target.join(" ") + " | " + (n.failureSummary || "").replace(/\\s+/g, " ")
    ),
  }));
}"""


def axe_violations(page: Any) -> list[str]:
    """What axe-core finds on the page as it is now, one readable line per rule and node."""
    # After a click that navigates, the new document may still be loading: axe would find
    # no document to read (or the previous page's copy of itself), so wait for it first.
    page.wait_for_load_state("load")
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(AXE.read_text())
        assert page.evaluate("axe.version") == AXE_VERSION
    violations = page.evaluate(_RUN, RUN_OPTIONS)
    return [
        f"{v['id']} ({v['impact']}): {v['help']}: {node}" for v in violations for node in v["nodes"]
    ]


def assert_no_axe_violations(page: Any, where: str) -> None:
    found = axe_violations(page)
    assert not found, f"axe-core on {where} ({page.url}):\n" + "\n".join(found)


def focused(page: Any) -> str:
    """The focused element as `tag#id` (or `body`), to compare after a swap."""
    return str(
        page.evaluate(
            "() => { const e = document.activeElement;"
            " return e ? e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') : 'none'; }"
        )
    )


class Announcements:
    """What the page's persistent live region (#announcer) says from now on."""

    def __init__(self, page: Any) -> None:
        self.page = page
        page.evaluate(
            """() => {
              window.announced = [];
              const region = document.getElementById("announcer");
              new MutationObserver(() => {
                const text = region.textContent.trim();
                if (text) window.announced.push(text);
              }).observe(region, { childList: true, characterData: true, subtree: true });
            }"""
        )

    def said(self) -> list[str]:
        return list(self.page.evaluate("window.announced"))

    def expect(self, text: str, *, partial: bool = False) -> None:
        """Wait (as Playwright's expect does) until the region has said `text`."""
        try:
            self.page.wait_for_function(
                """([text, partial]) => window.announced.some(
                    (said) => partial ? said.includes(text) : said === text)""",
                arg=[text, partial],
                timeout=15_000,
            )
        except Exception as exc:
            raise AssertionError(f"never announced {text!r}; said {self.said()}") from exc


def record_announcements(page: Any) -> Announcements:
    return Announcements(page)


def _luminance(css_colour: str) -> float:
    """Relative luminance (WCAG) of a computed `rgb(...)`/`rgba(...)` colour."""
    parts = css_colour[css_colour.index("(") + 1 : css_colour.index(")")].split(",")
    channels = [float(part) / 255 for part in parts[:3]]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(colour: str, against: str) -> float:
    lighter, darker = sorted((_luminance(colour), _luminance(against)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


# The first opaque background colour behind an element, walking up its ancestors.
BACKGROUND = """(element) => {
  for (let e = element.parentElement; e; e = e.parentElement) {
    const colour = getComputedStyle(e).backgroundColor;
    if (colour && !colour.startsWith("rgba(0, 0, 0, 0)") && colour !== "transparent") return colour;
  }
  return "rgb(255, 255, 255)";
}"""
