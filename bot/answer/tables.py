"""Find the tables in a passage: rows of cells with their column headers, offsets kept.

Three shapes reach the index: pipe rows (`Revenue | 1,234 | 1,000`: Markdown tables, HTML
tables as trafilatura writes them, tables pasted from spreadsheets), with or without outer
pipes; and PDF rows (pypdfium2 keeps a table row on one line: `Total revenues $66,608
$62,286`), under a header line of periods (`Years ended December 31, 2022 2021 2020`).
Every row and header keeps its character span in the passage, so answers quote it verbatim.
"""

import re

from pydantic import BaseModel

_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+"
# A value cell: optional currency, sign or brackets, a number, an optional % (inside or outside
# the brackets: `(8.9%)`, `(8.9)%`), an optional footnote mark. `+3.6%` is a reported change.
_VALUE = re.compile(
    rf"^(?:[A-Z]{{0,3}}[$€£¥]|[$€£¥])?\s?\(?\s?[-−–+]?\s?(?:[$€£¥]\s?)?(?:{_NUMBER})\s?%?\s?\)?\s?%?"
    r"\s?[*†]?$"
)
_DASH = re.compile(r"^(?:[$€£¥]\s?)?[-—–−]{1,2}$|^(?:n/?a|nm|nil)$", re.I)
_YEAR = re.compile(r"^(?:FY\s?'?|fiscal\s)?((?:19|20)\d{2})$", re.I)
_PERIOD_CELL = re.compile(r"(?:19|20)\d{2}\b|\bQ[1-4]\b|\bFY\s?'?\d{2}\b", re.I)
_MONTH = re.compile(
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?$|\d{1,2},$", re.I
)
# Headers that compare periods or sum them: they belong to no single year.
_ACROSS = re.compile(r"chang|varian|increa|decrea|growth|%|percent|total", re.I)
_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
MAX_LABEL = 120  # a PDF "row" whose label is longer than this is a sentence ending in figures


class Row(BaseModel):
    """One table line: its label cell, its value cells (verbatim) and its span in the passage."""

    label: str
    cells: list[str]
    start: int
    end: int
    section: str = ""  # the nearest label-only row above it ("Current liabilities")


class Table(BaseModel):
    """A table in a passage: header lines, one label per value column, and the data rows."""

    start: int
    end: int
    headers: list[Row]
    columns: list[str]
    note: str = ""  # the header's label cell and the line before the table: scale, caption
    rows: list[Row]


def cell_value(cell: str) -> float | None:
    """The number in a value cell (`$(1,402)` → -1402.0, `34%` → 34.0); None if it has none."""
    text = cell.strip().rstrip("*†").strip()
    if not _VALUE.match(text):
        return None
    digits = re.search(_NUMBER, text)
    if digits is None:
        return None
    value = float(digits.group(0).replace(",", ""))
    negative = "(" in text and ")" in text or re.search(r"[-−–]\s?[$€£¥]?\s?\d", text)
    return -value if negative else value


def is_value(cell: str) -> bool:
    """True for a number cell or a dash standing for none."""
    text = cell.strip()
    return bool(text) and (cell_value(text) is not None or bool(_DASH.match(text)))


def year_of(cell: str) -> str | None:
    """`2019`, `FY2019` or `fiscal 2019` as `2019`; None for anything else."""
    match = _YEAR.match(cell.strip())
    return match.group(1) if match else None


def find_tables(text: str) -> list[Table]:
    """Every table in `text` (pipe tables and PDF rows), in order."""
    lines = _lines(text)
    tables: list[Table] = []
    i = 0
    while i < len(lines):
        start, end, line = lines[i]
        if "|" in line and not _SEPARATOR.match(line):
            j = i
            while j < len(lines) and "|" in lines[j][2]:
                j += 1
            for block in _stacked(lines[i:j]):
                table = _pipe_table(block, lines[i - 1][2] if i else "")
                if table is not None:
                    tables.append(table)
            i = j
            continue
        elif _pdf_row(line) or _year_header(line):
            j = i
            while j < len(lines) and (
                _pdf_row(lines[j][2]) or _year_header(lines[j][2]) or _label_line(lines[j][2])
            ):
                j += 1
            table = _pdf_table(lines[i:j], lines[i - 1][2] if i else "")
            i = max(j, i + 1)
        else:
            i += 1
            continue
        if table is not None:
            tables.append(table)
    return tables


def _lines(text: str) -> list[tuple[int, int, str]]:
    out, pos = [], 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            start = pos + raw.index(stripped[0])
            out.append((start, start + len(stripped), stripped))
        pos += len(raw) + 1
    return out


def _stacked(block: list[tuple[int, int, str]]) -> list[list[tuple[int, int, str]]]:
    """A pipe block cut where a new period header starts below data rows: one block stacking
    `| Year Ended 2019 |` rows over `| Year Ended 2018 |` rows is two tables, each with its
    own columns. Such a header has an empty label, no values and a period in a cell."""
    markdown = all(line.startswith("|") and line.endswith("|") for _, _, line in block)
    cuts, seen_data = [0], False
    for k, (_, _, line) in enumerate(block):
        cells = [c.strip() for c in line.split("|")]
        label, values = (
            (cells[1], cells[2:-1]) if markdown and len(cells) > 2 else (cells[0], cells[1:])
        )
        if any(is_value(c) and not year_of(c) for c in values):
            seen_data = True
        elif seen_data and not label and any(_PERIOD_CELL.search(c) for c in values):
            cuts.append(k)
            seen_data = False
    cuts.append(len(block))
    return [block[a:b] for a, b in zip(cuts, cuts[1:], strict=False)]


def _pipe_table(block: list[tuple[int, int, str]], before: str) -> Table | None:
    """A table from consecutive pipe lines; Markdown's outer pipes and separator line dropped."""
    block = [b for b in block if not _SEPARATOR.match(b[2])]
    markdown = all(line.startswith("|") and line.endswith("|") for _, _, line in block)
    rows = []
    for start, end, line in block:
        cells = [c.strip() for c in line.split("|")]
        if markdown:
            cells = cells[1:-1]
        rows.append(Row(label=cells[0], cells=cells[1:], start=start, end=end))
    if len(rows) < 2:
        return None
    first_data = next(
        (k for k, r in enumerate(rows) if any(is_value(c) and not year_of(c) for c in r.cells)),
        None,
    )
    if first_data is None:  # a table of words (names, roles): its first line is the header
        first_data = 1
    # Label-only lines just above the data ("June 30, 2019", "Financial assets:") are sections.
    while first_data > 1 and not any(rows[first_data - 1].cells):
        first_data -= 1
    return _assemble(rows[:first_data], rows[first_data:], before)


def _pdf_table(block: list[tuple[int, int, str]], before: str) -> Table | None:
    """A table from PDF lines: `label value value …`, period header lines, label-only lines."""
    headers: list[Row] = []
    rows: list[Row] = []
    pending: tuple[int, str] | None = None  # a label-only line: a section, or a wrapped label
    for start, end, line in block:
        years = _year_header(line)
        parsed = _pdf_row(line)
        if years and not rows:
            headers.append(Row(label=years[0], cells=years[1], start=start, end=end))
        elif parsed:
            label, cells = parsed
            if pending and label[:1].islower():  # "… to 737 MAX" / "customers 16 14 (498)"
                label, start = f"{pending[1]} {label}", pending[0]
            rows.append(Row(label=label, cells=cells, start=start, end=end))
            pending = None
        elif years:
            break  # a second table's header: stop this one here
        else:
            pending = (start, line)
            rows.append(Row(label=line.rstrip(":"), cells=[], start=start, end=end))
    data = [r for r in rows if r.cells]
    if len(data) < 2 and not (data and headers):
        return None
    return _assemble(headers, rows, before)


def _assemble(headers: list[Row], rows: list[Row], before: str) -> Table:
    """Column labels from the header lines, and section labels pushed down onto their rows."""
    width = max((len(r.cells) for r in rows), default=0)
    columns = [""] * width
    notes = [before.strip()]
    for n, header in enumerate(headers):
        notes.append(header.label)
        cells = header.cells[-width:] if len(header.cells) >= width else header.cells
        filled = [c for c in cells if c]
        if len(cells) < width or (len(filled) == 1 and width > 1):
            notes.extend(filled)  # a spanning header ("Year Ended December 31,") covers all
            continue
        if n < len(headers) - 1:  # above another header line: "2019 |  | 2018 |" spans right
            cells = [
                c or next((p for p in reversed(cells[:k]) if p), "") for k, c in enumerate(cells)
            ]
        last_year = ""
        for k, cell in enumerate(cells):
            last_year = year_of(cell) or last_year
            label = cell or ""
            if label and not _PERIOD_CELL.search(label) and last_year and not _ACROSS.search(label):
                label = f"{label} ({last_year})"  # "Grant Date Fair Value" under 2019
            columns[k] = f"{columns[k]} {label}".strip()
    kept = []
    dated, section, after_data = "", "", False
    for row in rows:
        if any(row.cells):
            kept.append(row.model_copy(update={"section": f"{dated} {section}".strip()}))
            after_data = True
            continue
        label = row.label.rstrip(":").strip()
        if _PERIOD_CELL.search(label):  # a period section holds until the next period section
            dated, section = label, ""
        else:
            section = label if after_data or not section else f"{section} {label}"
        after_data = False
    start = min([r.start for r in headers + rows])
    end = max([r.end for r in headers + rows])
    note = " ".join(n for n in notes if n)
    return Table(start=start, end=end, headers=headers, columns=columns, note=note, rows=kept)


def _pdf_row(line: str) -> tuple[str, list[str]] | None:
    """(label, value cells) of a PDF table line, or None when it does not end in values."""
    tokens = line.split()
    cells: list[str] = []
    k = len(tokens)
    while k > 0:
        token = tokens[k - 1]
        if token in ("%", ")") and k > 1 and is_value(tokens[k - 2] + token):
            token, k = tokens[k - 2] + token, k - 1
        if not is_value(token):
            break
        if k > 1 and tokens[k - 2] in ("$", "€", "£", "(", "$("):
            token, k = tokens[k - 2] + token, k - 1
        if year_of(token) and k > 1 and _MONTH.search(tokens[k - 2]):
            break  # "December 31, 2019" belongs to the label
        cells.insert(0, token)
        k -= 1
    label = " ".join(tokens[:k])
    if not cells or not re.search(r"[A-Za-z]", label) or len(label) > MAX_LABEL:
        return None
    if re.search(r"[a-z]{3}[.?!]$|[?!]$", label) or all(year_of(c) for c in cells):
        return None  # a sentence ending in a figure ("… rose to 5"), or a header of years
    return label, cells


def _year_header(line: str) -> tuple[str, list[str]] | None:
    """(label, years) of a header line ending in two or more periods, e.g. `(Millions) 2018 2017`."""
    tokens = line.split()
    years: list[str] = []
    while tokens and year_of(tokens[-1]):
        years.insert(0, tokens.pop())
    if len(years) < 2:
        return None
    return " ".join(tokens), years


def _label_line(line: str) -> bool:
    """A short line that ends no sentence: a section label or the first half of a wrapped label."""
    return len(line) <= 80 and not re.search(r"[a-z]{3}[.?!]$|[?!]$", line)
