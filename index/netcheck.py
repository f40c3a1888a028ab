"""Where a fetch may connect: resolve a host once, refuse local and private addresses.

A link an admin pastes, or a redirect it leads to, must not make the bot read what only the
bot can reach: loopback, private networks, link-local (the cloud metadata service at
169.254.169.254), multicast and other reserved ranges, including IPv4 addresses wrapped in
IPv6 forms. The address checked is the address connected to: callers connect to the
`Address` returned here, never to the name again (no DNS rebinding between check and use).
"""

import ipaddress
import socket
import threading
from dataclasses import dataclass

from index.errors import FetchFailed

NAT64 = ipaddress.ip_network("64:ff9b::/96")
ALLOW_HINT = "set INVESTOR_QA_FETCH_ALLOW_PRIVATE=true to allow it"


@dataclass(frozen=True)
class Address:
    """A resolved address to connect to."""

    ip: str
    port: int


def is_public(ip: str) -> bool:
    """True for a globally routable unicast address (IPv4 inside IPv6 forms checked too)."""
    try:
        address = ipaddress.ip_address(ip.split("%", 1)[0])
    except ValueError:
        return False
    if address.version == 6:
        embedded = address.ipv4_mapped or address.sixtofour or (address.teredo or (None, None))[1]
        if embedded is None and address in NAT64:
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is not None and not is_public(str(embedded)):
            return False
    return address.is_global and not address.is_multicast


def resolve(url: str, host: str, port: int, allow_private: bool, timeout_s: float) -> Address:
    """One address for `host`, resolved once; FetchFailed when none may be fetched."""
    infos = _getaddrinfo(url, host, port, timeout_s)
    ips = list(dict.fromkeys(info[4][0] for info in infos))
    allowed = ips if allow_private else [ip for ip in ips if is_public(ip)]
    if not allowed:
        raise FetchFailed(
            f"cannot fetch {url}: {host} is a local or private address ({ALLOW_HINT})",
            kind="refused",
        )
    return Address(allowed[0], port)


def _getaddrinfo(url: str, host: str, port: int, timeout_s: float) -> list:
    """getaddrinfo with a deadline: the resolver's own retries can take much longer."""
    result: list = []
    error: list[BaseException] = []

    def lookup() -> None:
        try:
            result.extend(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
        except (OSError, UnicodeError) as exc:
            error.append(exc)

    thread = threading.Thread(target=lookup, daemon=True)
    thread.start()
    thread.join(timeout_s)
    if thread.is_alive():
        raise FetchFailed(f"cannot fetch {url}: looking up {host} timed out", kind="timeout")
    if error or not result:
        raise FetchFailed(f"cannot fetch {url}: {host} was not found", kind="network")
    return result
