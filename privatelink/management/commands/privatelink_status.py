"""`manage.py privatelink_status`: PrivateLinks per state, the unconverged ones and how long
the oldest has waited, and the reconcile leases held now with their holders."""

import json
from argparse import ArgumentParser
from dataclasses import asdict
from typing import Any

from django.core.management.base import BaseCommand

from privatelink.status import FleetStatus, StateCount, fleet_status


def age(seconds: float | None) -> str:
    """A duration as a person reads it at a glance: 45s, 3m 20s, 2h 5m, 3d 4h."""
    if seconds is None:
        return "-"
    whole = int(seconds)
    for unit, size, smaller, smaller_size in (
        ("d", 86400, "h", 3600),
        ("h", 3600, "m", 60),
        ("m", 60, "s", 1),
    ):
        if whole >= size:
            return f"{whole // size}{unit} {whole % size // smaller_size}{smaller}"
    return f"{whole}s"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(cell) for cell in column) for column in zip(header, *rows, strict=True)]
    return [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in [header, *rows]
    ]


def _state_row(count: StateCount) -> list[str]:
    return [
        count.state,
        str(count.total),
        str(count.unconverged),
        str(count.failed),
        age(count.oldest_unconverged_seconds),
    ]


def _accounts_heading(status: FleetStatus) -> str:
    """How many AWS accounts, and in which regions: the table has a row per account and
    region, so one account in two regions is two rows but one account."""
    accounts = {usage.account_id for usage in status.accounts}
    regions = sorted({usage.region for usage in status.accounts})
    heading = f"Platform accounts: {len(accounts)}"
    if regions:
        word = "region" if len(regions) == 1 else "regions"
        heading += f" in {len(regions)} {word} ({', '.join(regions)})"
    return heading


def render(status: FleetStatus) -> str:
    lines = [f"PrivateLinks at {status.at:%Y-%m-%d %H:%M:%S %Z}"]
    lines += _table(
        ["state", "total", "not converged", "failed", "oldest not converged"],
        [_state_row(count) for count in [*status.states, status.total]],
    )
    lines += ["", f"Held leases: {len(status.leases)}"]
    if status.leases:
        lines += _table(
            ["key", "service", "holder (host:pid:run)", "expires in"],
            [
                [held.key, held.service or "-", held.holder, age(held.expires_in_seconds)]
                for held in status.leases
            ],
        )
    lines += ["", _accounts_heading(status)]
    if status.accounts:
        lines += _table(
            ["account", "region", "project VPCs", "NLBs", "NLB quota", "headroom"],
            [
                [
                    usage.account_id,
                    usage.region,
                    str(usage.project_vpcs),
                    str(usage.load_balancers),
                    str(usage.load_balancer_quota),
                    str(usage.headroom),
                ]
                for usage in status.accounts
            ],
        )
    if status.google_regions:
        lines += ["", "Google project (one PrivateLink, one service attachment):"]
        lines += _table(
            ["region", "project VPCs", "attachments", "quota", "headroom"],
            [
                [
                    usage.region,
                    str(usage.project_vpcs),
                    str(usage.service_attachments),
                    str(usage.service_attachment_quota)
                    + ("" if usage.quota_read else " (default, not read yet)"),
                    str(usage.headroom),
                ]
                for usage in status.google_regions
            ],
        )
    return "\n".join(lines)


class Command(BaseCommand):
    help = (
        "Show PrivateLinks per state, how many are not converged, the oldest unconverged "
        "age, the reconcile leases held now with their holders, and each platform "
        "account's Project VPCs, NLBs and headroom, and the Google project's service "
        "attachments per region with their quota."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="print JSON for scripts"
        )

    def handle(self, *args: Any, as_json: bool = False, **options: Any) -> None:
        status = fleet_status()
        if as_json:
            self.stdout.write(_as_json(status))
        else:
            self.stdout.write(render(status))


def _as_json(status: FleetStatus) -> str:
    return json.dumps(
        {
            "at": status.at.isoformat(),
            "states": [asdict(count) for count in status.states],
            "total": asdict(status.total),
            "leases": [asdict(held) for held in status.leases],
            "accounts": [
                {**asdict(usage), "headroom": usage.headroom} for usage in status.accounts
            ],
            "google_regions": [
                {**asdict(usage), "headroom": usage.headroom} for usage in status.google_regions
            ],
        },
        indent=2,
    )
