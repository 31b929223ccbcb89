"""The command line: thin click wrappers over the library; it parses arguments and prints. One
module per family of commands, each registering its commands on `main` (common.py)."""

from storylens.cli import feeds, outlets, reading, serving, spark, writing  # noqa: F401  (registers)
from storylens.cli.common import main

__all__ = ["main"]
