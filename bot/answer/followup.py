"""Turn a follow-up in a thread ("and Tencent?") into a full question using the thread's root."""

import re

from index.names import name_runs

ELLIPTICAL_WORDS = 4  # a follow-up this short leans on the root question for its meaning
_CONNECTOR = re.compile(
    r"^\s*(?:and\s+)?(?:what|how)\s+about\b\s*|^\s*(?:and|also|same\s+for|ditto\s+for)\b\s*",
    re.IGNORECASE,
)


def names_in(text: str) -> list[str]:
    """Capitalised names (runs of adjacent capitalised words) in `text`, in order."""
    return [" ".join(word.text for word in run) for run in name_runs(text)]


def combine_follow_up(root: str, follow_up: str) -> str:
    """The question a follow-up asks, given the thread's root question as context."""
    root, follow_up = root.strip(), follow_up.strip()
    if not root or root == follow_up:
        return follow_up
    topic = _CONNECTOR.sub("", follow_up).strip().rstrip("?.!").strip()
    if not topic:
        return root
    new, old = names_in(topic), names_in(root)
    short = len(topic.split()) <= ELLIPTICAL_WORDS
    if new and old and short:
        # "and Tencent?" after "How much is Alibaba investing in AI?": swap the company.
        return root.replace(old[0], new[0], 1)
    if new:
        return follow_up  # a full question about something named: it stands alone
    if short:
        # "and in 2024?": narrow the root question.
        return f"{root.rstrip('?.! ')} {topic}?"
    return f"{old[0]}: {follow_up}" if old else f"{root} {follow_up}"
