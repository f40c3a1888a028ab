"""`investor-qa chart "QUESTION" --out chart.png`: answer a question about a figure over time
and draw its series as a PNG. Argument parsing and printing only; the work is in bot/answer/.
"""

import argparse
import json
import sys
from pathlib import Path

from bot.access.command import add_asker_arguments
from index.settings import IndexSettings


def add_chart_parser(sub) -> None:
    """Register the `chart` subcommand."""
    p = sub.add_parser("chart", help="chart a figure over time, with its cited sources")
    p.add_argument("question", help='e.g. "How has Alibaba Cloud revenue growth changed?"')
    p.add_argument("--out", type=Path, default=Path("chart.png"), help="PNG to write")
    p.add_argument("--json", action="store_true", help="print the answer as one JSON object")
    p.add_argument("--ticker", action="append", default=[], help="only this ticker (repeatable)")
    p.add_argument("--source", action="append", default=[], help="only this publisher")
    add_asker_arguments(p)
    p.add_argument("--corpus", type=Path, help="article directory [INVESTOR_QA_CORPUS_DIR]")
    p.add_argument("--index-dir", type=Path, help="index directory [INVESTOR_QA_INDEX_DIR]")


def cmd_chart(args: argparse.Namespace, settings: IndexSettings) -> int:
    """Write the chart and print the cited answer; exit 1 (saying why) when there is no chart."""
    from bot.access.command import asker_from_args, load_policy
    from bot.access.gate import Gate
    from bot.answer.chart import render_chart
    from bot.answer.render import answer_json, render_text
    from bot.audit.store import open_audit
    from bot.cli import _answerer
    from index.filters import SearchFilter

    if not args.question.strip():
        print("investor-qa: error: the question is empty", file=sys.stderr)
        return 2
    if args.out.suffix.lower() != ".png":
        print(f"investor-qa: error: --out must name a .png file, not {args.out}", file=sys.stderr)
        return 2
    explicit = SearchFilter(tickers=[t.upper() for t in args.ticker], sources=args.source)
    policy, asker = load_policy(settings), asker_from_args(args)  # a bad access file stops here
    gate = Gate(_answerer(settings), policy, open_audit())  # walled and audited like `ask`
    answer = gate.answer(args.question, asker, "cli", explicit, chart=True)
    if answer.series:
        png = render_chart(answer)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        partial = args.out.with_name(args.out.name + ".partial")
        partial.write_bytes(png)
        partial.replace(args.out)  # a reader never sees half a file
    if args.json:
        print(json.dumps(answer_json(answer), ensure_ascii=False))
    else:
        print(render_text(answer, color=sys.stdout.isatty()))
    if not answer.series:
        print("investor-qa: no chart: not enough dated figures of one measure", file=sys.stderr)
        return 1
    print(f"Chart: {args.out} ({len(answer.series)} points)", file=sys.stderr)
    return 0
