"""FinanceBench with uninformative file names: each PDF copied under an accession-like number.

EDGAR downloads are named by accession number (`0001558370-19-000470.pdf`), so a user's filings
rarely arrive named `3M_2018_10K.pdf`. `investor-qa eval financebench --anonymous-names` copies
the PDFs into the eval cache under such numbers (never touching the data folder) and measures
the same questions again; the scores must then rest on what the documents say they are.
"""

import hashlib
import shutil
from pathlib import Path

FOLDER = "anonymous-pdfs"


def accession_name(doc: str) -> str:
    """A stable accession-like number for a document name: `0000812345-19-004567`."""
    digest = int(hashlib.sha256(doc.encode()).hexdigest(), 16)
    filer, year, sequence = digest % 10**7, 10 + digest // 10**7 % 14, digest // 10**9 % 10**6
    return f"{filer:010d}-{year:02d}-{sequence:06d}"


def anonymous_pdfs(root: Path, cache_dir: Path, docs: list[str]) -> tuple[Path, dict[str, str]]:
    """The folder of renamed copies (made once) and {accession-like name: original name}."""
    folder = cache_dir / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    names = {accession_name(doc): doc for doc in docs}
    if len(names) != len(docs):
        raise ValueError("two documents got the same accession-like name")
    for anonymous, doc in names.items():
        target = folder / f"{anonymous}.pdf"
        if not target.is_file():
            tmp = target.with_suffix(".tmp")
            shutil.copyfile(root / "pdfs" / f"{doc}.pdf", tmp)
            tmp.replace(target)
    return folder, names


def original_places(places: dict, names: dict[str, str]) -> dict:
    """rowid → (original file name, page), so gold pages are compared under their own names."""
    return {
        rowid: (f"{names.get(Path(path).stem, Path(path).stem)}.pdf", page)
        for rowid, (path, page) in places.items()
    }
