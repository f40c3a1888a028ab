"""Read YAML written by hand (front matter, aliases.yml) without its bombs.

PyYAML's safe loader still expands anchors and aliases: 600 bytes of nested `*a` references
become gigabytes once the value is turned into text. Hand-written metadata never needs
them, so a document with an anchor or an alias is refused, as is nesting deep enough to
exhaust the recursion limit.
"""

import yaml


class UnsafeYAML(yaml.YAMLError):
    """The document uses anchors/aliases or nests too deeply."""


class _PlainLoader(yaml.SafeLoader):
    """SafeLoader that refuses anchors and aliases as it composes the document."""

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node | None:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise UnsafeYAML("YAML anchors and aliases (& and *) are not accepted")
        return super().compose_node(parent, index)


def load_plain_yaml(text: str) -> object:
    """The YAML document in `text`; yaml.YAMLError when it is invalid or uses & or *."""
    try:
        return yaml.load(text, Loader=_PlainLoader)  # noqa: S506 (a SafeLoader subclass)
    except RecursionError:
        raise UnsafeYAML("YAML nested too deeply") from None


def is_scalar(value: object) -> bool:
    """True for a single YAML value: text, a number, a date, a boolean or null."""
    return not isinstance(value, (dict, list, tuple, set))
