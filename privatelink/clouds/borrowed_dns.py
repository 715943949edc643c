"""What a driver of a cloud without the platform's DNS shares with the others: the
platform's zone (`registry.platform_dns`, made on first use) and the before-call hook that
reaches both the driver's gateway and that zone (the crash-point tests inject through it)."""

from collections.abc import Callable
from typing import Any

from privatelink.clouds import registry
from privatelink.clouds.dns import DnsZone


class BorrowedDns:
    # The cloud's gateway; its `before_call` is set with the driver's.
    gateway: Any

    _dns: DnsZone | None = None
    _before_call: Callable[[], None] | None = None

    @property
    def before_call(self) -> Callable[[], None] | None:
        return self._before_call

    @before_call.setter
    def before_call(self, hook: Callable[[], None] | None) -> None:
        self._before_call = hook
        self.gateway.before_call = hook
        if self._dns is not None:
            self._dns.before_call = hook

    @property
    def dns(self) -> DnsZone:
        if self._dns is None:
            self._dns = registry.platform_dns()
            self._dns.before_call = self._before_call
        return self._dns
