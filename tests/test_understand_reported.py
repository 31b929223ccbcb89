"""Reported speech in more of the forms real news uses, transcript and headline labels, names
after descriptions and speakers the small model's parse hides (reported.py, quotes.py,
speakers.py).

Every sentence here is written for the test."""

from __future__ import annotations

from conftest import analysis_of, found

from storylens.model import Article
from storylens.understand import analyze_parsed
from storylens.understand.entities import fullest_name
from storylens.understand.quotes import _cue_near, quote_spans


def test_a_short_object_of_a_position_taken_is_reported_but_a_lone_pronoun_is_not():
    analysis = analysis_of("Senator Tom Hale backed Mayor Lena Park. Mayor Lena Park voted against it.")
    assert found(analysis) == [("reported", "Mayor Lena Park", "Tom Hale")]


def test_attacks_votes_and_what_a_poll_shows_are_reported_with_their_verb():
    analysis = analysis_of(
        "Senator Tom Hale attacked the mayor's housing record.",
        "Senator Tom Hale voted for the harbour bill.",
        "A Coastline Institute poll showed Mayor Lena Park with a wide lead.",
    )
    assert [(q.form, q.cue, q.text) for q in analysis.quotes] == [
        ("reported", "attacked", "The mayor's housing record"),
        ("reported", "voted", "The harbour bill"),
        ("reported", "showed", "Mayor Lena Park with a wide lead"),
    ]
    assert [q.speaker_kind for q in analysis.quotes] == ["person", "person", "document"]


def test_as_someone_noted_reports_the_clause_it_hangs_on():
    analysis = analysis_of(
        "Taxes will rise next year, and as Governor Lena Park noted, the harbour fund is nearly empty."
    )
    [quote] = analysis.quotes
    assert (quote.cue, quote.text) == ("noted", "The harbour fund is nearly empty")
    assert fullest_name(analysis.entities[quote.speaker_local]) == "Lena Park"


def test_a_report_at_the_end_of_its_clause_reports_the_clause_before_it():
    analysis = analysis_of(
        "The port's revenue will fall this year, sooner than expected, the Harbour Budget Office "
        "reported Monday."
    )
    [quote] = analysis.quotes
    assert (quote.form, quote.cue, quote.text) == (
        "reported",
        "reported",
        "The port's revenue will fall this year",
    )
    assert quote.speaker_text == "the Harbour Budget Office"


def test_a_report_with_its_own_clause_before_it_is_not_the_clause_after_a_semicolon():
    analysis = analysis_of(
        "To win the port, candidates need a third of the fishermen's vote, local analysts say; "
        "in 2012 the share was lower."
    )
    assert [q.text for q in analysis.quotes] == [
        "To win the port, candidates need a third of the fishermen's vote"
    ]


def test_in_a_poll_opening_a_sentence_reports_what_the_poll_says():
    analysis = analysis_of(
        "In a poll released Monday, 52 percent of voters chose Lena Park.",
        "In a harbour near Rockport, 40 boats sank in the storm.",
    )
    [quote] = analysis.quotes
    assert (quote.cue, quote.text, quote.speaker_kind) == (
        "In",
        "52 percent of voters chose Lena Park",
        "document",
    )


def test_a_headline_label_before_a_colon_is_who_said_the_rest():
    analysis = analysis_of(
        "Tom Hale: The Harbour Deal Is a ‘Disgrace’ for Every Town",
        "Senator Tom Hale spoke in Rockport on Friday.",
    )
    [quote] = analysis.quotes
    assert (quote.form, quote.text, quote.cue) == (
        "mixed",
        "The Harbour Deal Is a ‘Disgrace’ for Every Town",
        ":",
    )
    assert fullest_name(analysis.entities[quote.speaker_local]) == "Tom Hale"
    poll = analysis_of("Poll: Lena Park Leads Tom Hale by Ten Points", "A new poll was released.")
    assert [(q.form, q.speaker_kind) for q in poll.quotes] == [("reported", "document")]


def test_infinitives_the_parse_hung_on_the_cue_go_on_with_the_first():
    analysis = analysis_of(
        "Senator Tom Hale wants to double the ferry fleet, widen the pier and build a new terminal."
    )
    assert [q.text for q in analysis.quotes] == [
        "To double the ferry fleet, widen the pier and build a new terminal"
    ]


def test_asking_someone_if_reports_the_question():
    analysis = analysis_of("Governor Lena Park asked the minister if the ferry would run in winter.")
    [quote] = analysis.quotes
    assert quote.text.endswith("if the ferry would run in winter")


def test_what_a_reporting_verb_says_is_kept_when_its_speaker_is_not_found():
    analysis = analysis_of(
        "In a meeting with the editorial board of the Harbour Times Hale said that the ferry subsidy "
        "may need to be cut."
    )
    [quote] = analysis.quotes
    assert (quote.form, quote.text, quote.speaker_kind) == (
        "reported",
        "The ferry subsidy may need to be cut",
        "unknown",
    )


def test_a_name_right_after_a_description_is_the_speaker():
    analysis = analysis_of("“We called him before he boarded,” his nephew Omar Haddad added.")
    [quote] = analysis.quotes
    assert quote.speaker_text == "his nephew Omar Haddad"
    assert fullest_name(analysis.entities[quote.speaker_local]) == "Omar Haddad"


# -- transcript and headline labels ----------------------------------------------------------------


def test_a_transcript_label_is_a_name_or_a_role_not_a_headline_or_a_field_label():
    analysis = analysis_of(
        "THE DEAL IS DONE: Harbour Board Backs New Pier.",
        "ANCHOR: Good evening from the harbour.",
        "MARA DELL: The pier will open in May.",
        "Reporter Tomas Brek spoke to Mara Dell at the pier.",
        "BREK: When will it open?",
        "CONTACT: news@harbour.example.",
    )
    assert found(analysis) == [
        ("transcript", "Good evening from the harbour.", "Anchor"),
        ("transcript", "The pier will open in May.", "Mara Dell"),
        ("transcript", "When will it open?", "Tomas Brek"),
    ]


def test_a_headline_label_that_reads_as_a_clause_is_not_who_spoke():
    assert found(analysis_of("Tom Hale Is Out: Council Picks Lena Park for Harbour Board")) == []
    assert found(analysis_of("Mayor Lena Park: Harbour Will Reopen in Spring")) == [
        ("reported", "Harbour Will Reopen in Spring", "Lena Park")
    ]


# -- speakers --------------------------------------------------------------------------------------


def test_a_phrasal_verb_before_a_comma_introduces_the_quote():
    text = "Lena Park shot back, “We will build it, and we will build it this year.”"
    [(start, end)] = quote_spans(text)
    [(_, doc)] = analyze_parsed([Article("a1", "a1.txt", None, "t", None, None, "en", None, [text])])
    cue, how = _cue_near(doc, start, end, [(start, end)])
    assert (cue.text, how) == ("shot", "the verb before it")


def test_the_speaker_of_a_long_subject_after_the_quote_and_not_a_relative_clause_before_it():
    analysis = analysis_of(
        "The first two callers were Eva Moor and Ida Lark, neighbours who remember the old pier well.",
        '"We want it back. Build it now." Moor, a retired teacher from the port, said into the phone.',
    )
    assert found(analysis)[-1] == ("direct", "We want it back. Build it now.", "Moor")
    assert analysis.quotes[-1].evidence.endswith("(in the sentence after it)")


def test_a_report_joined_to_what_was_said_is_the_first_speakers():
    analysis = analysis_of(
        "Senator Tom Hale said the mayor's plan would cost too much, and called it "
        "“a gift to every developer in the county.”"
    )
    assert [speaker for _, _, speaker in found(analysis)] == ["Tom Hale", "Tom Hale"]


def test_a_subject_of_the_cue_outside_the_quotation_beats_one_inside_it():
    analysis = analysis_of(
        '"They rejected every one of our amendments. Every single amendment," said Rosa Vint.'
    )
    assert found(analysis) == [
        ("direct", "They rejected every one of our amendments. Every single amendment,", "Rosa Vint")
    ]


def test_a_no_break_space_inside_a_name_is_a_space():
    analysis = analysis_of("“The water is rising fast tonight,” said harbour master Stu\u00a0Varga.")
    assert found(analysis) == [("direct", "The water is rising fast tonight,", "Stu Varga")]
    assert analysis.quotes[0].end == analysis.quotes[0].start + len("The water is rising fast tonight,")


# -- speakers real news hides (session 10) ---------------------------------------------------------


def test_a_rank_with_abbreviations_stays_with_the_name_it_titles():
    analysis = analysis_of(
        "The wing flew its last mission on Sunday.",
        "“We are ready for the storm,” said Air Force 1st Lt. Mara Quill, a pilot of the wing.",
        "“We are ready to fly tonight,” Army Sgt. Tod Reyes said.",
    )
    assert [speaker for _, _, speaker in found(analysis)] == ["Mara Quill", "Tod Reyes"]
    quill = analysis.entities[analysis.quotes[0].speaker_local]
    assert "1st Lt." in " ".join(quill.roles)


def test_a_police_or_city_abbreviation_ends_no_sentence():
    from storylens.understand.nlp import parse, sentences

    text = (
        "The vigil drew hundreds, among them 3rd Ward Ald. Ilse Maren and police Det. Ana Ruiz. "
        "Supt. Tomas Brenn said the shooting on Quay Street was not random."
    )
    [doc] = list(parse([text]))
    assert [s.text for s in sentences(doc)] == [
        "The vigil drew hundreds, among them 3rd Ward Ald. Ilse Maren and police Det. Ana Ruiz.",
        "Supt. Tomas Brenn said the shooting on Quay Street was not random.",
    ]


def test_a_cue_before_the_name_speaks_for_the_name_after_it_but_an_object_does_not_speak():
    analysis = analysis_of(
        "Senator Tom Hale met the press in Ruskor on Friday.",
        "“Imagine Hale against the mayor on one stage,” mused radio co-host Dana Quill.",
        "Stated Hale:",
        "“The budget is a disgrace and I will not sign it.”",
        "Mayor Lena Park spoke for an hour, urging Hale to “drop the plan and listen to the port.”",
    )
    speakers = [speaker for _, _, speaker in found(analysis)]
    assert speakers[:2] == ["Dana Quill", "Tom Hale"]
    assert analysis.quotes[1].evidence.startswith("the person named right after ‘Stated’")
    assert speakers[2] == "Lena Park"  # urging Hale: Hale is who was urged, not who spoke


def test_a_report_inside_the_sentence_of_a_direct_quote_does_not_take_over_the_run():
    analysis = analysis_of(
        "“There is new evidence,” Hale said, though Park and other officials haven’t said the council "
        "is “reopening” its inquiry. “Remember, you need a warrant.”",
        '"It is a shame that a man like that runs the port," Park said.',
        '"Because you\'d be in the dock," Hale interjected.',  # a verb of data/speech.txt
    )
    speakers = [(form, speaker) for form, _, speaker in found(analysis)]
    assert speakers[0] == ("direct", "Hale") and speakers[1][0] == "mixed"
    assert speakers[2] == ("direct", "Hale")
    assert analysis.quotes[2].evidence == "the previous quote's speaker"
    assert speakers[-2:] == [("direct", "Park"), ("direct", "Hale")]


def test_a_transcript_paragraph_quoted_whole_is_its_labels():
    analysis = analysis_of(
        "Governor Lena Park and Senator Tom Hale met on the radio on Friday.",
        '"PARK: We will rebuild the pier before the winter.',
        '"HALE: And who pays for it, governor?"',
    )
    assert found(analysis) == [
        ("transcript", "We will rebuild the pier before the winter.", "Lena Park"),
        ("transcript", "And who pays for it, governor?", "Tom Hale"),
    ]


def test_an_unlabelled_paragraph_between_quoted_transcript_paragraphs_is_kept_and_goes_on():
    analysis = analysis_of(
        "Governor Lena Park and Senator Tom Hale met on the radio on Friday.",
        '"HOST: Welcome back to the show, both of you.',
        '"Let me start with the pier, which has been closed since the storm.',
        '"PARK: We will rebuild the pier before the winter."',
    )
    assert found(analysis) == [
        ("transcript", "Welcome back to the show, both of you.", "Host"),
        ("direct", "Let me start with the pier, which has been closed since the storm.", "Host"),
        ("transcript", "We will rebuild the pier before the winter.", "Lena Park"),
    ]


def test_a_straight_mark_between_spaces_closes_the_open_quote():
    text = (
        "\"They want to know why they should not vote for the name of 'Park,' \" said Dana Quill, a "
        'volunteer. "But they are very receptive."'
    )
    spans = quote_spans(text)
    assert [text[s:e] for s, e in spans] == [
        "They want to know why they should not vote for the name of 'Park,' ",
        "But they are very receptive.",
    ]
    assert [speaker for _, _, speaker in found(analysis_of(text))] == ["Dana Quill", "Dana Quill"]


def test_a_verb_the_parse_continues_across_a_paragraph_break_does_not_change_the_speaker():
    analysis = analysis_of(
        "Yet Senator Vane, making it clear that security trumped other concerns in the port, stood "
        "beside the mayor's successor, Mayor Ida Lark, and described the council as being "
        "''democratically elected.''",
        "''I was shocked,'' Hale told me. ''I understand the reality of power, but to say it is "
        "'democratically elected'?''",
    )
    assert [speaker for _, _, speaker in found(analysis)] == ["Vane", "Hale", "Hale"]


def test_a_reporting_verb_of_a_relative_clause_outside_the_quote_is_not_its_cue():
    analysis = analysis_of(
        '"If the city obtains additional harbour records, it intends to search them for records" that '
        "would respond to requests from Port Watch, city senior trial counsel Ida Lewis Lark wrote in a "
        "court filing."
    )
    [quote] = analysis.quotes
    assert (quote.cue, fullest_name(analysis.entities[quote.speaker_local])) == ("wrote", "Ida Lewis Lark")


def test_a_pull_quote_set_apart_is_the_speakers_of_the_quote_it_repeats():
    analysis = analysis_of(
        "Senator Tom Hale spoke in Ruskor on Friday.",
        "“The harbour will never close while I hold this seat,” Hale told the crowd.",
        "Mayor Lena Park disagreed with him on the plan.",
        "“The harbour will never close while I hold this seat.”",
    )
    assert [speaker for _, _, speaker in found(analysis)] == ["Tom Hale", "Tom Hale"]
    assert analysis.quotes[1].evidence.startswith("the same words quoted elsewhere with ‘told’")


def test_a_quote_signed_with_a_dash_on_the_next_line_is_the_signers():
    analysis = analysis_of(
        "Quotable.",
        '"Great speech. She is ready. She never quits."',
        "-Governor Lena Park, writing after the debate.",
    )
    assert found(analysis) == [("direct", "Great speech. She is ready. She never quits.", "Lena Park")]
    assert analysis.quotes[0].evidence == "the name signed under it with a dash"


def test_whoever_issued_a_statement_in_the_sentence_before_says_the_quote():
    analysis = analysis_of(
        "At the mayor's request, the Harbour Board issued a statement apologizing to the ferry crews.",
        "“On behalf of everyone at the board, we offer a deep and sincere apology to every crew member.”",
    )
    [quote] = analysis.quotes
    assert (quote.speaker_text, quote.cue) == ("the Harbour Board", "issued")
    assert quote.evidence == "subject of ‘issued’: a group (in the sentence before it)"


def test_a_name_before_a_plural_noun_is_the_groups_not_the_persons():
    analysis = analysis_of(
        "Senator Tom Hale spoke on Friday.",
        "Tom Hale aides said the ferry plan was “dead and buried for this year.”",
    )
    [quote] = analysis.quotes
    assert (quote.speaker_kind, quote.speaker_text, quote.speaker_local) == ("group", "Tom Hale aides", None)


def test_a_reporting_verb_on_the_next_line_is_not_the_quotes_cue():
    analysis = analysis_of(
        "“After he did that, she was harassed by a lot of the people over there,” Hale said. “The last "
        "time we spoke, you told me you shared my concerns. How did that go?”\n“The talk was very "
        "productive and I also talked to the board today,” Park said."
    )
    assert [(form, speaker) for form, _, speaker in found(analysis)] == [
        ("direct", "Hale"),
        ("direct", "Hale"),
        ("direct", "Park"),
    ]
