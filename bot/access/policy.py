"""The access rules in force: read at start-up, re-read when the file changes, closed when broken.

Without an access file everything is public, as before collections existed. Once a file has been
in force, a change that makes it invalid (or deletes it) does not open the walls: every request
is refused with a clear message until the file is valid again, and the error is logged.
"""

import logging
import os
import threading
from pathlib import Path

from bot.access.asker import Asker
from bot.access.errors import AccessUnavailable, BadAccessFile
from bot.access.rules import AccessRules, read_rules

logger = logging.getLogger(__name__)

UNAVAILABLE = (
    "I can't answer right now: my access rules (access.yml) are invalid or missing. "
    "An admin needs to fix them; the bot's log says what is wrong."
)


class AccessPolicy:
    """Who may read and add to which collection, from the access file at `path` (if any)."""

    def __init__(self, path: Path, rules: AccessRules | None, stamp: tuple | None):
        self.path = Path(path)
        self._rules, self._stamp = rules, stamp
        self._broken: str | None = None  # why the rules in force cannot be used
        self._lock = threading.Lock()

    @classmethod
    def load(cls, path: Path) -> "AccessPolicy":
        """The policy from the file at `path`; BadAccessFile (one line) when it is invalid."""
        path = Path(path)
        if path.suffix.lower() not in (".yml", ".yaml"):
            raise BadAccessFile(f"{path}: the access file must be a .yml or .yaml file")
        stamp = _stamp(path)
        return cls(path, read_rules(path) if stamp else None, stamp)

    @property
    def has_file(self) -> bool:
        """True when an access file is in force (else everything is public)."""
        return self.current() is not None

    def current(self) -> AccessRules | None:
        """The rules in force (None: no file, all public); AccessUnavailable when broken."""
        stamp = _stamp(self.path)
        with self._lock:
            if stamp != self._stamp:
                self._reload(stamp)
            if self._broken:
                raise AccessUnavailable(UNAVAILABLE)
            return self._rules

    def readable(self, asker: Asker) -> frozenset[str] | None:
        """Collections `asker` may read; None means every collection (no file, or an operator)."""
        rules = self.current()
        if rules is None or asker.is_operator:
            return None
        return rules.readable(asker)

    def may_read_all(self, asker: Asker, collections: set[str]) -> bool:
        """True when `asker` may read every one of `collections`."""
        readable = self.readable(asker)
        return readable is None or set(collections) <= readable

    def may_add(self, user: str | None, collection: str, global_admins: frozenset[str]) -> bool:
        """True when `user` may add articles to `collection`.

        INVESTOR_QA_ADMINS may add anywhere; the access file's `admins:` names admins per
        collection.
        """
        if user is not None and user in global_admins:
            return True
        rules = self.current()
        return rules is not None and rules.may_add(user, collection)

    def _reload(self, stamp: tuple | None) -> None:
        had_rules = self._rules is not None or self._broken is not None
        self._stamp = stamp
        if stamp is None:
            if had_rules:  # deleted while in force: keep the walls up, refuse everything
                self._broken = f"{self.path}: the access file was removed"
                logger.error("%s; refusing every question until it is restored", self._broken)
            return
        try:
            self._rules, self._broken = read_rules(self.path), None
            logger.warning("access rules reloaded from %s", self.path)
        except BadAccessFile as exc:
            self._broken = str(exc)
            logger.error("access rules invalid (%s); refusing every question until fixed", exc)


def _stamp(path: Path) -> tuple | None:
    """What changes when the file does (None when there is no file)."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return None
    except OSError:
        return ("unreadable",)  # read_rules then reports why
    return (info.st_mtime_ns, info.st_size, info.st_ino)
