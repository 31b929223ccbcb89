"""What every command shares: the `storylens` group, the --db option, opening the store, and
printing scraped text safely (consoles that never obey its control characters)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape

from storylens.config import Config
from storylens.store import StoreError, open_store

# Piped output is not cut to 80 columns: tables stay one row per line.
out = Console(highlight=False, width=None if sys.stdout.isatty() else 200)


err = Console(stderr=True, highlight=False, width=None if sys.stderr.isatty() else 200)


# What a terminal would obey rather than show: C0 and C1 controls (ESC, CSI, BEL...) but tab
# and newline, and the invisible bidirectional and zero-width marks that reorder a line.
TERMINAL_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def shown(text) -> str:
    """`text` as the terminal may print it: control characters dropped, rich markup escaped."""
    return escape(TERMINAL_CONTROLS.sub("", str(text)))


ENTITY_TYPES = ["PERSON", "ORG", "GPE", "LOC", "NORP", "EVENT", "OTHER"]


db_option = click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The store (default: $STORYLENS_DB or ./storylens.db).",
)


def store_at(db: Path | None):
    try:
        return open_store(db or Config().db)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc


@click.group()
@click.version_option(package_name="storylens")
def main() -> None:
    """storylens: read the news across many outlets."""
