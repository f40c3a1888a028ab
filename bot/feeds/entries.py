"""Turn one feed entry into a Markdown article in the corpus.

The entry's link is fetched and its main text extracted the way `add URL` does it; when the
page cannot be fetched or read, the entry's own summary is used, with a warning. The file
keeps the title, the published date, the source (the feed's title) and the link in its front
matter, so the article is cited like any other, and a full rebuild indexes it the same way.
"""

from datetime import date
from pathlib import Path
from urllib.parse import urlparse

import yaml

from bot.feeds.fetching import FetchBudget, fetch_entry_article
from bot.feeds.models import Entry, Feed
from index.errors import BadArticle, FetchFailed, NothingAdded
from index.ingest import slug, write_new
from index.models import DEFAULT_COLLECTION
from index.settings import IndexSettings


def write_entry(
    entry: Entry,
    feed: Feed,
    feed_title: str | None,
    settings: IndexSettings,
    budget: FetchBudget,
) -> tuple[str | None, list[str]]:
    """Save `entry` as a corpus file: (its path relative to the corpus, or None; warnings)."""
    warnings: list[str] = []
    text, tickers = "", []
    if entry.link:
        budget.take()
        try:
            article, _ = fetch_entry_article(entry.link, settings)
            text, tickers = article.text, article.tickers
        except (FetchFailed, BadArticle, NothingAdded) as exc:
            warnings.append(f"{exc}; indexed the feed's summary of {entry.title!r} instead")
    if not text.strip():
        if not entry.summary.strip():
            warnings.append(f"{feed.url}: entry {entry.title!r} has no readable page or summary")
            return None, warnings
        text = entry.summary
    meta = {
        "title": entry.title,
        "source": feed_title or urlparse(feed.url).hostname or "feed",
        "url": entry.link,
        "published": entry.published.isoformat() if entry.published else None,
        "tickers": tickers or None,
        "feed": feed.url,
        "fetched": date.today().isoformat(),
    }
    front = yaml.safe_dump({k: v for k, v in meta.items() if v}, allow_unicode=True)
    corpus = Path(settings.corpus_dir)
    root = not feed.collection or feed.collection == DEFAULT_COLLECTION  # `default`: the root
    folder = corpus if root else corpus / str(feed.collection)
    folder.mkdir(parents=True, exist_ok=True)
    target = write_new(folder, slug(entry.title), ".md", f"---\n{front}---\n{text}\n".encode())
    return target.relative_to(corpus).as_posix(), warnings
