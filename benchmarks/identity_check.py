"""How often the identity read from a FinanceBench PDF is right: company, form and fiscal period.

Run: .venv/bin/python -m benchmarks.identity_check [--anonymous-names]
Each of the PDFs in ../shared/eval/financebench is read by the product's loader (cached in the
eval cache, as `investor-qa eval financebench` does; `--anonymous-names` reads the copies under
accession-like numbers, so no file name can help) and its identity is compared with
`financebench_document_information.jsonl` (company, doc_type, doc_period):
- company: the names agree once case and punctuation are dropped (one contains the other), or
  the reference is the initials of the name read (`AMD`, Advanced Micro Devices);
- form: 10k → 10-K, 10q → 10-Q, 8k → 8-K, Earnings → earnings release;
- period: the reference year is the fiscal year read (an 8-K's: the year of its report date).
Quarters in the file names (`2023Q2`) are compared too and reported apart.
Prints every miss; writes benchmarks/results/identity_check.json. Skips when the data is absent.
"""

import argparse
import json
import re
import sys
from pathlib import Path

from bot.eval.anonymous import anonymous_pdfs
from bot.eval.financebench_data import document_names, our_article
from bot.eval.settings import get_eval_settings

FORMS = {"10k": "10-K", "10q": "10-Q", "8k": "8-K", "earnings": "earnings release"}
OUT = Path(__file__).parent / "results" / "identity_check.json"


def _plain(name: str | None) -> str:
    return re.sub(r"[^a-z0-9]", "", (name or "").lower())


def company_ok(reference: str, company: str | None, short: str | None) -> bool:
    """Same company: one plain name contains the other, or the reference is its initials."""
    ref = _plain(reference)
    for name in (company, short):
        plain = _plain(name)
        if plain and (ref in plain or plain in ref):
            return True
    words = re.findall(r"[A-Za-z]+", short or "")
    return len(words) > 1 and ref == "".join(w[0] for w in words).lower()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--anonymous-names", action="store_true")
    args = parser.parse_args()
    settings = get_eval_settings()
    root, cache_dir = settings.data_dir / "financebench", settings.cache_dir / "financebench"
    if not root.is_dir():
        print(f"skipped: {root} not found")
        return 0
    info = {}
    for line in (root / "financebench_document_information.jsonl").read_text().splitlines():
        row = json.loads(line)
        info[row["doc_name"]] = row
    docs = document_names(root)[::-1]  # largest last-parsed first: another run may parse the rest
    pdfs, names = anonymous_pdfs(root, cache_dir, docs) if args.anonymous_names else (None, {})
    by_doc = {doc: anon for anon, doc in names.items()}
    rows, misses = [], []
    for doc in docs:
        article = our_article(root, cache_dir, by_doc.get(doc, doc), pdfs)
        identity, ref = article.identity, info[doc]
        quarter = re.search(r"_(\d{4})Q([1-4])_", f"{doc}_")
        checks = {
            "company": company_ok(ref["company"], identity.company, identity.short_name),
            "form": identity.form == FORMS.get(ref["doc_type"].lower()),
            "period": identity.fiscal_year == int(ref["doc_period"]),
        }
        if quarter:
            checks["quarter"] = identity.fiscal_quarter == int(quarter.group(2))
        row = {
            "doc": doc,
            "read": {
                "company": identity.company,
                "tickers": identity.tickers,
                "form": identity.form,
                "fiscal_period": identity.fiscal_period,
                "period_end": str(identity.period_end or ""),
                "report_date": str(identity.report_date or ""),
                "filed": str(identity.filed or ""),
                "sources": identity.sources,
            },
            "reference": {k: ref[k] for k in ("company", "doc_type", "doc_period")},
            "checks": checks,
        }
        rows.append(row)
        if not all(checks[k] for k in ("company", "form", "period")) or not checks.get(
            "quarter", 1
        ):
            misses.append(row)
    core = sum(all(r["checks"][k] for k in ("company", "form", "period")) for r in rows)
    quarters = [r["checks"]["quarter"] for r in rows if "quarter" in r["checks"]]
    summary = {
        "documents": len(rows),
        "company_form_period_correct": core,
        "share": round(core / len(rows), 3) if rows else 0.0,
        "company": sum(r["checks"]["company"] for r in rows),
        "form": sum(r["checks"]["form"] for r in rows),
        "period": sum(r["checks"]["period"] for r in rows),
        "quarters_correct": f"{sum(quarters)} of {len(quarters)}",
        "anonymous_names": args.anonymous_names,
    }
    for row in misses:
        read, ref = row["read"], row["reference"]
        wrong = [k for k, ok in row["checks"].items() if not ok]
        print(f"MISS {row['doc']}: read {read['company']} · {read['form']} · "
              f"{read['fiscal_period']}; reference {ref['company']} · {ref['doc_type']} · "
              f"{ref['doc_period']} ({', '.join(wrong)})")  # fmt: skip
    print(json.dumps(summary, indent=2))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    suffix = "_anonymous" if args.anonymous_names else ""
    out = OUT.with_name(f"identity_check{suffix}.json")
    out.write_text(json.dumps({"summary": summary, "documents": rows}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
