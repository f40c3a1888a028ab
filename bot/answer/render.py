"""Render an Answer for the terminal: the answer, then a numbered Sources list."""

import textwrap

from bot.answer.compose import Answer, Citation
from bot.answer.figures import bold_figures
from bot.answer.render_table import render_series, render_table

BOLD, RESET = "\033[1m", "\033[0m"


def render_text(answer: Answer, color: bool = False) -> str:
    """Plain-text answer with `[n]` markers and the quoted sources below it."""
    body = bold_figures(answer.answer, BOLD, RESET) if color and answer.found else answer.answer
    lines = [textwrap.fill(body, width=100) if not color else body]
    if answer.table:  # the table first: the sentences below it are its evidence
        lines = [*render_table(answer.table), "", *lines]
    if answer.series:
        lines += ["", *render_series(answer.series)]
    if answer.filters_applied:
        lines += ["", f"(Filtered: {answer.filters_applied})"]
    if answer.citations:
        lines += ["", f"{BOLD}Sources{RESET}" if color else "Sources"]
        for citation in answer.citations:
            lines.append(source_line(citation))
            quote = " ".join(citation.quote.split())
            lines.append(
                textwrap.fill(
                    f'"{quote}"', width=100, initial_indent="    ", subsequent_indent="     "
                )
            )
    return "\n".join(lines)


def answer_json(answer: Answer) -> dict:
    """The `--json` object: the usual keys, plus `table`, `series` and `computed` only when
    there is one."""
    # The documented contract: chunk ids and collections go to the audit trail instead.
    exclude: dict = {"citations": {"__all__": {"chunk_id", "collection"}}}
    optional = ("table", "series", "computed")
    exclude |= {key: True for key in optional if getattr(answer, key) is None}
    payload = answer.model_dump(mode="json", exclude=exclude)
    for citation in payload["citations"]:  # `document` only where an identity was read
        if citation.get("document") is None:
            citation.pop("document", None)
    return payload


def source_line(citation: Citation) -> str:
    """`[1] Title — Publisher, 2025-09-27, p. 4 — url`; a document whose identity was read:
    `[1] 3M Company · 10-K · FY2018 · p. 52 — url or file`."""
    if citation.document:
        line = f"[{citation.n}] {citation.document}"
        line += f" · p. {citation.page}" if citation.page else ""
        return line + f" — {citation.url or citation.path}"
    line = f"[{citation.n}] {citation.title}"
    if where := citation.where():
        line += f" — {', '.join(where)}"
    return line + (f" — {citation.url}" if citation.url else f" — {citation.path}")
