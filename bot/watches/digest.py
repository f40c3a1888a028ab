"""Daily digests: when a channel's digest is due, and the command that sets one.

`/ask digest daily 08:00 [Area/City]` posts, once a day at that local time, one message with
every watch whose answer brought news since the last digest. The clock is passed in, so tests
(and a replica that was down at 08:00) get the same answer: a digest is due once its time has
come on a local date it has not run for yet.
"""

import re
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.watches.store import Digest

_DAILY = re.compile(r"^daily\s+([01]?\d|2[0-3]):([0-5]\d)(?:\s+(\S+))?$", re.IGNORECASE)


class DigestError(ValueError):
    """A digest command that cannot be understood; the message is safe to show."""


def parse_digest(text: str, default_tz: str) -> tuple[str, str] | None:
    """(`HH:MM`, time zone) from `daily 08:00 [Europe/London]`; None for `off`."""
    text = " ".join(text.split())
    if text.lower() in ("off", "stop", "none"):
        return None
    match = _DAILY.match(text)
    if not match:
        raise DigestError(
            "write it like `digest daily 08:00`, `digest daily 08:00 Europe/London` or `digest off`"
        )
    tz = match.group(3) or default_tz
    zone(tz)
    return f"{int(match.group(1)):02d}:{match.group(2)}", tz


def zone(name: str) -> ZoneInfo:
    """The time zone named `name`, or DigestError."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise DigestError(
            f"{name[:60]!r} is not a time zone (try Europe/London or America/New_York)"
        ) from None


def due_slot(digest: Digest, now: datetime) -> str | None:
    """The local date whose digest is due at `now` (aware), or None."""
    local = now.astimezone(zone(digest.tz))
    slot = local.date().isoformat()
    if local.strftime("%H:%M") >= digest.at and digest.last_slot != slot:
        return slot
    return None


def first_slot_done(at: str, tz: str, now: datetime) -> str | None:
    """A digest set after today's time starts tomorrow: today's slot counts as done."""
    local = now.astimezone(zone(tz))
    return local.date().isoformat() if local.strftime("%H:%M") >= at else None
