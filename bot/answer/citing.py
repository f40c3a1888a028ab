"""Number citations across several answers or passages: one number per quoted passage."""

from bot.answer.compose import Citation


class Citer:
    """Collects citations in order of first use; the same passage keeps its number."""

    def __init__(self) -> None:
        self.citations: list[Citation] = []
        self._numbers: dict[tuple, int] = {}

    def cite(self, citation: Citation) -> int:
        """The number under which `citation` (renumbered) appears in this answer."""
        key = (citation.path, citation.page, citation.quote)
        if key not in self._numbers:
            self._numbers[key] = len(self.citations) + 1
            self.citations.append(citation.model_copy(update={"n": self._numbers[key]}))
        return self._numbers[key]
