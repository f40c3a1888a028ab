"""The access file: which channels and users may read which collections, and who may add to them.

    collections:
      news: {public: true}
      deal-aurora: {channels: [C0DEAL01], users: [U0ANALYST1]}
    admins: {deal-aurora: [U0LEAD01]}

A channel reads the public collections plus those that list it; a DM reads the public ones plus
those that list the user. A collection the file does not name is read by nobody in Slack.
Everything is checked when the file is read: an unknown key, a malformed id or a key given twice
is one error line naming it, never a silently wider wall.
"""

import re
from pathlib import Path
from typing import Annotated

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, StrictBool, ValidationError

from bot.access.asker import Asker
from bot.access.errors import BadAccessFile

_CHANNEL = re.compile(r"^[CG][A-Z0-9]{1,20}$")
_USER = re.compile(r"^[UW][A-Z0-9]{1,20}$")
_COLLECTION = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


def _channel_id(value: str) -> str:
    if value.startswith("D"):
        raise ValueError(f"{value!r} is a DM, not a channel; list the person under users:")
    if not _CHANNEL.match(value):
        raise ValueError(f"{value!r} is not a Slack channel id (like C0123ABCD)")
    return value


def _user_id(value: str) -> str:
    if not _USER.match(value):
        raise ValueError(f"{value!r} is not a Slack user id (like U0123ABCD)")
    return value


def valid_collection(value: str) -> str:
    """`value` if it can name a collection (a corpus folder), else ValueError."""
    if not _COLLECTION.match(value):
        raise ValueError(
            f"{value!r} is not a collection name (a folder name: letters, digits, . _ -)"
        )
    return value


ChannelId = Annotated[str, AfterValidator(_channel_id)]
UserId = Annotated[str, AfterValidator(_user_id)]
CollectionName = Annotated[str, AfterValidator(valid_collection)]


class CollectionRule(BaseModel):
    """Who reads one collection: everyone (`public`), and the channels and users listed."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    public: StrictBool = False
    channels: list[ChannelId] = []
    users: list[UserId] = []


class AccessRules(BaseModel):
    """The whole access file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    collections: dict[CollectionName, CollectionRule] = {}
    admins: dict[CollectionName, list[UserId]] = {}

    def readable(self, asker: Asker) -> frozenset[str]:
        """The collections `asker` may read: public ones plus those listing its channel or user."""
        return frozenset(
            name
            for name, rule in self.collections.items()
            if rule.public
            or (asker.user in rule.users if asker.is_dm else asker.channel in rule.channels)
        )

    def may_add(self, user: str | None, collection: str) -> bool:
        """True when `user` is listed as an admin of `collection`."""
        return user is not None and user in self.admins.get(collection, [])


def read_rules(path: Path) -> AccessRules:
    """The access file at `path`, validated; BadAccessFile with one line naming what is wrong."""
    try:
        raw = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or exc
        raise BadAccessFile(f"{path}: unreadable ({reason})") from None
    try:
        data = yaml.load(raw, Loader=_StrictLoader)  # a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "not valid YAML"
        raise BadAccessFile(f"{path}: {problem}{where}") from None
    if data is None:
        data = {}  # an empty file: rules exist and grant nothing
    if not isinstance(data, dict):
        raise BadAccessFile(f"{path}: expected a mapping with collections: and admins:")
    data = {k: ({} if v is None else v) for k, v in data.items()}
    if isinstance(data.get("collections"), dict):
        data["collections"] = {k: v or {} for k, v in data["collections"].items()}
    try:
        return AccessRules.model_validate(data)
    except ValidationError as exc:
        raise BadAccessFile(f"{path}: {_problem(exc)}") from None


def _problem(exc: ValidationError) -> str:
    errors = exc.errors()
    first = errors[0]
    where = ".".join(str(part) for part in first["loc"] if part != "[key]")
    if first["type"] == "extra_forbidden":
        text = f"unknown key {where!r}"
    else:
        text = f"{where}: {first['msg'].removeprefix('Value error, ')}"
    more = len(errors) - 1
    return text + (f" (and {more} more problem{'s' if more > 1 else ''})" if more else "")


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses a key given twice, which plain YAML lets the last one win."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"key {key!r} given twice", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep)
