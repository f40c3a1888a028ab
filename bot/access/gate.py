"""Answer as the asker may read, and write every answer and refusal to the audit trail.

The CLI and every Slack path answer through a Gate, so the wall and the record are the same
wherever a question comes from. The record is written before the answer is handed back: if it
cannot be written, the answer is not given.
"""

import logging

from bot.access.asker import Asker
from bot.access.errors import AccessUnavailable
from bot.access.policy import AccessPolicy
from bot.answer.answerer import Answerer
from bot.answer.ask import ask
from bot.answer.compose import Answer
from bot.audit.entry import AuditCitation, AuditEntry, Via
from bot.audit.errors import AuditUnavailable
from bot.audit.log import AuditLog
from index.filters import SearchFilter
from index.load import collection_of

logger = logging.getLogger(__name__)


class Gate:
    """The one door to answers: access scope in, audit record out."""

    def __init__(self, answerer: Answerer, policy: AccessPolicy, audit: AuditLog):
        self.answerer, self.policy, self.audit = answerer, policy, audit

    def answer(
        self,
        question: str,
        asker: Asker,
        via: Via,
        filters: SearchFilter | None = None,
        asked: str | None = None,
        chart: bool = False,
    ) -> Answer:
        """Answer `question` from the collections `asker` may read; `asked`: the text as typed.
        Comparisons and questions over time are routed by `ask()`; `chart` asks for a series."""
        asked = asked if asked is not None else question
        try:
            readable = self.policy.readable(asker)
        except AccessUnavailable:  # the rules are broken: nothing is answered until fixed
            self.refuse(asked, asker, via, "access rules unavailable")
            raise
        scoped = (filters or SearchFilter()).model_copy(update={"collections": readable})
        searched = self.searched(readable)
        try:
            answer = ask(self.answerer, question, scoped, chart=chart)
        except Exception as exc:
            self.record(asked, asker, via, "error", reason=type(exc).__name__, searched=searched)
            raise
        self.audit.record(
            _entry(asked, asker, via, searched, self.index_version()).model_copy(
                update=_answered(answer, asked)
            )
        )
        return answer

    def refuse(self, question: str, asker: Asker, via: Via, reason: str) -> None:
        """Record a request that was not answered, and why (logged if the trail is down)."""
        try:
            self.record(question, asker, via, "refused", reason=reason)
        except AuditUnavailable:
            logger.exception("refused %r (%s) but could not record it", question, reason)

    def record(
        self, question: str, asker: Asker, via: Via, outcome, reason=None, searched=None, **extra
    ) -> None:
        """Write one audit row for a request that produced no fresh answer."""
        entry = _entry(question, asker, via, searched or [], self.index_version())
        self.audit.record(entry.model_copy(update={"outcome": outcome, "reason": reason, **extra}))

    def record_share(
        self, answer: Answer, asker: Asker, answer_id: str, refused: str | None
    ) -> None:
        """Record a Share: the answer posted into a channel, or why it was not."""
        cited = sorted(cited_collections(answer))
        fields = _answered(answer, answer.question)
        fields.update(outcome="refused" if refused else "shared", reason=refused)
        entry = _entry(answer.question, asker, "share", cited, self.index_version())
        self.audit.record(entry.model_copy(update={**fields, "answer_id": answer_id}))

    def record_post(self, answer: Answer, asker: Asker, via: Via, answer_id: str) -> None:
        """Record an answer the bot posted on its own: a watch's news, or a digest entry."""
        fields = _answered(answer, answer.question)
        cited = sorted(cited_collections(answer))
        entry = _entry(answer.question, asker, via, cited, self.index_version())
        self.audit.record(entry.model_copy(update={**fields, "answer_id": answer_id}))

    def searched(self, readable: frozenset[str] | None) -> list[str]:
        """The index's collections a search with `readable` covers."""
        present = self.answerer.searcher.collection_names
        return [c for c in present if readable is None or c in readable]

    def index_version(self) -> str | None:
        """The live index version's directory name."""
        version = self.answerer.searcher.files.version
        return version.name if version else None


def cited_collections(answer: Answer) -> set[str]:
    """The collections an answer quotes (from the path for answers saved before collections)."""
    return {c.collection or collection_of(c.path) for c in answer.citations}


def _entry(question: str, asker: Asker, via: Via, searched: list[str], version) -> AuditEntry:
    cli = asker.surface == "cli"
    return AuditEntry(
        surface=asker.surface,
        via="cli" if cli else via,
        team=asker.team,
        channel=None if cli else asker.channel,
        user="cli" if cli else asker.user,
        acting_as=None if asker.is_operator or not cli else asker.describe(),
        question=question,
        outcome="refused",
        collections_searched=searched,
        index_version=version,
    )


def _answered(answer: Answer, asked: str) -> dict:
    """The audit fields an answer fills in."""
    return {
        "outcome": "answered" if answer.found else "not_found",
        "found": answer.found,
        "resolved_question": answer.question if answer.question != asked else None,
        "answer": answer.answer,
        "filters_applied": answer.filters_applied,
        "citations": [
            AuditCitation(
                n=c.n, path=c.path, page=c.page, chunk_id=c.chunk_id, collection=c.collection
            )
            for c in answer.citations
        ],
    }
