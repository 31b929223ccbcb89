"""The shareable report: the web app's pages written as a static site that opens from disk.

Every page is rendered by the app itself (in process, no socket), then its links are made
relative (`/stories/ID` becomes `stories/ID.html`), so the folder can be zipped and mailed.
A page opened from disk gets no HTTP headers, so each carries its Content-Security-Policy in a
<meta> element: no script at all, styles and images from the folder only.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from fastapi.testclient import TestClient

from storylens.compare.outlets import slugs
from storylens.store import open_store
from storylens.web.app import HERE, create_app

LINK = re.compile(r'(href|src|action)="/([^"]*)"')
CSP = (
    "default-src 'none'; script-src 'none'; style-src 'self' file:; img-src 'self' file: data:; "
    "base-uri 'none'; form-action 'none'"
)
CHARTS = ("network", "matrix", "attention", "blindspots", "framing")
CSP_META = f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'


def write_report(db: str | Path, out: str | Path) -> int:
    """Write index.html, stories/, articles/, entities/, outlets/ (and the outlets, blindspots,
    framing and attention pages with the CSV behind their charts, charts/) and static/ under
    `out`; returns the page count."""
    out = Path(out)
    with open_store(db) as store:
        stories = [r["id"] for r in store.story_rows()]
        articles = [r.id for r in store.article_rows()]
        entities = [e["id"] for e in store.entity_rows()]
        outlets = sorted(slugs(list(store.outlet_counts())).values())
    pages = {"index.html": "/"}
    pages.update({f"stories/{i}.html": f"/stories/{i}" for i in stories})
    pages.update({f"articles/{i}.html": f"/articles/{i}" for i in articles})
    pages.update({f"entities/{i}.html": f"/entities/{i}" for i in entities})
    pages.update({f"outlets/{i}.html": f"/outlets/{i}" for i in outlets})
    pages.update({f"{p}.html": f"/{p}" for p in ("outlets", "blindspots", "framing", "attention")})
    # The numbers behind the charts, at the pages' default settings.
    pages.update({f"charts/{c}.csv": f"/charts/{c}.csv" for c in CHARTS})
    pages.update({f"charts/outlets/{i}.csv": f"/charts/outlets/{i}.csv" for i in outlets})
    with TestClient(create_app(db), base_url="http://localhost") as client:
        for target, path in pages.items():
            response = client.get(path, headers={"X-Storylens-Report": "1"})
            response.raise_for_status()
            depth = target.count("/")
            file = out / target
            file.parent.mkdir(parents=True, exist_ok=True)
            if target.endswith(".csv"):
                file.write_text(response.text, encoding="utf-8")
                continue
            page = response.text.replace('<meta charset="utf-8">', '<meta charset="utf-8">' + CSP_META, 1)
            file.write_text(relative(page, depth), encoding="utf-8")
    shutil.copytree(HERE / "static", out / "static", dirs_exist_ok=True)
    return len(pages)


def relative(html: str, depth: int) -> str:
    """Site-absolute links made relative to a page `depth` folders down, pages ending in .html."""
    prefix = "../" * depth

    def fix(match: re.Match) -> str:
        attribute, path = match.group(1), match.group(2)
        if path == "":
            target = "index.html"
        elif path.startswith("static/"):
            target = path
        elif path.split("?", 1)[0].endswith(".csv"):
            target = path.split("?", 1)[0]
        else:
            page, _, fragment = path.split("?", 1)[0].partition("#")
            target = page + ".html" + (f"#{fragment}" if fragment else "")
        return f'{attribute}="{prefix}{target}"'

    return LINK.sub(fix, html)
