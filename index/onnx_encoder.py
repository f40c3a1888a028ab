"""Encode questions with an ONNX export of the embedding model, so asking never imports torch.

Building exports the sentence-transformers model (transformer, mean pooling, normalisation) once
into `<index_dir>/onnx/`, beside the versions, with its tokenizer and a probe: one sentence and
the vector sentence-transformers gave it. Asking loads the export with onnxruntime and checks the
probe first; importing torch alone costs about 6 s on this machine, onnxruntime a tenth of that.
A missing, damaged or mismatched export falls back to sentence-transformers with a warning: a
slower start, never a wrong answer.
"""

import json
import logging
import shutil
import uuid
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from index.embed import Embedder, Progress, SentenceTransformerEmbedder

if TYPE_CHECKING:
    import onnxruntime
    from tokenizers import Tokenizer

logger = logging.getLogger(__name__)

ONNX_DIR = "onnx"
MAX_TOKENS = 256  # the model's window; sentence-transformers truncates there too
PROBE = "Alibaba will invest RMB 380 billion ($53 billion) in AI and cloud infrastructure."
MIN_PROBE_COSINE = 0.9999
_INPUTS = ("input_ids", "attention_mask", "token_type_ids")


class OnnxEmbedder:
    """all-MiniLM-L6-v2 through onnxruntime; same name and vectors as the torch model."""

    def __init__(self, export_dir: Path):
        self.export_dir = Path(export_dir)
        meta = json.loads((self.export_dir / "probe.json").read_text())
        self.name: str = meta["model"]
        self.dim: int = meta["dim"]
        self._probe = np.asarray(meta["vector"], dtype=np.float32)
        self._session: onnxruntime.InferenceSession | None = None
        self._tokenizer: Tokenizer | None = None

    def load(self) -> None:
        """Open the session and check the probe; raises when the export cannot be trusted."""
        if self._session is not None:
            return
        import onnxruntime
        from tokenizers import Tokenizer

        options = onnxruntime.SessionOptions()
        # One thread: a question is one short sequence, a second thread mostly waits (and was
        # 2x slower on a busy machine); a server answers several questions in parallel instead.
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self._session = onnxruntime.InferenceSession(
            str(self.export_dir / "model.onnx"), options, providers=["CPUExecutionProvider"]
        )
        tokenizer = Tokenizer.from_file(str(self.export_dir / "tokenizer.json"))
        tokenizer.enable_truncation(MAX_TOKENS)
        tokenizer.enable_padding()
        self._tokenizer = tokenizer
        cosine = float(self._encode([PROBE])[0] @ self._probe)
        if cosine < MIN_PROBE_COSINE:
            self._session = None
            raise ValueError(f"probe vector differs from the torch model's (cosine {cosine:.5f})")

    def _loaded(self) -> tuple["onnxruntime.InferenceSession", "Tokenizer"]:
        if self._session is None or self._tokenizer is None:
            raise RuntimeError("OnnxEmbedder used before load()")
        return self._session, self._tokenizer

    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        session, tokenizer = self._loaded()
        encodings = tokenizer.encode_batch(list(texts))
        feed = {
            name: np.array([getattr(e, attr) for e in encodings], dtype=np.int64)
            for name, attr in zip(_INPUTS, ("ids", "attention_mask", "type_ids"), strict=True)
        }
        return session.run(None, feed)[0].astype(np.float32)

    def encode_documents(
        self, texts: Sequence[str], batch_size: int = 32, progress: Progress | None = None
    ) -> np.ndarray:
        """Encode passages in batches of similar token length, so batches pad little."""
        self.load()
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        lengths = [len(e.ids) for e in self._loaded()[1].encode_batch(list(texts))]
        order = sorted(range(len(texts)), key=lambda i: -lengths[i])
        for b in range(0, len(order), batch_size):
            idx = order[b : b + batch_size]
            out[idx] = self._encode([texts[i] for i in idx])
            if progress:
                progress(len(idx))
        return out

    def encode_query(self, text: str) -> np.ndarray:
        """Encode one question."""
        self.load()
        return self._encode([text])[0]


def query_embedder(index_dir: Path, fallback: Embedder) -> Embedder:
    """The ONNX encoder when the index has a sound export, else `fallback` (sentence-transformers)."""
    export_dir = Path(index_dir) / ONNX_DIR
    try:
        embedder = OnnxEmbedder(export_dir)
        embedder.load()
        return embedder
    except Exception as exc:  # any flaw in the export: the slow path still answers correctly
        logger.warning(
            "ONNX encoder in %s unusable (%s: %s); loading sentence-transformers instead "
            "(slower start; `investor-qa index` exports it again)",
            export_dir,
            type(exc).__name__,
            exc,
        )
        return fallback


def ensure_onnx_export(index_dir: Path, embedder: Embedder) -> Path | None:
    """Export a sentence-transformers `embedder` into `index_dir` unless a sound export exists."""
    embedder = getattr(embedder, "builder", embedder)  # a SmallUpdateEmbedder's full model
    if not isinstance(embedder, SentenceTransformerEmbedder):
        return None
    target = Path(index_dir) / ONNX_DIR
    try:
        existing = OnnxEmbedder(target)
        existing.load()  # about 0.2 s; catches a damaged model file as well as a stale probe
        if existing.name == embedder.name:
            return target
    except Exception as exc:  # onnxruntime's load errors share no narrower base class
        logger.info(
            "ONNX export in %s missing, damaged or stale (%s): exporting afresh", target, exc
        )
    try:
        return _export(embedder, target)
    except Exception:  # the index is still good; questions just start slower
        logger.warning("could not export the model to ONNX; asking will load torch", exc_info=True)
        return None


def _export(embedder: SentenceTransformerEmbedder, target: Path) -> Path:
    import torch

    from index.tokens import model_dir

    model = embedder.model
    device = model.device

    class Pooled(torch.nn.Module):
        """Transformer, mean pooling over real tokens, then L2 normalisation."""

        def __init__(self, transformer):
            super().__init__()
            self.transformer = transformer

        def forward(self, input_ids, attention_mask, token_type_ids) -> "torch.Tensor":  # noqa: ANN001
            hidden = self.transformer(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            mean = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(mean, dim=-1)

    tmp = target.parent / f".onnx-{uuid.uuid4().hex[:8]}"
    tmp.mkdir(parents=True)
    try:
        sample = torch.ones(2, 8, dtype=torch.long)
        dynamic = {name: {0: "batch", 1: "tokens"} for name in _INPUTS}
        with warnings.catch_warnings():  # tracer chatter about shapes that are in fact dynamic
            warnings.simplefilter("ignore")
            torch.onnx.export(
                Pooled(model[0].auto_model.cpu()).eval(),
                (sample, torch.ones_like(sample), torch.zeros_like(sample)),
                str(tmp / "model.onnx"),
                input_names=list(_INPUTS),
                output_names=["embedding"],
                dynamic_axes=dynamic | {"embedding": {0: "batch"}},
                opset_version=17,
                dynamo=False,  # the TorchScript exporter handles BERT's dynamic shapes in ~2 s
            )
        model.to(device)
        shutil.copy(model_dir() / "tokenizer.json", tmp / "tokenizer.json")
        probe = embedder.encode_documents([PROBE])[0]
        meta = {"model": embedder.name, "dim": embedder.dim, "vector": probe.tolist()}
        (tmp / "probe.json").write_text(json.dumps(meta))
        OnnxEmbedder(tmp).load()  # refuse to publish an export that disagrees with torch
        shutil.rmtree(target, ignore_errors=True)
        tmp.rename(target)
        return target
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
