"""Words for a document identity: the citation line, the chunk context and the match label.

- citation: `3M Company · 10-K · FY2018` (a page is added by whoever cites);
- context, embedded and keyword-indexed with every chunk: `3M Company (MMM) 10-K, fiscal
  year 2018`, so a chunk of a cash-flow table says whose and which year's it is;
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
    """`3M Company (MMM) 10-K, fiscal year 2018`: who, what and when, in words; '' when unknown."""
    if identity is None or identity.is_empty():
        return ""
    who = identity.company or ""
    if identity.tickers:
        who = f"{who} ({identity.tickers[0]})".strip()
    what = " ".join(p for p in (who, identity.form) if p)
    return f"{what}, {when}" if (when := period_words(identity)) else what


def period_words(identity: DocumentIdentity) -> str:
    """`fiscal year 2018`, `Q2 of fiscal year 2024`, `dated May 3, 2023`, or ''."""
    if identity.form == "8-K" and identity.dated:
        return f"dated {identity.dated.strftime('%B')} {identity.dated.day}, {identity.dated.year}"
    if identity.fiscal_year is None:
        return ""
    year = f"fiscal year {identity.fiscal_year}"
    return f"Q{identity.fiscal_quarter} of {year}" if identity.fiscal_quarter else year


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
