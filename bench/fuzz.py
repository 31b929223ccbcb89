"""Coverage-guided fuzzing (atheris, libFuzzer) of every reader and of the cleaner.

    .venv/bin/python bench/fuzz.py [--seconds 60] [target ...]

Each target runs in its own process for a bounded time, seeded with the bundled sample's files
of its kind. A reader may yield documents and problems or raise UnreadableInput (TooLarge
included); the cleaner may return an Article or raise UnreadableInput, or RecursionError (which
the pipeline reports as "nested too deeply"). Anything else, a reason that is not one printable
line, an input that takes more than 10 s or a process over 2 GB is a finding. Readers get the
bytes as a file of their kind, gzipped or not, or as a corrupt .gz. The table gives, per target,
the coverage (libFuzzer's edges) of the seed files alone, which is the baseline, and after
fuzzing, the inputs run and the findings (goal: none).

One target, as libFuzzer runs it:  bench/fuzz.py --run jsonl -max_total_time=30 CORPUS_DIR
"""

from __future__ import annotations

import argparse
import gzip
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "examples" / "sample"
sys.path.insert(0, str(ROOT))

READERS = {"text": ".txt", "html": ".html", "jsonl": ".jsonl", "warc": ".warc"}
TARGETS = [*READERS, "clean-text", "clean-html"]
MAX_BYTES = 1_000_000


def seeds(target: str) -> list[bytes]:
    """The sample's files of the target's kind, decompressed, as the first inputs."""
    suffix = READERS.get(target) or (".txt" if target == "clean-text" else ".html")
    found = []
    for path in sorted(SAMPLE.rglob("*")):
        name = path.name.removesuffix(".gz")
        if path.is_file() and name.endswith(suffix):
            data = path.read_bytes()
            try:
                found.append(gzip.decompress(data) if path.name.endswith(".gz") else data)
            except (EOFError, OSError):  # the sample's broken files are seeds too, as they are
                found.append(data)
    return found


def reader_target(kind: str):
    from storylens.ingest import read_path
    from storylens.model import Problem, UnreadableInput

    folder = Path(tempfile.mkdtemp(prefix="storylens-fuzz-"))
    suffix = READERS[kind]

    def one_input(data: bytes) -> None:
        mode, body = (data[0] % 3, data[1:]) if data else (0, b"")
        path = folder / ("input" + suffix + (".gz" if mode else ""))
        path.write_bytes(gzip.compress(body) if mode == 1 else body)  # mode 2: a corrupt .gz
        try:
            for item in read_path(path, MAX_BYTES):
                if isinstance(item, Problem):
                    assert_one_line(item.reason)
        except UnreadableInput as exc:
            assert_one_line(exc.reason)

    return one_input


def clean_target(kind: str):
    from storylens.clean import clean
    from storylens.model import RawDoc, UnreadableInput

    def one_input(data: bytes) -> None:
        text = data.decode("utf-8", "replace")
        raw = RawDoc(source="fuzz", text=text) if kind == "clean-text" else RawDoc(source="fuzz", html=text)
        try:
            article = clean(raw)
        except UnreadableInput as exc:
            assert_one_line(exc.reason)
            return
        except RecursionError:
            return
        assert article.paragraphs and article.id.startswith("a_")

    return one_input


def assert_one_line(reason: str) -> None:
    if not reason or len(reason) > 200 or not reason.isprintable():
        raise AssertionError(f"not one printable line of reason: {reason!r}")


def run_one(target: str, libfuzzer_args: list[str]) -> None:
    """Fuzz one target in this process (libFuzzer decides when to stop)."""
    import atheris

    with atheris.instrument_imports(include=["storylens"]):
        one_input = reader_target(target) if target in READERS else clean_target(target)
    atheris.Setup([sys.argv[0], *libfuzzer_args], one_input)
    atheris.Fuzz()


def measure(target: str, seconds: int) -> dict:
    """Run one target in a child process for `seconds`; its figures from libFuzzer's output."""
    corpus = Path(tempfile.mkdtemp(prefix=f"storylens-{target}-"))
    artifacts = corpus / "findings"
    artifacts.mkdir()
    for i, seed in enumerate(seeds(target)):
        (corpus / f"seed-{i}").write_bytes(bytes([0]) + seed if target in READERS else seed)
    command = [
        sys.executable, __file__, "--run", target, f"-max_total_time={seconds}", "-timeout=10",
        "-rss_limit_mb=2048", "-max_len=200000", f"-artifact_prefix={artifacts}/", str(corpus),
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds * 3 + 300)
    log = done.stdout + done.stderr
    cov = [int(c) for c in re.findall(r"\bcov: (\d+)", log)]
    inited = re.search(r"INITED cov: (\d+)", log)
    runs = re.findall(r"Done (\d+) runs", log) or re.findall(r"#(\d+)", log)
    found = [p.name for p in artifacts.iterdir()]
    if found:
        print(f"{target}: findings in {artifacts}: {', '.join(found)}\n{log[-3000:]}", file=sys.stderr)
    else:
        shutil.rmtree(corpus)
    return {
        "target": target,
        "seeds": len(seeds(target)),
        "seed_cov": int(inited.group(1)) if inited else 0,
        "cov": max(cov, default=0),
        "runs": int(runs[-1]) if runs else 0,
        "findings": len(found) + (0 if done.returncode == 0 or found else 1),
    }


def main() -> None:
    if sys.argv[1:2] == ["--run"]:
        return run_one(sys.argv[2], sys.argv[3:])
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("targets", nargs="*", default=TARGETS, help=f"some of {', '.join(TARGETS)}")
    parser.add_argument("--seconds", type=int, default=60, help="fuzzing time per target")
    args = parser.parse_args()
    print(f"{'target':<12} {'seeds':>5} {'cov (seeds: baseline)':>22} {'cov fuzzed':>10} {'runs':>9} "
          f"{'findings':>8}  goal: 0 findings")  # fmt: skip
    for target in args.targets:
        row = measure(target, args.seconds)
        figures = f"{row['seeds']:>5} {row['seed_cov']:>22} {row['cov']:>10} {row['runs']:>9}"
        print(f"{row['target']:<12} {figures} {row['findings']:>8}", flush=True)


if __name__ == "__main__":
    main()
