"""The `investor-qa` command line: index, ask, chart, add, stats, show, serve and eval.

Wiring only: the work lives in index/ and bot/.
"""

import argparse
import json
import logging
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from bot.access.command import add_access_parser, add_asker_arguments, cmd_access
from bot.audit.command import add_audit_parser, cmd_audit
from bot.batch import add_batch_argument
from bot.chart_command import add_chart_parser, cmd_chart
from bot.eval.command import add_eval_parser, cmd_eval
from bot.feeds.command import add_feeds_parser, cmd_feeds
from bot.watches.command import add_watch_parser, cmd_watch
from index.errors import InvestorQAError
from index.settings import IndexSettings, get_settings

if TYPE_CHECKING:
    from bot.answer.answerer import Answerer
    from index.build import BuildReport
    from index.embed import Embedder

logger = logging.getLogger("investor_qa")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand."""
    parser = argparse.ArgumentParser(prog="investor-qa", description=__doc__.split("\n")[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="log details and tracebacks")
    sub = parser.add_subparsers(dest="command", required=True)

    def dirs(p: argparse.ArgumentParser, corpus: bool = True) -> None:
        if corpus:
            p.add_argument("--corpus", type=Path, help="article directory [INVESTOR_QA_CORPUS_DIR]")
        p.add_argument("--index-dir", type=Path, help="index directory [INVESTOR_QA_INDEX_DIR]")

    p_index = sub.add_parser("index", help="build the index, or rebuild it if the corpus changed")
    dirs(p_index)
    p_index.add_argument("--force", action="store_true", help="rebuild even if up to date")
    p_index.add_argument("--strict", action="store_true", help="exit 1 if any file had a warning")
    p_index.add_argument(
        "--device", choices=["auto", "cpu", "cuda"], help="where to encode [INVESTOR_QA_DEVICE]"
    )
    p_index.add_argument(
        "--ray",
        nargs="?",
        const="",
        metavar="auto|ADDRESS",
        help="parse and encode on Ray: auto starts a local runtime, host:port or ray://host:port "
        "joins a cluster [INVESTOR_QA_RAY_ADDRESS] (needs: pip install 'investor-qa[ray]')",
    )
    p_index.add_argument(
        "--ray-actors", type=int, help="embedding actors on Ray (default: one per GPU, or by CPUs)"
    )
    p_ask = sub.add_parser("ask", help="answer a question with cited passages")
    p_ask.add_argument("question", nargs="?", help="the question, in quotes")
    add_batch_argument(p_ask)
    p_ask.add_argument("--k", type=int, help="passages to retrieve [INVESTOR_QA_TOP_K]")
    p_ask.add_argument("--json", action="store_true", help="print one JSON object")
    p_ask.add_argument(
        "--ticker", action="append", default=[], help="only this ticker (repeatable)"
    )
    p_ask.add_argument("--since", type=_iso_date, help="only articles published on or after")
    p_ask.add_argument("--until", type=_iso_date, help="only articles published on or before")
    p_ask.add_argument("--source", action="append", default=[], help="only this publisher")
    add_asker_arguments(p_ask)
    dirs(p_ask)
    p_add = sub.add_parser("add", help="copy files (or fetch URLs) into the corpus and index them")
    p_add.add_argument("targets", nargs="+", metavar="PATH_OR_URL")
    p_add.add_argument("--collection", default="default", help="corpus folder to add to")
    dirs(p_add)
    p_stats = sub.add_parser("stats", help="show what the index holds")
    dirs(p_stats)
    p_show = sub.add_parser("show", help="show what the bot thinks a file is (its identity)")
    p_show.add_argument("path", help="an indexed file: corpus-relative, absolute, or its name")
    p_show.add_argument("--json", action="store_true", help="print one JSON object")
    dirs(p_show)
    p_serve = sub.add_parser("serve", help="run the Slack bot (HTTP or Socket Mode)")
    mode = p_serve.add_mutually_exclusive_group()
    mode.add_argument("--http", action="store_true", help="serve POST /slack/events and /healthz")
    mode.add_argument("--socket", action="store_true", help="connect with SLACK_APP_TOKEN")
    p_serve.add_argument("--port", type=int, default=3000, help="HTTP port (default 3000)")
    dirs(p_serve)
    add_eval_parser(sub)
    add_access_parser(sub)
    add_audit_parser(sub)
    add_chart_parser(sub)
    add_feeds_parser(sub)
    add_watch_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `investor-qa` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    if args.command == "serve":
        logging.getLogger("bot").setLevel(logging.INFO)  # a server reports what it serves
    if args.command == "ask" and (args.question is None) == (args.batch is None):
        parser.error("give one question, or --batch FILE, not both")
    if args.command == "ask" and args.batch is None and not args.question.strip():
        parser.error("the question is empty")
    if getattr(args, "k", None) is not None and args.k < 1:
        parser.error("--k must be at least 1")
    settings = _settings(args)
    try:
        return COMMANDS[args.command](args, settings)
    except InvestorQAError as exc:
        print(f"investor-qa: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("investor-qa: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # unexpected: one line for users, the traceback with --verbose
        logger.debug("unexpected error", exc_info=True)
        print(
            f"investor-qa: unexpected error ({type(exc).__name__}); rerun with -v for details",
            file=sys.stderr,
        )
        if args.verbose:
            logger.exception("traceback")
        return 1


def _iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date (YYYY-MM-DD)") from None


def _settings(args: argparse.Namespace) -> IndexSettings:
    overrides = {
        "corpus_dir": getattr(args, "corpus", None),
        "index_dir": getattr(args, "index_dir", None),
        "top_k": getattr(args, "k", None),
        "device": getattr(args, "device", None),
        "ray_actors": getattr(args, "ray_actors", None),
    }
    return get_settings().model_copy(update={k: v for k, v in overrides.items() if v is not None})


def _ensure(
    settings: IndexSettings, embedder: "Embedder", force: bool = False
) -> "BuildReport | None":
    from index.build import ensure_index
    from index.small_updates import SmallUpdateEmbedder
    from index.tokens import default_counter

    report = ensure_index(
        settings.corpus_dir,
        settings.index_dir,
        SmallUpdateEmbedder(embedder, settings.index_dir),
        default_counter(),
        batch_size=settings.batch_size,
        show_progress=sys.stderr.isatty(),
        force=force,
        max_article_bytes=settings.max_article_bytes,
    )
    if report:
        _print_build(report, settings)
    return report


def _build_on_ray(
    settings: IndexSettings, embedder: "Embedder", address: str, force: bool
) -> "BuildReport | None":
    from index.ray_build import build_on_ray
    from index.tokens import default_counter

    report = build_on_ray(
        settings.corpus_dir,
        settings.index_dir,
        embedder,
        default_counter(),
        address=address,
        actors=settings.ray_actors,
        device=settings.device,
        batch_size=settings.batch_size,
        max_article_bytes=settings.max_article_bytes,
        force=force,
        show_progress=sys.stderr.isatty(),
    )
    if report:
        _print_build(report, settings)
    return report


def _print_build(report, settings: IndexSettings) -> None:
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(
        f"Indexed: {report.changes.summary()} in {report.seconds:.1f}s "
        f"({report.articles} articles, {report.chunks} chunks, {report.encoded} embedded) "
        f"→ {settings.index_dir}",
        file=sys.stderr,
    )


def cmd_index(args: argparse.Namespace, settings: IndexSettings) -> int:
    """Build or refresh the index."""
    from bot.access.command import warn_unlisted
    from index.embed import SentenceTransformerEmbedder
    from index.onnx_encoder import ensure_onnx_export
    from index.store import read_manifest

    embedder = SentenceTransformerEmbedder(settings.device)
    # --ray alone: INVESTOR_QA_RAY_ADDRESS, else a local runtime; that variable alone: Ray too.
    address = args.ray or settings.ray_address or ("auto" if args.ray is not None else None)
    if address:
        report = _build_on_ray(settings, embedder, address, force=args.force)
    else:
        report = _ensure(settings, embedder, force=args.force)
    if report is None:
        ensure_onnx_export(settings.index_dir, embedder)  # an index from before the export
        print(
            f"Index in {settings.index_dir} is up to date with {settings.corpus_dir}.",
            file=sys.stderr,
        )
    warnings = report.warnings if report else read_manifest(settings.index_dir).warnings
    warn_unlisted(settings)
    if args.strict and warnings:
        if report is None:  # the build that found them printed them; say them again
            for warning in warnings:
                print(f"warning: {warning}", file=sys.stderr)
        print(f"investor-qa: error: {len(warnings)} warning(s) and --strict", file=sys.stderr)
        return 1
    return 0


def cmd_ask(args: argparse.Namespace, settings: IndexSettings) -> int:
    """Answer one question (as --channel/--user would be answered), building the index if needed."""
    from bot.access.command import asker_from_args, load_policy
    from bot.access.gate import Gate
    from bot.answer.render import answer_json, render_text
    from bot.audit.store import open_audit
    from bot.batch import open_batch, run_batch
    from index.filters import SearchFilter

    policy, asker = load_policy(settings), asker_from_args(args)  # a bad access file stops here
    batch = open_batch(args.batch) if args.batch is not None else None  # fail before loading
    gate = Gate(_answerer(settings), policy, open_audit())
    explicit = SearchFilter(
        tickers=[t.upper() for t in args.ticker],
        since=args.since,
        until=args.until,
        sources=args.source,
    )
    if batch is not None:
        return run_batch(lambda q, f: gate.answer(q, asker, "cli", f), batch, explicit)
    answer = gate.answer(args.question, asker, "cli", explicit)
    if args.json:
        print(json.dumps(answer_json(answer), ensure_ascii=False))
    else:
        print(render_text(answer, color=sys.stdout.isatty()))
    return 0


def _answerer(settings: IndexSettings, builder: "Embedder | None" = None) -> "Answerer":
    """The index brought up to date, then opened for answering with the light query encoder."""
    from bot.answer.answerer import Answerer
    from index.embed import SentenceTransformerEmbedder
    from index.onnx_encoder import query_embedder

    builder = builder or SentenceTransformerEmbedder(settings.device)  # torch only to build
    _ensure(settings, builder)
    embedder = query_embedder(settings.index_dir, fallback=builder)
    return Answerer.open(
        settings.index_dir,
        embedder,
        settings.corpus_dir,
        settings.top_k,
        settings.min_score,
        settings.table_k,
    )


def cmd_stats(args: argparse.Namespace, settings: IndexSettings) -> int:
    """Print what the index holds."""
    from bot.access.command import describe_policy, load_policy
    from index.store import IndexFiles, read_identity, read_manifest

    manifest = read_manifest(settings.index_dir)
    files = IndexFiles(settings.index_dir, manifest.model_name, manifest.dim)
    newest = files.query("SELECT max(published) FROM articles")[0][0]
    identities = files.query(f"SELECT {files.identity_column} FROM articles a")
    known = sum(bool(i and not i.is_empty()) for i in (read_identity(r[0]) for r in identities))
    print(
        f"articles:   {manifest.articles} ({known} with an identity read: investor-qa show PATH)\n"
        f"chunks:     {manifest.chunks}\n"
        f"model:      {manifest.model_name} ({manifest.dim}-dim, {manifest.index_type})\n"
        f"built:      {manifest.built_at} ({manifest.build_method})\nnewest:     {newest or '-'}\n"
        f"index dir:  {settings.index_dir}\naccess:     {describe_policy(load_policy(settings))}"
    )
    return 0


def cmd_show(args: argparse.Namespace, settings: IndexSettings) -> int:
    """Print the identity recorded for one indexed article."""
    from bot.show import as_json, describe, find_article
    from index.store import IndexFiles, read_manifest

    manifest = read_manifest(settings.index_dir)
    files = IndexFiles(settings.index_dir, manifest.model_name, manifest.dim)
    article = find_article(files, settings.corpus_dir, args.path)
    print(as_json(article) if args.json else describe(article))
    return 0


def cmd_add(args: argparse.Namespace, settings: IndexSettings) -> int:
    """Add files or web pages to the corpus and index them."""
    from index.embed import SentenceTransformerEmbedder
    from index.ingest import add_files, add_url
    from index.small_updates import SmallUpdateEmbedder

    builder = SentenceTransformerEmbedder(settings.device)
    embedder = SmallUpdateEmbedder(builder, settings.index_dir)
    urls = [t for t in args.targets if t.startswith(("http://", "https://"))]
    paths = [Path(t) for t in args.targets if t not in urls]
    collection = args.collection
    reports = [add_url(url, settings, embedder, collection) for url in urls]
    if paths:
        reports.append(add_files(paths, settings, embedder, collection))
    for report in reports:
        for line in report.skipped + report.warnings:
            print(f"warning: {line}", file=sys.stderr)
        for article in report.added:
            print(f"Added {article.path}: {article.title}")
    _print_build(reports[-1].build, settings)
    return 0


def cmd_serve(args: argparse.Namespace, settings: IndexSettings) -> int:
    """Load the model and index once, then serve Slack until interrupted."""
    from bot.access.command import load_policy
    from bot.access.gate import Gate
    from bot.access.ratelimit import RateLimiter
    from bot.access.settings import get_access_settings
    from bot.audit.store import open_audit
    from bot.slack.app import create_app
    from bot.slack.keep_current import start_background
    from bot.slack.server import choose_mode, serve_http, serve_socket
    from bot.slack.service import QAService
    from bot.slack.settings import get_bot_settings
    from bot.state.store import open_state
    from index.embed import SentenceTransformerEmbedder
    from index.small_updates import SmallUpdateEmbedder

    bot_settings = get_bot_settings()
    mode = choose_mode(args.http, args.socket, bot_settings)  # fails fast on a missing token
    store = open_state()  # fails fast on a bad or unreachable INVESTOR_QA_DATABASE_URL
    policy, audit = load_policy(settings), open_audit(store)  # ... and on a bad access file
    builder = SentenceTransformerEmbedder(settings.device)
    answerer = _answerer(settings, builder)
    answerer.searcher.embedder.load()  # before serving: the first question is as fast as the rest
    limiter = RateLimiter(get_access_settings().rate_limit_per_minute)
    gate = Gate(answerer, policy, audit)
    # Uploads and feed entries: a few chunks encode through the ONNX export, no torch to load.
    small = SmallUpdateEmbedder(builder, settings.index_dir)
    qa = QAService(gate, store, bot_settings, settings, index_embedder=small, limiter=limiter)
    app = create_app(bot_settings, qa, socket_mode=mode == "socket")
    start_background(qa, app.client)  # feeds, index updates from elsewhere, watches, digests
    if mode == "socket":
        serve_socket(app, bot_settings)
    else:
        serve_http(app, qa.stats, args.port, bot_settings)
    return 0


COMMANDS = {
    "chart": cmd_chart,
    "access": cmd_access,
    "audit": cmd_audit,
    "eval": cmd_eval,
    "feeds": cmd_feeds,
    "watch": cmd_watch,
    "index": cmd_index,
    "ask": cmd_ask,
    "add": cmd_add,
    "stats": cmd_stats,
    "show": cmd_show,
    "serve": cmd_serve,
}

if __name__ == "__main__":
    sys.exit(main())
