"""Words for a document identity: the citation line, the chunk context and the match label.

- citation: `3M Company · 10-K · FY2018` (a page is added by whoever cites);
- context, embedded and keyword-indexed with every chunk: `3M 10-K FY2018`, so a chunk of a
  cash-flow table says whose and which year's it is. It is kept short on purpose: the embedding
  model averages over every token, so each word of a prefix that all of a company's chunks share
  (legal suffixes, a ticker, `fiscal year`) pulls those chunks towards one another and away from
  what their own text says. Measured on FinanceBench (docs/QUALITY.md): the longer
  `3M Company (MMM) 10-K, fiscal year 2018` ranked the right page and filing of a company with
  several filings lower than the short form;
- match label, read by the document match (index/doc_match.py): names, form and period words.
"""

from index.models import DocumentIdentity

MAX_TICKERS = 2  # a citation without a company name shows its first tickers


def citation_label(identity: DocumentIdentity | None) -> str | None:
    """`3M Company · 10-K · FY2018`, `PepsiCo, Inc. · 8-K · 2023-05-03`; None when the document
    itself did not say whose it is (a company known only from the file name keeps its title)."""
    if identity is None or identity.is_empty() or identity.sources.get("company") == "file name":
        return None
    if not identity.company and not identity.tickers:
        return None
    parts = [identity.company or "/".join(identity.tickers[:MAX_TICKERS]), identity.form]
    if identity.form == "8-K" and identity.dated:
        parts.append(identity.dated.isoformat())
    else:
        parts.append(
            identity.fiscal_period or (identity.dated.isoformat() if identity.dated else None)
        )
    return " · ".join(p for p in parts if p) or None


def context_label(identity: DocumentIdentity | None) -> str:
    """`3M 10-K FY2018`, `Best Buy 10-Q Q2 FY2024`, `PepsiCo 8-K dated May 3, 2023`: the short
    name, the form and the period, in few tokens; '' when unknown."""
    if identity is None or identity.is_empty():
        return ""
    who = identity.short_name or identity.company or "/".join(identity.tickers[:MAX_TICKERS])
    return " ".join(p for p in (who, identity.form, period_words(identity)) if p)


def period_words(identity: DocumentIdentity) -> str:
    """`FY2018`, `Q2 FY2024`, `dated May 3, 2023`, or ''."""
    if identity.form == "8-K" and identity.dated:
        return f"dated {identity.dated.strftime('%B')} {identity.dated.day}, {identity.dated.year}"
    if identity.fiscal_year is None:
        return ""
    year = f"FY{identity.fiscal_year}"
    return f"Q{identity.fiscal_quarter} {year}" if identity.fiscal_quarter else year


def match_label(identity: DocumentIdentity | None) -> str:
    """Names, form and period of an identity for the document match (`3M Company 3M 10-K 2018`)."""
    if identity is None or identity.is_empty():
        return ""
    words = [identity.company, identity.short_name, identity.form, *identity.tickers]
    if identity.fiscal_year:
        words.append(str(identity.fiscal_year))
    if identity.fiscal_quarter:
        words.append(f"Q{identity.fiscal_quarter}")
    if identity.form == "8-K" and identity.dated:
        words.append(str(identity.dated.year))
    return " ".join(w for w in words if w)
