"""`investor-qa audit export`: the audit trail for compliance, as CSV or JSON Lines."""

import argparse
import os
import sys
from datetime import date
from pathlib import Path

from index.settings import IndexSettings


def add_audit_parser(sub) -> None:
    """Register `audit export`."""
    p = sub.add_parser("audit", help="export the audit trail of answers and refusals")
    p.add_argument("action", choices=["export"])
    p.add_argument("--since", type=_iso_date, help="from this day (UTC), YYYY-MM-DD")
    p.add_argument("--until", type=_iso_date, help="through this day (UTC), YYYY-MM-DD")
    p.add_argument("--format", choices=["csv", "jsonl"], default="csv", help="default csv")
    p.add_argument("-o", "--output", type=Path, help="write to this file (default: stdout)")


def cmd_audit(args: argparse.Namespace, settings: IndexSettings) -> int:
    """Write the rows from --since through --until to stdout or --output."""
    from bot.audit.export import write_csv, write_jsonl
    from bot.audit.store import open_audit

    if args.since and args.until and args.until < args.since:
        print("investor-qa: error: --until is before --since", file=sys.stderr)
        return 2
    entries = open_audit().entries(args.since, args.until)
    write = write_csv if args.format == "csv" else write_jsonl
    if args.output is None:
        n = write(entries, sys.stdout)
    else:
        tmp = args.output.with_name(f".{args.output.name}.tmp")
        with tmp.open("w", encoding="utf-8", newline="") as out:
            n = write(entries, out)
        os.replace(tmp, args.output)  # a half-written export never takes the file's name
    print(f"exported {n} audit row{'s' if n != 1 else ''}", file=sys.stderr)
    return 0


def _iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date (YYYY-MM-DD)") from None
