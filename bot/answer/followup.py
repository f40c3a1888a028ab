"""Turn a follow-up in a thread ("and Tencent?") into a full question using the thread's root."""

import re

ELLIPTICAL_WORDS = 4  # a follow-up this short leans on the root question for its meaning
_CONNECTOR = re.compile(
    r"^\s*(?:and\s+)?(?:what|how)\s+about\b\s*|^\s*(?:and|also|same\s+for|ditto\s+for)\b\s*",
    re.IGNORECASE,
)
_WORD = re.compile(r"[A-Za-z0-9][\w.&-]*[A-Za-z0-9]|[A-Za-z0-9]")
# Capitalised words that start questions or name generic things rather than a company.
_NOT_NAMES = frozenset(
    {"how", "what", "which", "who", "when", "where", "why", "is", "are", "does", "did", "do"}
    | {"can", "could", "will", "would", "should", "tell", "give", "show", "please", "and"}
    | {"also", "has", "have", "was", "were", "the", "a", "an", "in", "on", "for", "of", "i"}
)
_GENERIC = frozenset(
    {"GPU", "GPUs", "CPU", "CEO", "CFO", "IPO", "EPS", "FY", "H1", "H2", "Q1", "Q2", "Q3", "Q4"}
)


def names_in(text: str) -> list[str]:
    """Capitalised names (runs of adjacent capitalised words) in `text`, in order."""
    names: list[str] = []
    run: list[str] = []
    run_end = 0
    for match in _WORD.finditer(text):
        word = match.group(0)
        joined = run and not text[run_end : match.start()].strip()  # only spaces in between
        if run and not (joined and _is_name(word)):
            names.append(" ".join(run))
            run = []
        if _is_name(word):
            run.append(word)
            run_end = match.start() + len(word)
    if run:
        names.append(" ".join(run))
    return names


def _is_name(word: str) -> bool:
    if not word[0].isupper() or word.lower() in _NOT_NAMES or word in _GENERIC:
        return False
    return not (word.isupper() and len(word) <= 2)  # AI, US, EU: topics, not companies


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
