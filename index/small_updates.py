"""Encode small index updates with the ONNX export, so adding one article never loads torch.

Loading sentence-transformers costs about 10 s on this machine, far more than encoding a few
chunks. When an index already has a sound ONNX export of the same model (checked by its probe),
a small batch is encoded there; large batches, or no export, use the full model.
"""

import logging
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from index.embed import Embedder, Progress
from index.onnx_encoder import ONNX_DIR, OnnxEmbedder

logger = logging.getLogger(__name__)

# Above this many chunks the full model's two threads win back its load time.
SMALL_UPDATE = 64


class SmallUpdateEmbedder:
    """An Embedder that encodes batches of at most `small` texts with the ONNX export."""

    def __init__(self, builder: Embedder, index_dir: Path, small: int = SMALL_UPDATE):
        self.builder = builder
        self.name, self.dim = builder.name, builder.dim
        self.export_dir = Path(index_dir) / ONNX_DIR
        self.small = small
        self._export: OnnxEmbedder | None = None
        self._looked = False  # for an export, once

    def load(self) -> None:
        """Nothing yet: which model to load depends on how much there is to encode."""

    def encode_documents(
        self, texts: Sequence[str], batch_size: int = 32, progress: Progress | None = None
    ) -> np.ndarray:
        """Small batches through the ONNX export when it is sound, the rest through the model."""
        export = self._sound_export() if len(texts) <= self.small else None
        if export is not None:
            return export.encode_documents(texts, batch_size, progress)
        self.builder.load()
        return self.builder.encode_documents(texts, batch_size, progress)

    def encode_query(self, text: str) -> np.ndarray:
        """Encode one question with whichever model is at hand."""
        return (self._sound_export() or self.builder).encode_query(text)

    def _sound_export(self) -> OnnxEmbedder | None:
        if not self._looked:
            self._looked = True
            try:
                export = OnnxEmbedder(self.export_dir)
                export.load()  # checks the probe against the full model's vector
                self._export = export if export.name == self.name else None
            except Exception as exc:  # none yet (first build) or unusable: use the full model
                logger.debug("no usable ONNX export in %s: %s", self.export_dir, exc)
                self._export = None
        return self._export
