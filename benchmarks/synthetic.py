"""Synthetic finance articles from templates, for build benchmarks at realistic sizes.

Deterministic for a seed: the same command writes the same corpus, so runs compare.
Articles look like wire stories and analyst notes: front matter, a lead, a few sections with
headings, and sentences dense with figures, tickers and periods, 300 to 1,200 words each.
"""

import random
from pathlib import Path

COMPANIES = [
    ("Alibaba", "BABA"), ("Tencent", "TCEHY"), ("Microsoft", "MSFT"), ("Alphabet", "GOOGL"),
    ("Amazon", "AMZN"), ("Meta", "META"), ("Nvidia", "NVDA"), ("Baidu", "BIDU"), ("Apple", "AAPL"),
    ("TSMC", "TSM"), ("JD.com", "JD"), ("PDD Holdings", "PDD"), ("Samsung", "005930.KS"),
    ("ASML", "ASML"), ("Broadcom", "AVGO"), ("Oracle", "ORCL"), ("Salesforce", "CRM"),
    ("Xiaomi", "1810.HK"), ("Meituan", "3690.HK"), ("NetEase", "NTES"),
]  # fmt: skip
SEGMENTS = ["cloud", "advertising", "e-commerce", "data center", "gaming", "devices", "services",
            "semiconductor", "logistics", "payments", "AI infrastructure", "subscriptions"]  # fmt: skip
SOURCES = ["Sample Wire", "Market Desk", "Analyst Note", "Earnings Digest", "Filing Summary"]
HEADINGS = ["Results", "Segment performance", "Guidance", "Capital spending", "Analyst views",
            "Risks", "Shareholder returns", "Outlook", "Competition", "Valuation"]  # fmt: skip
SENTENCES = [
    "{co} reported {seg} revenue of {cur}{amt} billion for {q}, up {pct}% from a year earlier.",
    "Operating margin in the {seg} business widened to {pct}% as costs grew more slowly than sales.",
    "Management guided {q2} revenue to between {cur}{amt} billion and {cur}{amt2} billion.",
    "Capital expenditure reached {cur}{amt} billion in {q}, most of it on servers and data centers.",
    "Analysts at {bank} raised their price target on {tk} to ${px}, citing stronger {seg} demand.",
    "The company repurchased {cur}{amt} billion of shares and declared a dividend of ${div} per share.",
    "{co} said demand for {seg} products remained strong in {region}, where sales rose {pct}%.",
    "Free cash flow fell to {cur}{amt} billion because of heavier spending on AI infrastructure.",
    "Gross margin was {pct}.{d}% in {q}, compared with {pct2}.{d}% in the prior quarter.",
    "Shares of {tk} rose {pct}.{d}% in {exch} trading after the results were published.",
    "The {seg} unit now accounts for {pct}% of group revenue, up from {pct2}% two years ago.",
    "{co} expects to spend about {cur}{amt} billion on AI and cloud infrastructure over {yrs} years.",
    "Regulators in {region} opened a review of the company's {seg} pricing, a risk analysts flagged.",
    "Net income attributable to shareholders was {cur}{amt} billion, or {cur}{eps} per diluted share.",
    "Customer numbers in {seg} grew to {users} million, while revenue per user rose {pct}%.",
    "Inventory days fell to {days} as supply of advanced chips improved during {q}.",
    "{bank} estimates that {co} holds a {pct}% share of the {region} {seg} market.",
    "The board approved a new buyback programme of up to {cur}{amt} billion through {year}.",
    "Research and development expense rose {pct}% to {cur}{amt} billion, about {pct2}% of revenue.",
    "Executives told analysts on the call that pricing in {seg} had stabilised after cuts in {q2}.",
]  # fmt: skip
BANKS = ["Morgan Stanley", "Goldman Sachs", "JPMorgan", "UBS", "Jefferies", "Bernstein", "Citi"]
REGIONS = ["China", "the United States", "Europe", "Japan", "Southeast Asia", "India", "Korea"]


def _sentence(rng: random.Random, company: tuple[str, str]) -> str:
    year = rng.randint(2022, 2026)
    return rng.choice(SENTENCES).format(
        co=company[0], tk=company[1], seg=rng.choice(SEGMENTS), cur=rng.choice(["$", "RMB ", "€"]),
        amt=f"{rng.uniform(0.5, 120):.1f}", amt2=f"{rng.uniform(120, 200):.1f}",
        pct=rng.randint(2, 60), pct2=rng.randint(2, 60), d=rng.randint(0, 9),
        q=f"Q{rng.randint(1, 4)} {year}", q2=f"Q{rng.randint(1, 4)} {year + 1}",
        bank=rng.choice(BANKS), px=rng.randint(40, 900), div=f"{rng.uniform(0.1, 3):.2f}",
        region=rng.choice(REGIONS), exch=rng.choice(["New York", "Hong Kong", "pre-market"]),
        yrs=rng.randint(2, 5), eps=f"{rng.uniform(0.2, 9):.2f}", users=rng.randint(5, 900),
        days=rng.randint(40, 140), year=year + 1,
    )  # fmt: skip


def article(rng: random.Random, n: int) -> str:
    """One Markdown article with front matter."""
    company = rng.choice(COMPANIES)
    words_target = rng.randint(300, 1200)
    title = f"{company[0]} {rng.choice(['beats', 'misses', 'lifts', 'cuts', 'holds'])} "
    title += f"{rng.choice(SEGMENTS)} outlook as {rng.choice(['AI', 'cloud', 'margins', 'capex'])} "
    title += f"{rng.choice(['surges', 'slows', 'steadies', 'dominates'])} (note {n})"
    lines = [
        "---",
        f'title: "{title}"',
        f"source: {rng.choice(SOURCES)}",
        f"published: {rng.randint(2023, 2026)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        f"tickers: [{company[1]}]",
        "---",
    ]
    words = 0
    headings = rng.sample(HEADINGS, k=len(HEADINGS))
    while words < words_target:
        if words and rng.random() < 0.35 and headings:
            lines += ["", f"## {headings.pop()}"]
        paragraph = " ".join(_sentence(rng, company) for _ in range(rng.randint(2, 6)))
        lines += ["", paragraph]
        words += len(paragraph.split())
    return "\n".join(lines) + "\n"


def write_corpus(directory: Path, n_articles: int, seed: int = 7) -> Path:
    """Write `n_articles` synthetic articles into `directory` and return it."""
    directory.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    for n in range(n_articles):
        (directory / f"synthetic-{n:05d}.md").write_text(article(rng, n), encoding="utf-8")
    return directory
