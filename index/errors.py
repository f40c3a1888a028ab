"""Domain errors whose messages are safe to show users as they are."""


class InvestorQAError(Exception):
    """Base class: `str(error)` is a one-line message fit for a user."""

    exit_code = 1  # what the CLI exits with


class IndexNotBuilt(InvestorQAError):
    """No usable index exists in the index directory."""


class CorruptIndex(InvestorQAError):
    """The index directory exists but cannot be read back consistently."""


class ModelMismatch(InvestorQAError):
    """The index was built with another embedding model or dimension."""


class EmptyCorpus(InvestorQAError):
    """The corpus directory holds no indexable article."""


class BadArticle(InvestorQAError):
    """One article file cannot be read; the rest of the corpus is unaffected."""


class CorpusNotFound(InvestorQAError):
    """The corpus directory does not exist."""


def rebuild_hint(index_dir: object) -> str:
    """The sentence that tells a user how to rebuild an index."""
    return f"rebuild it with: investor-qa index --index-dir {index_dir}"


class FetchFailed(InvestorQAError):
    """A URL could not be fetched or is not an article.

    `kind` says why, for callers that word it their own way: refused (scheme, address or
    redirect), timeout, network, too_large, http_status (then `status` is set) or content.
    """

    def __init__(self, message: str, kind: str = "network", status: int | None = None):
        super().__init__(message)
        self.kind, self.status = kind, status


class NothingAdded(InvestorQAError):
    """None of the files or URLs given to `add` holds an article."""


class RayNotInstalled(InvestorQAError):
    """A Ray build was asked for, but Ray (the `ray` extra) is not installed."""

    exit_code = 2


class DistributedBuildFailed(InvestorQAError):
    """A build on Ray failed or lost its cluster; nothing was published."""
