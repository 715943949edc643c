"""The one table `make bench` prints: each figure beside its goal, and whether it holds."""

import json
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass(frozen=True)
class Row:
    figure: str
    value: str
    goal: str = ""
    holds: bool | None = None  # None: no goal, reported for information


class Table:
    def __init__(self) -> None:
        self.rows: list[Row] = []

    def add(self, figure: str, value: str, goal: str = "", holds: bool | None = None) -> None:
        self.rows.append(Row(figure, value, goal, holds))
        print(f"  measured: {figure} = {value}", flush=True)

    def markdown(self) -> str:
        lines = ["| figure | measured | goal | holds |", "|---|---|---|---|"]
        for row in self.rows:
            verdict = "" if row.holds is None else ("yes" if row.holds else "NO")
            lines.append(f"| {row.figure} | {row.value} | {row.goal} | {verdict} |")
        return "\n".join(lines)

    def save(self, path: Path, machine: dict[str, str]) -> None:
        path.write_text(
            json.dumps({"machine": machine, "rows": [asdict(r) for r in self.rows]}, indent=2)
        )
