"""The five real seed articles (../shared/seeds): real titles, bodies without chrome, datelines
and dates where the text states one. Skipped when shared/ is absent."""

from __future__ import annotations

import pytest
from conftest import SHARED

SEEDS = SHARED / "seeds"
pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not here")

EXPECTED = {
    "000_586557da87a7b4d9.txt": (
        "Pentagon claims Iran-Syria defense deal won’t stop its efforts to fight ISIS",
        "TEHRAN",
        None,
    ),
    "001_ea8967fd1e33b02d.txt": (
        "Pentagon Says Iran's New Syria Defense Deal Won't Stop Efforts to Fight ISIS",
        None,
        None,
    ),
    "002_28742329436df9c3.txt": (
        "Gen. Baqeri Signs Military-Security Deal in Damascus",
        "DAMASCUS",
        "2020-07-08T22:26",
    ),
    "003_069841de83bb5ab0.txt": (
        "Iran, Syria sign military and security agreement",
        "TEHRAN",
        "2020-07-08T18:20",
    ),
    "004_f145b027268d1867.txt": (
        "Iran Announces Strengthening Military Cooperation with Damascus",
        "Damascus, London",
        None,
    ),
}
# Lines of each seed that are site chrome, and must not be in the body.
CHROME = {
    "000_586557da87a7b4d9.txt": ["MH/PA", "Leave a Comment"],
    "001_ea8967fd1e33b02d.txt": [
        "Check Also",
        "Russian Offensive Campaign Assessment, November 18, 2024",
    ],
    "002_28742329436df9c3.txt": ["Thursday 13 August 2020", "News ID: 80431", "* Comment:"],
    "003_069841de83bb5ab0.txt": ["NA/PA", "July 8, 2020 - 18:20"],
    "004_f145b027268d1867.txt": [
        "Select Page",
        "Media ID: 55385644",
        "Caption:",
        "Iranian Military Chief of Staff General Mohammad Bagheri via Reuters",
        "Middle-east Arab News Opinion | Asharq Al-awsat",
    ],
}


@pytest.fixture(scope="module")
def seeds(tmp_path_factory):
    import json

    from click.testing import CliRunner

    from storylens.cli import main

    db = tmp_path_factory.mktemp("seeds") / "seeds.db"
    runner = CliRunner()
    assert runner.invoke(main, ["ingest", str(SEEDS), "--db", str(db)]).exit_code == 0
    exported = json.loads(runner.invoke(main, ["export", "--db", str(db)]).stdout)
    return {a["source"].rsplit("/", 1)[-1]: a for a in exported["articles"]}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_seed_gets_its_title_dateline_and_date(seeds, name):
    title, dateline, published = EXPECTED[name]
    article = seeds[name]
    assert (article["title"], article["dateline"], article["published"]) == (
        title,
        dateline,
        published,
    )


@pytest.mark.parametrize("name", sorted(CHROME))
def test_each_seed_body_is_free_of_its_chrome_and_keeps_its_text(seeds, name):
    article = seeds[name]
    body = "\n".join(article["paragraphs"])
    for line in CHROME[name]:
        assert line not in article["paragraphs"]
        assert line in article["boilerplate"]
    assert not article["paragraphs"][0].startswith(("TEHRAN", "DAMASCUS"))
    raw = (SEEDS / name).read_text()
    kept = [p for p in article["paragraphs"]]
    assert all(p in raw for p in kept[1:])
    assert len(body.split()) > 250  # the whole story, not a fragment
