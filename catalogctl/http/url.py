"""Where credentials may travel: never over plain http to anything but loopback."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from catalogctl.errors import TargetError


def check_base_url(base_url: str, *, insecure: bool, in_process: bool) -> None:
    """Refuse plain http to anything but loopback, unless in-process or the target says insecure."""
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise TargetError(f"store url {base_url!r} is not an http(s) url")
    if parts.scheme == "http" and not (insecure or in_process or is_loopback(parts.hostname)):
        raise TargetError(
            f"refusing plain http to {parts.hostname}: credentials would travel unencrypted",
            hint="Use https, or set `insecure: true` on the target if you really mean it.",
        )


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
