"""The plain-text cleaner: title, dates, dateline and the line classifier, on text it never saw."""

from __future__ import annotations

import pytest

from storylens.clean import TEASERS, article_id, clean, line_key, split_lines
from storylens.clean.dateline import split_dateline
from storylens.clean.dates import date_field, find_date, is_date_line
from storylens.model import RawDoc, UnreadableInput

LEDE = (
    "Farmers in the Tamsin valley began planting on Monday, three weeks late, after the floods "
    "that covered their fields in April finally drained away."
)
REST = [
    "The agriculture ministry said about 40,000 hectares had been under water at the peak.",
    '"We lost a season, but not the land," said farmer Olek Brant, who grows barley and oats.',
    "Seed merchants said demand for fast-growing varieties had doubled since the waters fell.",
]


def cleaned(text: str, **meta) -> object:
    return clean(RawDoc(source="test.txt", text=text, **meta))


def test_title_is_the_first_line_when_it_summarises_the_body():
    article = cleaned("\n".join(["Tamsin farmers plant late after floods drain", LEDE, *REST]))
    assert article.title == "Tamsin farmers plant late after floods drain"
    assert article.paragraphs == [LEDE, *REST]


def test_title_skips_a_site_name_and_a_crawl_date_above_it():
    text = "\n".join(
        [
            "Valley Farmer Online | Farming news",
            "Monday 12 May 2025",
            "Tamsin farmers plant late after floods drain | VALLEY FARMER ONLINE",
            LEDE,
            *REST,
        ]
    )
    article = cleaned(text)
    assert article.title == "Tamsin farmers plant late after floods drain"
    assert article.published is None  # a date above the title is the crawl header, not the publication
    assert "Monday 12 May 2025" in [r.line for r in article.boilerplate]


def test_a_labelled_publication_field_beats_other_dates():
    text = "\n".join(
        [
            "Saturday 31 May 2025",
            "Tamsin farmers plant late after floods drain",
            "Last updated: 14 May 2025",
            "Published: 12 May 2025 - 08:30",
            LEDE,
            *REST,
        ]
    )
    article = cleaned(text)
    assert article.published == "2025-05-12T08:30"
    assert article.published_evidence == "Published: 12 May 2025 - 08:30"


def test_a_date_in_a_related_teaser_is_never_taken():
    text = "\n".join(
        [
            "Tamsin farmers plant late after floods drain",
            LEDE,
            *REST,
            "Related",
            "Floods kill 14 in Tamsin, April 14, 2025",
            "Rescuers searched through the night for …",
        ]
    )
    article = cleaned(text)
    assert article.published is None
    assert article.paragraphs == [LEDE, *REST]


def test_date_line_under_the_title_is_the_publication_date():
    article = cleaned(
        "\n".join(["Tamsin farmers plant late after floods drain", "May 12, 2025 - 8:30 pm", LEDE, *REST])
    )
    assert article.published == "2025-05-12T20:30"


def test_metadata_date_wins_and_says_so():
    article = cleaned("\n".join(["Tamsin farmers plant late", LEDE, *REST]), published="2025-05-11")
    assert (article.published, article.published_evidence) == ("2025-05-11", "metadata: 2025-05-11")


@pytest.mark.parametrize(
    ("paragraph", "place"),
    [
        ("TAMSIN — Farmers began planting on Monday after weeks of delay.", "TAMSIN"),
        (
            "BRENHOLT (Dispatches) -- The government promised new flood walls for the valley.",
            "BRENHOLT",
        ),
        (
            "RUSKOR, May 3 (Harbor Wire) - The central bank held its key rate at 14 percent.",
            "RUSKOR",
        ),
        (
            "Tamsin, Brenholt – Farmers began planting on Monday after weeks of delay.",
            "Tamsin, Brenholt",
        ),
        ("TAMSIN—Farmers began planting on Monday after weeks of delay.", "TAMSIN"),
        ("TAMSIN –- Farmers began planting on Monday after weeks of delay.", "TAMSIN"),
        ("TAMSIN ― Farmers began planting on Monday after weeks of delay.", "TAMSIN"),  # a horizontal bar
        ("TAMSIN ―Farmers began planting on Monday after weeks of delay.", "TAMSIN"),
        ("TAMSIN (KQTV 7) Farmers began planting on Monday after weeks of delay.", "TAMSIN"),  # no dash
        ("BRENHOLT, Val. (WBRN) A ferry ran aground on Monday near the harbour.", "BRENHOLT, Val."),
        ("Tamsin VT— Farmers began planting on Monday after weeks of delay.", "Tamsin VT"),  # a state's code
        # a dateline printed twice is taken off whole
        ("TAMSIN - TAMSIN – Farmers began planting on Monday after weeks of delay.", "TAMSIN"),
    ],
)
def test_datelines_are_parsed_and_removed(paragraph, place):
    found = split_dateline(paragraph)
    assert found is not None and found[0] == place
    assert not found[1].startswith(("—", "-", "–", "―", "(")) and found[1].startswith(
        "Farmers" if "Farm" in paragraph else ""
    )


@pytest.mark.parametrize(
    "paragraph",
    [
        "Farmers in Tamsin - the valley's main town - began planting on Monday.",
        "The U.S. - it said on Monday - will not change its position on the talks.",
        "Tamsin: a valley that floods every spring, and a government that never learns.",
        "U.S.—Valdria talks began on Monday after weeks of delay.",
        "Tamsin—the valley's main town—began planting on Monday.",
        "Tamsin―the valley's main town―began planting on Monday.",
        "FBI (Federal Bureau of Investigation) Director Ada Brandt spoke on Monday.",  # no dash, no station
        "Tamsin (KQTV) Farmers began planting on Monday after weeks of delay.",  # a town not in capitals
        "Tamsin VX— the valley's main town began planting on Monday.",  # no state's code, lower case after
        "Tamsin AB— Farmers began planting on Monday after weeks of delay.",  # no state's code
    ],
)
def test_prose_with_dashes_is_not_a_dateline(paragraph):
    assert split_dateline(paragraph) is None


def test_chrome_lines_are_removed_with_reasons():
    text = "\n".join(
        [
            "Tamsin farmers plant late after floods drain",
            "Share this article",
            "Photo: Tamsin fields under water in April / Valley Photo Desk",
            LEDE,
            *REST,
            "Story ID: 48213",
            "OK/TR",
            "Leave a Comment",
        ]
    )
    article = cleaned(text)
    assert article.paragraphs == [LEDE, *REST]
    reasons = {r.line: r.reason for r in article.boilerplate}
    assert set(reasons) == {
        "Share this article",
        "Photo: Tamsin fields under water in April / Valley Photo Desk",
        "Story ID: 48213",
        "OK/TR",
        "Leave a Comment",
    }
    assert "ID" in reasons["Story ID: 48213"] and "sign-off" in reasons["OK/TR"]


def test_short_body_lines_such_as_subheadings_and_last_sentences_stay():
    text = "\n".join(
        [
            "Tamsin farmers plant late after floods drain",
            LEDE,
            "What comes next",
            *REST,
            "Planting ends in June.",
        ]
    )
    article = cleaned(text)
    assert "What comes next" in article.paragraphs
    assert article.paragraphs[-1] == "Planting ends in June."


def test_lines_repeated_across_an_outlets_pages_are_chrome():
    line = "Valley Farmer is reader-funded and independent, and always free to read."
    text = "\n".join(["Tamsin farmers plant late after floods drain", LEDE, *REST, line])
    alone = cleaned(text)
    assert line in alone.paragraphs  # a sentence-like line on one page looks like body text
    repeated = clean(RawDoc(source="t.txt", text=text, outlet="Valley Farmer"), {line_key(line)})
    assert line not in repeated.paragraphs
    assert any("repeated" in r.reason for r in repeated.boilerplate if r.line == line)


def test_hard_wrapped_paragraphs_are_joined():
    wrapped = (
        "Tamsin farmers plant late after floods drain\n\n"
        "Farmers in the Tamsin valley began planting on Monday, three weeks late,\n"
        "after the floods that covered their fields in April finally drained away\n"
        "from the lowest fields near the river.\n\n"
        "The agriculture ministry said about 40,000 hectares had been under water\n"
        "at the peak of the flood in the third week of April this year.\n"
    )
    lines = split_lines(wrapped)
    assert len(lines) == 3 and lines[1].endswith("near the river.")


def test_nothing_left_is_unreadable():
    with pytest.raises(UnreadableInput, match="no article text"):
        cleaned("Share this\nLeave a Comment\nSubscribe\n")


def test_ids_derive_from_cleaned_content_only():
    first = cleaned(
        "\n".join(["Tamsin farmers plant late after floods drain", LEDE, *REST, "Leave a Comment"])
    )
    second = clean(
        RawDoc(
            source="elsewhere.txt",
            text="\n".join(["Tamsin farmers plant late after floods drain", LEDE, *REST]),
        )
    )
    assert first.id == second.id == article_id(first.title, first.paragraphs)
    assert first.raw_hash != second.raw_hash


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("08 July 2020 - 22:26", "2020-07-08T22:26"),
        ("July 8, 2020 - 18:20", "2020-07-08T18:20"),
        ("Thursday 13 August 2020", "2020-08-13"),
        ("Sept. 3rd, 2019 at 5:30 pm", "2019-09-03T17:30"),
        ("2021-03-04T05:06:07Z", "2021-03-04T05:06+00:00"),
        ("04.03.2025", "2025-03-04"),
    ],
)
def test_dates_are_normalised(text, iso):
    assert find_date(text).value == iso
    assert is_date_line(text)


def test_impossible_dates_and_prose_with_dates_are_not_date_lines():
    assert find_date("February 30, 2021") is None
    assert not is_date_line("Floods kill 14 in Tamsin, April 14, 2025, as rescuers search the valley")
    assert date_field("Publish Date: 13/07/2020")[1].value == "2020-07-13"


def test_terminal_escape_sequences_and_control_characters_never_reach_the_store():
    hostile = "\x1b[2J\x1b]0;pwned\x07Tamsin farmers plant late after floods drain"
    article = cleaned("\n".join([hostile, LEDE + "\x1b[31m", *REST, "\x9b31mtail"]))
    stored = " ".join([article.title, *article.paragraphs])
    assert "\x1b" not in stored and "\x07" not in stored and "\x9b" not in stored
    assert article.title.endswith("Tamsin farmers plant late after floods drain")


def test_html_entities_and_markup_in_titles_stay_text_for_the_cli(tmp_path, cli):
    (tmp_path / "a.txt").write_text(
        "\n".join(["[bold red]Breaking[/] <script>x()</script> farmers plant late", LEDE, *REST])
    )
    db = tmp_path / "s.db"
    cli("ingest", tmp_path, "--db", db)
    listing = cli("articles", "--db", db).output
    assert "[bold red]Breaking[/] <script>x()</script>" in listing


def test_a_text_without_a_headline_keeps_its_lead():
    lead = "Café owners in Port Ellis said on Monday the new rules would cost them dearly, and the mayor promised talks."
    second = "The council meets again next week to discuss the rules."
    article = cleaned(f"{lead}\n{second}\n")
    assert article.paragraphs == [lead, second]
    assert article.boilerplate == []
    assert article.title.startswith("Café owners in Port Ellis")


def test_the_repeated_line_bar_is_three_documents_and_thirty_percent_of_the_outlets():
    """Both engines ask clean.boilerplate.repeat_bar how many of an outlet's documents make a
    line its chrome."""
    from storylens.clean.boilerplate import repeat_bar
    from storylens.config import Config

    assert [repeat_bar(n, Config()) for n in (0, 5, 10, 11, 20)] == [3, 3, 3, 4, 6]


def test_a_print_edition_note_is_no_part_of_the_body_however_long_its_headline():
    note = (
        "A version of this article appears in print on March 4, 2026, on Page A12 of the New York "
        "edition with the headline: Council Approves Fenwick Bridge After a Decade of Argument Over Its Cost."
    )
    prose = "This story first appeared in print in the Quenby Courier, which the council quoted on Monday."
    body = (
        "The council of Quenby voted nine to four on Monday to build a bridge over the estuary.\n\n"
        "The harbour board, which opposed the bridge for a decade, said it would not appeal.\n\n"
    )
    article = clean(RawDoc(source="t.txt", text=f"Council approves the bridge\n\n{body}{prose}\n\n{note}\n"))
    assert prose in article.paragraphs
    assert not any("appears in print" in p for p in article.paragraphs)
    html = f"<html><body><article><h1>Council approves the bridge</h1><p>{body}</p><p>{prose}</p><p>{note}</p></article></body></html>"
    assert not any("appears in print" in p for p in clean(RawDoc(source="t.html", html=html)).paragraphs)


def test_a_photo_gallery_or_video_player_run_into_a_line_is_no_part_of_the_body():
    player = (
        "CLOSE Skip in Skip x Embed x Share Quenby harbour police describe the night of the fire at "
        "the ferry terminal. Two guards were hurt. Ada Brandt/The Quenby Courier"
    )
    gallery = (
        "Photo: Ada Brandt Image 1 of / 6 Caption Close Image 1 of 6 Firefighters stand outside the "
        "ferry terminal on Pier Road on Tuesday, March 3. Firefighters stand outside the ferry terminal "
        "on Pier Road on Tuesday, March 3. Photo: Ada Brandt Image 2 of 6 Smoke over the pier."
    )
    playlist = "None 2 of 3 Last VideoNext Video Storm closes the Quenby bypass for a third day"
    embeds = [
        "EMBED >More News Videos Firefighters describe the night of the terminal fire.",
        "1:47 Video Graphic: How a ferry terminal is built Pause",
        "Gallery: Firefighters stand outside the ferry terminal on Pier Road on Tuesday night.",
    ]
    captions = [
        "Buy Photo Firefighters outside the ferry terminal on Tuesday. (Photo: Ada Brandt / Quenby Courier)Buy Photo",
        "The guards were hurt when the roof fell, police said. View Full Caption Quenby Courier/Ada Brandt",
        "A firefighter carries a hose to the pier. (Photo: Quenby Fire Service)",
    ]
    body = (
        "A fire at the Quenby ferry terminal on Tuesday night hurt two guards, the harbour police said.\n\n"
        "Only 1 of 12 close friends of the terminal's owner said the building had no sprinklers.\n\n"
    )
    text = f"Fire at the ferry terminal\n\n{player}\n\n{captions[0]}\n\n{body}{gallery}\n\n{playlist}\n\n"
    text += "\n\n".join([*captions[1:], *embeds])
    article = clean(RawDoc(source="t.txt", text=text))
    assert article.paragraphs == [line for line in body.split("\n\n") if line]
    assert [r.line for r in article.boilerplate if r.reason == "photo caption, gallery or video player"] == [
        player,
        captions[0],
        gallery,
        playlist,
        *captions[1:],
        *embeds,
    ]
    html = "<html><body><article><h1>Fire at the ferry terminal</h1>" + "".join(
        f"<p>{p}</p>" for p in (player, *body.split("\n\n"), gallery, playlist) if p
    )
    paragraphs = clean(RawDoc(source="t.html", html=html + "</article></body></html>")).paragraphs
    assert not any("Image 1 of 6" in p or "Skip in Skip" in p or "Next Video" in p for p in paragraphs)
    assert (
        "A fire at the Quenby ferry terminal on Tuesday night hurt two guards, the harbour police said."
        in paragraphs
    )


def test_a_weather_widgets_forecast_is_no_part_of_the_body():
    lede = "A fire at the Quenby ferry terminal on Tuesday night hurt two guards, the harbour police said."
    forecast = [
        "Cloudy early with isolated showers developing this afternoon. High around 61F. Winds NW at 10 to 15 mph.",
        "Clear skies after midnight. Low 44F. Winds light and variable.",
    ]
    prose = "High winds fanned the fire, and the low tide kept the fireboat away, the chief said."
    text = "Fire at the ferry terminal\n\n" + "\n\n".join([lede, *forecast, prose]) + "\n"
    article = clean(RawDoc(source="t.txt", text=text))
    assert article.paragraphs == [lede, prose]
    assert [r.line for r in article.boilerplate if r.reason.startswith("site notice")] == forecast
    # a page that is nothing but the forecast holds no article
    with pytest.raises(UnreadableInput):
        clean(RawDoc(source="t.txt", text="Norfolk\n\nToday\n\n" + "\n\n".join(forecast)))


def test_a_site_notice_is_no_part_of_the_body_however_it_reads():
    notices = [
        "Copyright 2026 Harbor Wire. All rights reserved. This material may not be published, broadcast, rewritten or redistributed.",
        "(© 2026 Quenby Courier Media. All Rights Reserved.)",
        "RELATED: Ferry fares rise for the second time this year",
        "Related Coverage Two hurt in a fire on the Quenby bypass",
        "Your notification has been saved.",
        "Already have an account?",
        "We have sent you a verification email.",
        "Original story:",
        "READ MORE: Quenby pier reopens after the winter storms",
        "More: Two guards honoured for their courage at the terminal",
        "PREVIOUS STORY: Two guards were in critical condition on Tuesday night after the fire.",
        "Previous coverage:",
    ]
    prose = [
        "A fire at the Quenby ferry terminal on Tuesday night hurt two guards, the harbour police said.",
        "Related to the fire, the council said it would review the terminal's sprinklers before June.",
        "The copyright of the terminal's old posters, all rights reserved to the painter, was sold in 1998.",
        "Originally, reports said three guards were hurt, but the police corrected the count on Wednesday.",
        "More than forty passengers waited on the quay while the fire crews worked.",
        "Previously, the terminal had passed every fire inspection, the council said.",
    ]
    lines = [
        prose[0],
        notices[0],
        prose[1],
        notices[2],
        notices[3],
        prose[2],
        notices[1],
        prose[3],
        *notices[4:],
        prose[4],
        prose[5],
    ]
    article = clean(RawDoc(source="t.txt", text="Fire at the ferry terminal\n\n" + "\n\n".join(lines) + "\n"))
    assert article.paragraphs == prose
    noted = [r.line for r in article.boilerplate if r.reason.startswith("site notice")]
    assert sorted(noted) == sorted(notices)
    html = "<html><body><article><h1>Fire at the ferry terminal</h1>" + "".join(f"<p>{p}</p>" for p in lines)
    paragraphs = clean(RawDoc(source="t.html", html=html + "</article></body></html>")).paragraphs
    assert not set(notices) & set(paragraphs)
    assert prose[0] in paragraphs


def test_a_gallery_page_keeps_its_captions_without_their_counters():
    caption = "Firefighters stand outside the ferry terminal on Pier Road in Quenby on Tuesday, March 3."
    text = (
        "Fire at the ferry terminal\n\nImage 1 of / 2 Caption Close\n\n"
        f"Image 1 of 2 {caption} Photo: Ada Brandt\n\nImage 2 of 2 {caption} Photo: Ada Brandt\n"
    )
    article = clean(RawDoc(source="t.txt", text=text))
    assert article.paragraphs == [f"{caption} Photo: Ada Brandt"]  # the second image's caption, once
    # a video playlist left alone is no article: its titles are other stories'
    playlist = "3:11 Ferry fares rise again for the second time this year in Quenby Pause\n\n"
    playlist += (
        "1:11 First harbour fellow cooks up more than dinner\n\n0:48 What you didn't know about the ferry"
    )
    with pytest.raises(UnreadableInput):
        clean(RawDoc(source="t.txt", text=f"Fire at the ferry terminal\n\n{playlist}\n"))
    # ...however it reads, where one entry was set aside (a JSONL record: the title given apart)
    entries = [
        "2:03 Video Graphic: Tide gates, how they’re built and how they hold Pause",
        "1:52 Brenholt barbecue restaurant owner shoots, kills suspected thief",  # read as prose before
        "0:50 Harbour Festival Boat Parade",
        "1:08 Man fires shots at Quenby diner over parking row",
        "11:30 Two views of Ada Brandt's arrest: See the bodycam and phone videos side-by-side",
        "2:18 Runaway pony dies after running into fence at Brenholt fair",
        "0:33 Ferry captain says he didn't see the buoy in Brenholt crash case",
    ]
    page = "\n\n".join(entries)
    with pytest.raises(UnreadableInput):
        clean(RawDoc(source="t.jsonl", title="Fire at the ferry terminal", text=page))
    # a time of day opening a live update is no entry
    update = "10:03 PM - The first two fire crews reached the ferry terminal on Pier Road in Quenby."
    kept = clean(RawDoc(source="t.jsonl", title="Fire at the ferry terminal", text=f"{page}\n\n{update}"))
    assert kept.paragraphs == [update]


def test_an_update_marker_is_cut_off_the_paragraph_it_opens():
    body = (
        "The council of Quenby voted nine to four on Monday to build a bridge over the estuary.\n\n"
        "UPDATE: 7:19 p.m. -- The harbour board now says it will appeal the vote in the high court.\n\n"
        "UPDATE:\n\n"
        "UPDATE - May 30, 5:20 p.m.: The mayor of Quenby said the first pier would be built in June.\n\n"
        "UPDATE*** The harbour board named the pilot on Wednesday evening after the inquiry.\n\n"
        "Update your maps before Friday: the old ferry road closes when the works begin on the pier.\n"
    )
    article = clean(RawDoc(source="t.txt", text=f"Council approves the bridge\n\n{body}"))
    assert "The harbour board now says it will appeal the vote in the high court." in article.paragraphs
    assert "The mayor of Quenby said the first pier would be built in June." in article.paragraphs
    assert "The harbour board named the pilot on Wednesday evening after the inquiry." in article.paragraphs
    assert not any(p.startswith("UPDATE") for p in article.paragraphs)
    assert any(p.startswith("Update your maps") for p in article.paragraphs)  # a verb, not a marker
    assert "UPDATE: 7:19 p.m. --" in [r.line for r in article.boilerplate]
    html = (
        "<html><body><article><h1>Council approves the bridge</h1>"
        + "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
        + "</article></body></html>"
    )
    paragraphs = clean(RawDoc(source="t.html", html=html)).paragraphs
    assert "The harbour board now says it will appeal the vote in the high court." in paragraphs


def test_a_paragraph_a_scraped_text_repeats_word_for_word_is_told_once():
    lede = "A fire at the Quenby ferry terminal on Tuesday night hurt two guards, the harbour police said."
    second = "The terminal will stay closed until the harbour board has inspected the roof, the mayor said."
    text = f"Fire at the ferry terminal\n\n{lede}\n\n{lede}\n\n{second}\n\n{lede}\n"
    article = clean(RawDoc(source="t.txt", text=text))
    assert article.paragraphs == [lede, second]
    assert [r.line for r in article.boilerplate if r.reason == "said again in the article"] == [lede, lede]
    # a short line may repeat in a list
    short = "Two guards were hurt."
    listed = "Fire at the ferry terminal\n\n" + "\n\n".join(
        [
            lede,
            short,
            second,
            short,
            "Ferries will sail from the northern harbour until the terminal reopens next month.",
        ]
    )
    assert clean(RawDoc(source="t.txt", text=listed)).paragraphs.count(short) == 2


def test_a_call_to_do_something_on_the_site_is_cut_from_its_paragraph():
    body = [
        "A fire at the Quenby ferry terminal on Tuesday night hurt two guards, the harbour police said.",
        "A fund has been set up to help the guards' families with their bills. Click here to donate.",
        "Sign up for our email newsletters to get breaking news right in your inbox. Click here to sign up!",
        "On the go? Click or tap here for a summary of what we know.",
        "Download the Quenby Courier app for alerts sent straight to your phone.",
        "To get alerts for breaking news, grab the free Harbor Wire News App for iPhone or Android.",
        "Watch the news conference with the harbour master. Two tugs stood by all night.",
        "Follow us to the pier, the guard told the firefighters, and they ran with him to the ferry.",
        "Click here to see the terminal after the fire. Viewer discretion is advised.",
        "Two tugs towed the burnt ferry away. We will continue to update this story as we learn more.",
        '"We will provide more information when we have it," the harbour master said on Wednesday.',
    ]
    text = "Fire at the ferry terminal\n\n" + "\n\n".join(body) + "\n"
    article = clean(RawDoc(source="t.txt", text=text))
    assert article.paragraphs == [
        body[0],
        "A fund has been set up to help the guards' families with their bills.",  # its fact stays
        "Two tugs stood by all night.",
        body[7],  # a guard's words, no call of the site's
        "Two tugs towed the burnt ferry away.",
        body[10],  # the harbour master's words
    ]
    cut = [r.line for r in article.boilerplate if r.reason.startswith("site prompt")]
    assert "Click here to donate." in cut and "On the go?" in cut and "Viewer discretion is advised." in cut
    assert body[5] in cut and "Watch the news conference with the harbour master." in cut
    html = "<html><body><article><h1>Fire at the ferry terminal</h1>" + "".join(f"<p>{p}</p>" for p in body)
    paragraphs = clean(RawDoc(source="t.html", html=html + "</article></body></html>")).paragraphs
    assert "A fund has been set up to help the guards' families with their bills." in paragraphs
    assert not any("click" in p.lower() or "app" in p.split() for p in paragraphs)


def test_a_stations_promise_of_more_and_its_app_and_breadcrumbs_are_cut_and_the_prose_stays():
    lede = "A fire at the Quenby ferry terminal on Tuesday night hurt two guards, the harbour police said."
    prompts = [
        "We’ll have more on Channel 9 News Sunday morning show at 5AM.",
        "We'll be following up with police for any updates to this story.",
        "Never miss another Facebook post from Channel 9",
        "Be sure and try our new STORMCAST APP!",
        "Click for more from Quenby Courier.",
        "Home Vermont Quenby Fire Hurts Two Guards May 4th, 2026 Ada Brandt Quenby, Vermont Pinterest",
        "Viewers with disabilities can get help with this station's FCC Public Inspection File by calling us.",
        "Please use any browser other than Internet Explorer.",
    ]
    prose = [
        "Home owners near the pier were told to close their windows, the fire chief said.",
        '"We will have more patrols at the terminal," the harbour master said on Wednesday.',
        "Guards who try the new app can call the harbour police straight away, the chief said.",
        "The harbour board keeps a public file of every fire at the terminal since 1990, the chief said.",
        "The guards use another browser to see the cameras, the chief said.",
    ]
    text = "Fire at the ferry terminal\n\n" + "\n\n".join([lede, *prompts, *prose]) + "\n"
    article = clean(RawDoc(source="t.txt", text=text))
    assert article.paragraphs == [lede, *prose]
    assert {r.line for r in article.boilerplate} >= set(prompts)


def test_a_reporters_contact_and_credit_lines_are_cut_and_the_prose_about_reporters_stays():
    body = [
        "A fire at the Quenby ferry terminal on Tuesday night hurt two guards, the harbour police said.",
        "The guards were treated at Quenby General. Harbor Wire reporter Lia Voss contributed to this report.",
        "Contact Ada Brandt at abrandt@quenbycourier.example or 555-010-2231. Follow @adabrandt on Twitter.",
        "Ada Brandt is a Quenby Courier staff writer. Reach her at 555-010-2231 or abrandt@quenbycourier.example.",
        "Tomas Reyes can be reached at treyes@harborwire.example.",
        "abrandt@quenbycourier.example or 555-010-2231",
        "A reporter who saw the fire said the guards carried a passenger out before the roof fell.",
        "Anyone with information is asked to call the harbour police at 555-010-9000.",
    ]
    text = "Fire at the ferry terminal\n\n" + "\n\n".join(body) + "\n"
    article = clean(RawDoc(source="t.txt", text=text))
    assert article.paragraphs == [body[0], "The guards were treated at Quenby General.", body[6], body[7]]
    cut = [r.line for r in article.boilerplate if r.reason.startswith("site prompt")]
    assert (
        "Follow @adabrandt on Twitter." in cut
        and "Tomas Reyes can be reached at treyes@harborwire.example." in cut
    )


def test_a_newsrooms_promise_of_updates_and_a_broadcasts_credit_are_cut_and_the_prose_stays():
    body = [
        "A fire at the Quenby ferry terminal on Tuesday night hurt two guards, the harbour police said.",
        "The guards were treated at Quenby General. Stay with KQTV 7 for updates on this developing story.",
        "This is a developing story; check back for more updates. This is a breaking news alert.",
        "Keep checking KQTV.com for real-time updates. You can also like KQTV on Facebook by clicking here.",
        "Check back later for details. KQTV 7 will update this story as more information becomes available.",
        "We'll keep you updated both on air and online as we find out more. We're following this story.",
        "KQTV 7 is learning more about the guards. We are working to get more information.",
        "Stories can be purchased individually for $2.95. Sign in using your account with: {* loginWidget *}",
        "Ada Brandt reports for the KQTV 7 News at 11 p.m. on Tuesday.",
        "KQTV 7 is part of Harbor Television Stations, a division of Harbor Corp. and a station group.",
        "Since 1965, KQTV Radio has been the instant source for news in the valley. KQTV is part of [...]",
        "Police reports from the terminal said the roof fell at 11 p.m.",  # prose: "reports" is a noun
        "Detectives are working to learn more about the guards' shifts.",  # the police's work is news
        "A guard told his wife to stay with the children, and ran back to the ferry.",
        '"Stay with me," a guard told a passenger as they waited for the ambulance.',
        "The harbour master said she will update the council when the inquiry ends.",
        '"We will rebuild the roof before winter, and we will not rest until [...]"',  # a quotation cut short
    ]
    text = "Fire at the ferry terminal\n\n" + "\n\n".join(body) + "\n"
    article = clean(RawDoc(source="t.txt", text=text))
    assert article.paragraphs == [body[0], "The guards were treated at Quenby General.", *body[11:]]
    cut = [r.line for r in article.boilerplate]
    assert "Stay with KQTV 7 for updates on this developing story." in cut
    assert body[8] in cut and body[9] in cut and "This is a breaking news alert." in cut


def test_a_bare_credit_and_a_reporters_desk_are_cut_and_the_prose_stays():
    body = [
        "A fire at the Quenby ferry terminal on Tuesday night hurt two guards, the harbour police said.",
        "The guards were treated at Quenby General. Staff Writer Ada Brandt contributed.",
        "The Quenby Courier's Tomas Reyes and Ida Lund contributed.",
        "Harbor Wire's Lia Voss contributed information to this report.",
        "Ada Brandt works on the Metro Desk.",
        "Volunteers contributed $4,000 to the guards' families, the union said.",  # a gift, no credit
        "A guard who works on the night desk at the terminal raised the alarm.",  # the desk is the story's
        "Fire Chief Ida Lund said old wiring and a faulty heater contributed.",  # a cause, said
    ]
    text = "Fire at the ferry terminal\n\n" + "\n\n".join(body) + "\n"
    article = clean(RawDoc(source="t.txt", text=text))
    assert article.paragraphs == [body[0], "The guards were treated at Quenby General.", *body[5:]]
    cut = [r.line for r in article.boilerplate if r.reason.startswith("site prompt")]
    assert "Staff Writer Ada Brandt contributed." in cut and body[4] in cut


def test_a_link_to_read_on_elsewhere_is_cut_and_the_prose_stays():
    body = [
        "A fire at the Quenby ferry terminal on Tuesday night hurt two guards, the harbour police said.",
        "The guards were treated at Quenby General. Read more at the Quenby Courier.",
        "READ MORE | Two hurt in a fire at the Quenby ferry terminal",
        "\u25baRelated:Harbour guards call for new alarms",
        "Go here to continue reading this story from the Harbor Wire.",
        "For more on this story, visit www.quenbycourier.example later today.",
        "Channel 9's Ada Brandt will have more on this story tonight.",
        "Read the rest of the story here.",
        "Guards said they read more warnings than ever this winter.",  # prose about reading
        "The union will have more to say on the alarms, its chair said.",  # not a newsroom's promise
    ]
    text = "Fire at the ferry terminal\n\n" + "\n\n".join(body) + "\n"
    article = clean(RawDoc(source="t.txt", text=text))
    assert article.paragraphs == [body[0], "The guards were treated at Quenby General.", *body[8:]]


def test_a_video_players_captions_and_an_obituarys_notices_are_cut_and_the_prose_stays():
    body = [
        "A fire at the Quenby ferry terminal on Tuesday night hurt two guards, the harbour police said.",
        "Caption Boats stuck in the ice at Quenby Harbour Crews free three boats. Caption Tram fares"
        " rise in May The city raised fares.",  # a video player's list of other stories
        "Inside the terminal after the fire - WARNING GRAPHIC VIDEO showing the burnt hall.",
        "Ada Brandt, 71, of Quenby, died May 2, 2026. Condolences may be expressed online at quenby.example.",
        "Published in Quenby Courier from May 4 to May 6, 2026",
        "Channel 9's Ada Brandt is working today to gather new information on the fire.",
        "The caption on the old photo read: fire drill, 1962.",  # prose about a caption
        "Guards published in the union bulletin on May 4 a list of the broken alarms.",
    ]
    text = "Fire at the ferry terminal\n\n" + "\n\n".join(body) + "\n"
    article = clean(RawDoc(source="t.txt", text=text))
    assert article.paragraphs == [body[0], "Ada Brandt, 71, of Quenby, died May 2, 2026.", *body[6:]]


def test_a_page_that_is_only_an_email_notification_widget_holds_no_article():
    widget = (
        "Close Get email notifications on Ada Brandt daily!\n\nYour notification has been saved.\n\n"
        "Whenever Ada Brandt posts new content, you'll get an email delivered to your inbox with a link.\n\n"
        "Email notifications are only sent once a day, and only if there are new matching items.\n"
    )
    with pytest.raises(UnreadableInput):
        clean(RawDoc(source="t.txt", text=f"Five arrested after the pier shooting\n\n{widget}"))


def test_a_block_of_teasers_printed_twice_above_the_dateline_is_not_the_story():
    teasers = [
        "Police say the bakery owner admitted that he set the fire in the storeroom.",
        "The Quenby rowing club heads to the regional final after a rough season.",
    ]
    lede = "QUENBY, Vt. (WQNB) -- A fire at the ferry terminal on Tuesday night hurt two guards, police said."
    second = "The terminal will stay closed until the harbour board has inspected the roof, the mayor said."
    head = [t for teaser in teasers for t in (teaser, teaser)]
    article = clean(
        RawDoc(source="t.txt", text="\n\n".join(["Fire at the ferry terminal", *head, lede, second]))
    )
    assert article.dateline == "QUENBY, Vt."
    assert article.paragraphs[0].startswith("A fire at the ferry terminal")
    assert not any(t in article.paragraphs for t in teasers)
    assert [r.line for r in article.boilerplate if r.reason == TEASERS] == head
    # an update on top of the story, said once, stays: it is the newest of the story; the dateline
    # below it is the article's, taken off its paragraph
    update = "Police have since named the two guards and said both are recovering at home."
    kept = clean(
        RawDoc(source="t.txt", text="\n\n".join(["Fire at the ferry terminal", update, lede, second]))
    )
    assert kept.paragraphs[:2] == [update, lede.split(" -- ", 1)[1]]
    assert kept.dateline == "QUENBY, Vt."
    # below the first paragraph, a label with a colon or a shouted subheading is no dateline
    for line in (
        "NOTE: Police first said that three guards were hurt in the fire on Tuesday night.",
        "QUESTIONS OVER THE ROOF — Inspectors had warned the harbour board about the roof in May.",
    ):
        labelled = clean(
            RawDoc(source="t.txt", text="\n\n".join(["Fire at the ferry terminal", update, line, second]))
        )
        assert labelled.dateline is None and line in labelled.paragraphs


def test_the_first_paragraph_may_open_on_a_place_in_mixed_case_and_a_spaced_dash():
    second = "The terminal will stay closed until the harbour board has inspected the roof, the mayor said."
    for lede, place in (
        ("Quenby — A fire at the ferry terminal on Tuesday night hurt two guards, police said.", "Quenby"),
        (
            "East Quenby - A fire at the ferry terminal on Tuesday night hurt two guards, police said.",
            "East Quenby",
        ),
    ):
        article = clean(
            RawDoc(source="t.txt", text="\n\n".join(["Fire at the ferry terminal", lede, second]))
        )
        assert article.dateline == place
        assert (
            article.paragraphs[0]
            == "A fire at the ferry terminal on Tuesday night hurt two guards, police said."
        )
    # an aside between two dashes is prose; below the first paragraph such a line is a label, not a dateline
    aside = "Marta Ilves — harbour master and ferry captain — said the terminal would reopen in May."
    label = "Fire Investigation – On May 4 at 3:41 p.m., officers were called to the ferry terminal."
    for text in (
        [aside, second],
        ["A fire at the ferry terminal on Tuesday night hurt two guards, police said.", label, second],
    ):
        kept = clean(RawDoc(source="t.txt", text="\n\n".join(["Fire at the ferry terminal", *text])))
        assert kept.dateline is None and kept.paragraphs == text


def test_a_dash_whose_place_the_page_lost_is_taken_off_and_a_list_keeps_its_dashes():
    lede = "A fire at the ferry terminal on Tuesday night hurt two guards, police said."
    second = "The terminal will stay closed until the harbour board has inspected the roof, the mayor said."
    captcha = "You must enter the characters with black color that stand out from the other characters"
    for opening in (f"— {lede}", f"- {lede}"):
        article = clean(
            RawDoc(source="t.txt", text="\n\n".join(["Fire at the terminal", captcha, opening, second]))
        )
        assert article.paragraphs == [lede, second] and captcha in {r.line for r in article.boilerplate}
    items = [
        "- New ferries will run on the northern route from May, the harbour board said on Monday.",
        "- More crossings will be added on weekends once the new terminal roof has been inspected.",
        "- Fewer delays are expected in winter, when the board moves two ferries to the southern pier.",
    ]
    listed = clean(RawDoc(source="t.txt", text="\n\n".join(["What is new at the terminal", *items, second])))
    assert listed.paragraphs[:3] == items
