"""CPU seconds and vectors of the sentence encoder's backends, in one process (issue 17).

    .venv/bin/python bench/encoder_backends.py [--texts 2000] [--repeats 2]

The same real sentences (basil-dev, claim length: 6 to 60 words) are embedded by
- storylens's embed() as it runs by default (bfloat16 autocast where the CPU has it, equal-length
  groups, up to two worker threads), and with one worker;
- torch float32 (STORYLENS_EMBED_PRECISION=float32: padded batches, as sentence-transformers);
- onnxruntime on one thread (no spinning), over the same equal-length groups, of an ONNX export
  of the package's own weights (made in a temporary folder at run time), float32 and int8
  (dynamic quantisation: per tensor, per channel, and the weight-only MatMuls alone).
Printed for each: CPU seconds (time.process_time, every thread of the process) per 1,000 texts,
texts per CPU second, wall seconds, and the cosine of its vectors to the default's (mean, min).
Each backend is warmed on a few texts first; the best of `repeats` runs is printed.
"""

from __future__ import annotations

import argparse
import hashlib
import logging
import os
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from basil_gold import rows, sentences  # noqa: E402

from storylens.understand import embed as storylens_embed  # noqa: E402

INPUTS = ("input_ids", "attention_mask", "token_type_ids")
WARM = 200


@dataclass
class Measured:
    label: str
    cpu_seconds: float
    wall_seconds: float
    vectors: np.ndarray


def claim_sentences(count: int) -> list[str]:
    """`count` distinct basil-dev sentences of 6 to 60 words, in an order fixed by their hash."""
    found = {s for row in rows() for s in sentences(row["text"]) if 6 <= len(s.split()) <= 60}
    return sorted(found, key=lambda s: hashlib.sha1(s.encode()).hexdigest())[:count]


def export_onnx(folder: Path) -> Path:
    """The package's BERT (last-layer states out) as ONNX, from the weights storylens loads."""
    import torch

    model = storylens_embed.load_model()

    class Encoder(torch.nn.Module):
        def __init__(self, bert):
            super().__init__()
            self.bert = bert

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.bert(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state

    example = model.tokenizer(["an example of a sentence"], return_tensors="pt")
    path = folder / "minilm.onnx"
    torch.onnx.export(
        Encoder(model.bert).eval(),  # a module left in training mode turns the model's dropout on
        tuple(example[n] for n in INPUTS),
        str(path),
        input_names=list(INPUTS),
        output_names=["states"],
        dynamic_axes={n: {0: "batch", 1: "pieces"} for n in [*INPUTS, "states"]},
        opset_version=17,
        dynamo=False,
    )
    model.bert.eval()  # the exporter restores the wrapper's mode on every submodule
    return path


def quantised(source: Path, folder: Path) -> dict[str, Path]:
    """int8 dynamic quantisations of the export: per tensor (onnxruntime's default), per channel,
    and per channel with only the MatMuls by a weight quantised (attention's products stay float)."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    variants = {
        "int8 per tensor": {},
        "int8 per channel": {"per_channel": True},
        "int8 per channel, weights only": {"per_channel": True, "extra_options": {"MatMulConstBOnly": True}},
    }
    found = {}
    for label, options in variants.items():
        path = folder / f"minilm-{len(found)}.onnx"
        quantize_dynamic(str(source), str(path), weight_type=QuantType.QInt8, **options)
        found[label] = path
    return found


def onnx_session(path: Path):
    """One intra-op thread, no spinning, sequential: the process's only compute thread."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.add_session_config_entry("session.inter_op.allow_spinning", "0")
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


def onnx_embed(session, texts: list[str], batch_size: int = 64) -> np.ndarray:
    """Unit-length mean-pooled vectors over storylens's equal-length groups (no padding)."""
    model = storylens_embed.load_model()
    vectors = np.zeros((len(texts), storylens_embed.DIMENSIONS), dtype=np.float32)
    lengths = storylens_embed._lengths(model, texts)
    for group in storylens_embed.equal_length_groups(lengths, batch_size):
        features = model.tokenizer(
            [texts[i] for i in group], truncation=True, max_length=model.max_seq_length, return_tensors="np"
        )
        states = session.run(None, {n: features[n].astype(np.int64) for n in INPUTS})[0]
        pooled = states.mean(axis=1)  # equal lengths: every piece is in the mask
        vectors[group] = pooled / np.linalg.norm(pooled, axis=1, keepdims=True)
    return vectors


def with_env(settings: dict[str, str], run: Callable[[list[str]], np.ndarray]) -> Callable:
    """run with the environment variables set for its duration."""

    def wrapped(texts: list[str]) -> np.ndarray:
        kept = {k: os.environ.get(k) for k in settings}
        os.environ.update(settings)
        try:
            return run(texts)
        finally:
            for k, v in kept.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v

    return wrapped


def measure(label: str, run: Callable[[list[str]], np.ndarray], texts: list[str], repeats: int) -> Measured:
    """The best of `repeats` timed runs, after a warm run on a few texts."""
    run(texts[-WARM:])
    best = None
    for _ in range(repeats):
        cpu, wall = time.process_time(), time.perf_counter()
        vectors = run(texts)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        if best is None or cpu < best.cpu_seconds:
            best = Measured(label, cpu, wall, vectors)
    return best


def backends(folder: Path) -> list[tuple[str, Callable]]:
    """(label, run) of every backend, the storylens default first."""
    default = storylens_embed.precision()
    one_worker = {"STORYLENS_EMBED_WORKERS": "1"}
    found = [
        (f"torch {default} (storylens default)", storylens_embed.embed),
        (f"torch {default}, one worker", with_env(one_worker, storylens_embed.embed)),
        (
            "torch float32, one worker",
            with_env({**one_worker, "STORYLENS_EMBED_PRECISION": "float32"}, storylens_embed.embed),
        ),
    ]
    exported = export_onnx(folder)
    for label, path in {"float32": exported, **quantised(exported, folder)}.items():
        session = onnx_session(path)
        found.append((f"onnxruntime {label}", lambda texts, s=session: onnx_embed(s, texts)))
    return found


def report(results: list[Measured], count: int) -> None:
    reference = results[0].vectors
    print(f"Sentence encoder backends on {count} basil-dev sentences (6-60 words), {os.cpu_count()} cores")
    print(
        f"{'backend':<46}{'CPU s/1k':>9}{'texts/CPU s':>12}{'wall s':>8}{'x default':>10}"
        f"{'cos mean':>9}{'min':>8}"
    )
    for found in results:
        cosines = (found.vectors * reference).sum(axis=1)
        print(
            f"{found.label:<46}{found.cpu_seconds * 1000 / count:>9.2f}{count / found.cpu_seconds:>12.1f}"
            f"{found.wall_seconds:>8.1f}{results[0].cpu_seconds / found.cpu_seconds:>10.2f}"
            f"{cosines.mean():>9.4f}{cosines.min():>8.4f}"
        )
    print("x default: CPU seconds of the default / the backend's; cos: to the default's vectors")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--texts", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()
    warnings.filterwarnings("ignore")  # the ONNX exporter's tracer notes are not results
    logging.getLogger().setLevel(logging.ERROR)
    texts = claim_sentences(args.texts)
    with tempfile.TemporaryDirectory(prefix="storylens-encoders-") as folder:
        results = [measure(label, run, texts, args.repeats) for label, run in backends(Path(folder))]
    report(results, len(texts))


if __name__ == "__main__":
    main()
