"""The web app and the static report: `serve` and `report`."""

from __future__ import annotations

from pathlib import Path

import click

from storylens.cli.common import db_option, main, out, shown, store_at
from storylens.cli.feeds import parse_interval
from storylens.config import Config


@main.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, help="Port to listen on.")
@click.option("--watch", "follow", is_flag=True, help="Also poll the feeds in the background.")
@click.option("--interval", default="15m", show_default=True, help="With --watch: time between polls.")
@click.option("--allow-private", is_flag=True, help="With --watch: allow fetching from private networks.")
@click.option(
    "--allow-host",
    "names",
    multiple=True,
    envvar="STORYLENS_HOSTS",
    help="A host name the server answers to, besides localhost, IP addresses and --host "
    "(repeat it; $STORYLENS_HOSTS holds several, space-separated).",
)
def serve(db, host, port, follow, interval, allow_private, names) -> None:
    """The web app and the JSON API (/api/v1/...). Writing needs $STORYLENS_TOKEN as a bearer token."""
    import gc
    import os

    import uvicorn

    from storylens.web.app import create_app

    token = os.environ.get("STORYLENS_TOKEN") or None
    if not is_loopback(host) and not token:
        raise click.ClickException(
            f"refusing to listen on {host} without a token: set STORYLENS_TOKEN, or use --host 127.0.0.1"
        )
    path = db or Config().db
    store_at(path).close()  # a clear error now rather than on the first request
    if follow:
        from storylens.fetch.watch import watch_in_background

        watch_in_background(path, parse_interval(interval), allow_private)
    app = create_app(path, token, hosts=(host, *names))
    # What is loaded by now lives as long as the server: kept out of the cyclic collector's full
    # passes, whose pauses were the slowest requests on a store of a million articles (README).
    gc.freeze()
    uvicorn.run(app, host=host, port=port, log_level="warning")


@main.command()
@db_option
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The folder to write the site into.",
)
def report(db, out_dir) -> None:
    """The web app's pages as a static site that opens from disk (zip it to share it)."""
    from storylens.web.report import write_report

    with store_at(db) as store:
        path = store.path
    count = write_report(path, out_dir)
    out.print(f"{count} pages written to {shown(str(out_dir))}; open {shown(str(out_dir / 'index.html'))}")


def is_loopback(host: str) -> bool:
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
