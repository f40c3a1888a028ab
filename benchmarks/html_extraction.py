"""HTML extraction quality: how much boilerplate leaks into chunks, and how much article stays.

Run: .venv/bin/python -m benchmarks.html_extraction
The pages in benchmarks/pages/ were written for this benchmark: a news site, a blog post and
a research-portal note, each with navigation, cookie banners, promos, related links,
comments, disclaimers and footers around a short article. For each page the article's
paragraphs (the text of its <p> elements inside the article container) are known, and every
other text node of <body> is boilerplate. Figures: boilerplate characters found in chunks
(each boilerplate text node counted once, whole, when it appears in any chunk), article
characters missing from the chunks, and the metadata found.
Writes benchmarks/results/html_extraction.json.
"""

import json
from pathlib import Path

from lxml import html as lxml_html

from index.chunk import ChunkerSettings, chunk_article
from index.load import load_corpus
from index.tokens import default_counter

ROOT = Path(__file__).resolve().parents[1]

PAGES = ROOT / "benchmarks" / "pages"
ARTICLE_XPATH = "//article//p[not(ancestor::aside) and not(@class='byline')] | //div[@class='post']/p | //div[@id='content']/p"


def normal(text: str) -> str:
    return " ".join(text.split())


def page_parts(path: Path) -> tuple[list[str], list[str]]:
    """(article paragraphs, boilerplate text nodes) of one page."""
    tree = lxml_html.fromstring(path.read_bytes())
    article = [normal(p.text_content()) for p in tree.xpath(ARTICLE_XPATH)]
    body = tree.find("body")
    boiler = []
    for node in body.iter():
        if node.tag in ("script", "style") or not isinstance(node.tag, str):
            continue
        for text in (node.text, node.tail):
            text = normal(text or "")
            if len(text) >= 3 and not any(text in a for a in article):
                boiler.append(text)
    return article, boiler


def main() -> None:
    counter, settings = default_counter(), ChunkerSettings()
    loaded = load_corpus(PAGES)
    by_path = {a.path: a for a in loaded.articles}
    rows = []
    for page in sorted(PAGES.glob("*.html")):
        article_paras, boiler = page_parts(page)
        art = by_path[page.name]
        chunk_text = normal(" ".join(c.text for c in chunk_article(art, counter, settings)))
        leaked = [b for b in boiler if b in chunk_text]
        missing = [p for p in article_paras if p not in chunk_text]
        rows.append({
            "page": page.name,
            "title": art.title, "published": str(art.published), "url": art.url,
            "author": art.author, "source": art.source,
            "article_chars": sum(map(len, article_paras)),
            "article_chars_missing": sum(map(len, missing)),
            "boilerplate_chars": sum(map(len, boiler)),
            "boilerplate_chars_leaked": sum(map(len, leaked)),
            "leaked": leaked,
        })  # fmt: skip
    for row in rows:
        print(
            f"{row['page']:18} article {row['article_chars']:5} chars, missing "
            f"{row['article_chars_missing']:4}; boilerplate {row['boilerplate_chars']:5} chars, "
            f"leaked {row['boilerplate_chars_leaked']:4}  {row['leaked'] or ''}"
        )
        print(f"{'':18} title={row['title']!r} published={row['published']} url={row['url']} "
              f"author={row['author']!r} source={row['source']!r}")  # fmt: skip
    results = {"pages": rows, "warnings": loaded.warnings}
    out = ROOT / "benchmarks" / "results" / "html_extraction.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"→ {out}")


if __name__ == "__main__":
    main()
