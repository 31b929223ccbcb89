"""Quotes in every form real news uses, with their speakers and the evidence for each.

Every sentence here is written for the test."""

from __future__ import annotations

from conftest import analysis_of, found
from spacy.tokens import Doc

import storylens.understand.speakers as speakers_module
from storylens.understand.entities import cluster, find_mentions, fullest_name
from storylens.understand.nlp import load_nlp, paragraph_starts
from storylens.understand.quotes import find_quotes, quote_spans
from storylens.understand.speakers import lexicon

# -- quotation marks -------------------------------------------------------------------------------


def test_doubled_apostrophes_are_quotation_marks_and_single_quotes_inside_stay_inside():
    text = "''We will rebuild the pier,'' Governor Karen Holt said. ``Every 'single' plank of it.''"
    spans = [text[s:e] for s, e in quote_spans(text)]
    assert spans == ["We will rebuild the pier,", "Every 'single' plank of it."]


def test_single_quotes_mark_a_quote_in_a_headline_but_an_apostrophe_is_no_mark():
    text = "Mayor on the pier: 'We will rebuild it'\n\nThe voters' choice was clear, and the senators' aides knew it."
    assert [text[s:e] for s, e in quote_spans(text)] == ["We will rebuild it"]


def test_a_quote_runs_across_paragraphs_until_it_closes_and_keeps_its_speaker():
    analysis = analysis_of(
        "Governor Karen Holt spoke at the pier on Friday.",
        "“The storm took the old planks. We counted every one of them,",
        "“and we will put back each of them before the summer,” Holt said.",
    )
    [quote] = analysis.quotes
    assert quote.text.startswith("The storm took") and quote.text.endswith("before the summer,")
    assert found(analysis, 24) == [("direct", "The storm took the old p", "Karen Holt")]


def test_an_interrupted_quote_is_two_parts_by_one_speaker():
    analysis = analysis_of("“We will win,” Governor Karen Holt said on Friday, “and we will win soon.”")
    assert found(analysis, 24) == [
        ("direct", "We will win,", "Karen Holt"),
        ("direct", "and we will win soon.", "Karen Holt"),
    ]


def test_a_quoted_part_inside_reported_speech_is_one_mixed_quote():
    analysis = analysis_of(
        "Senator Tom Hale said the new tax was “a gift to the richest families” and would fail."
    )
    [quote] = analysis.quotes
    assert quote.form == "mixed" and not quote.direct
    assert quote.text == "the new tax was “a gift to the richest families” and would fail"
    assert fullest_name(analysis.entities[quote.speaker_local]) == "Tom Hale"


def test_scare_quotes_titles_and_a_quoted_word_are_not_statements():
    analysis = analysis_of(
        "The “reform” was the talk of the town, and the “experts” were rarely seen.",
        "Senator Tom Hale was interviewed on “Meet the Nation” and taught in a “classroom” made of tents.",
    )
    assert analysis.quotes == []


# -- reported speech -------------------------------------------------------------------------------


def test_reported_speech_keeps_its_content_span_and_cue():
    paragraph = "Governor Lena Park argued on Monday that the budget would pass before the summer."
    analysis = analysis_of(paragraph)
    [quote] = analysis.quotes
    assert (quote.form, quote.cue, quote.text) == (
        "reported",
        "argued",
        "The budget would pass before the summer",
    )
    assert paragraph[quote.start : quote.end] == "the budget would pass before the summer"


def test_told_reporters_and_according_to():
    analysis = analysis_of(
        "Governor Karen Holt told reporters that the pier would reopen in May.",
        "According to Holt, the repairs will cost two million.",
    )
    assert found(analysis, 24) == [
        ("reported", "The pier would reopen in", "Karen Holt"),
        ("reported", "The repairs will cost tw", "Karen Holt"),
    ]
    assert [q.cue for q in analysis.quotes] == ["told", "according to"]


def test_reporting_verbs_come_from_the_data_file_and_users_can_extend_it(monkeypatch):
    paragraph = "Governor Karen Holt grumbled that the pier would never be finished."
    assert analysis_of(paragraph).quotes == []
    extended = {k: set(v) for k, v in lexicon().items()}
    extended["verbs"].add("grumbled")
    monkeypatch.setattr(speakers_module, "lexicon", lambda: extended)
    assert found(analysis_of(paragraph), 24) == [("reported", "The pier would never be ", "Karen Holt")]


# -- speakers --------------------------------------------------------------------------------------


def test_a_pronoun_goes_to_the_nearest_person_of_its_gender():
    analysis = analysis_of(
        "Ms. Maria Lind met Mr. Paul Brandt at the harbour on Monday.",
        "Lind spoke first, and Brandt listened. “We agreed on the budget,” she said.",
        "“It was a long night,” he said.",
    )
    assert found(analysis, 24) == [
        ("direct", "We agreed on the budget,", "Maria Lind"),
        ("direct", "It was a long night,", "Paul Brandt"),
    ]
    assert "woman" in analysis.quotes[0].evidence and "man" in analysis.quotes[1].evidence


def test_a_first_name_tells_a_pronoun_whose_person_it_is():
    # no title, no pronoun before: only the first names say Lind is a woman and Brandt a man
    analysis = analysis_of(
        "Maria Lind met Paul Brandt at the harbour on Monday.",
        "Lind spoke first, and Brandt listened. “We agreed on the budget,” she said.",
    )
    assert found(analysis, 24) == [("direct", "We agreed on the budget,", "Maria Lind")]


def test_a_quote_with_no_cue_in_a_run_of_quotes_is_the_previous_speakers():
    analysis = analysis_of(
        "“The pier will open in May,” said Governor Karen Holt.",
        "“Nobody in this town will have to wait a day longer than that.”",
    )
    assert found(analysis, 24)[1] == ("direct", "Nobody in this town will", "Karen Holt")
    assert analysis.quotes[1].evidence == "the previous quote's speaker"


def test_a_description_is_the_person_the_article_names_so_and_an_unnamed_one_stays_unnamed():
    analysis = analysis_of(
        "The harbour's spokeswoman, Haley Morris, arrived late on Friday.",
        "“We are ready for the season,” the spokeswoman said.",
        "“Nobody told us anything,” an aide said.",
    )
    assert found(analysis, 24) == [
        ("direct", "We are ready for the sea", "Haley Morris"),
        ("direct", "Nobody told us anything,", "an aide"),
    ]
    assert analysis.quotes[1].speaker_local is None and analysis.quotes[1].speaker_kind == "person"


def test_a_name_the_parse_took_from_inside_the_quote_is_not_the_speaker():
    analysis = analysis_of(
        "“Doubts about Hale. Doubts about Park,” Robert Vane, a veteran strategist, said on Friday."
    )
    assert found(analysis, 24) == [("direct", "Doubts about Hale. Doubt", "Robert Vane")]


def test_documents_groups_and_passive_speakers_keep_their_kind():
    analysis = analysis_of(
        "“Repairs will take a year,” the report said.",
        "“We were never asked,” the fishermen said.",
        "The closure of the pier was announced by Governor Karen Holt on Friday, saying that safety came first.",
    )
    kinds = [(q.speaker_kind, q.speaker_text) for q in analysis.quotes]
    assert kinds[:2] == [("document", "the report"), ("group", "the fishermen")]
    assert found(analysis, 24)[2][2] == "Karen Holt"


def test_every_quote_keeps_its_cue_and_how_its_speaker_was_found():
    analysis = analysis_of(
        "Governor Karen Holt spoke on Friday.",
        "“The pier will open in May,” she said.",
    )
    [quote] = analysis.quotes
    assert quote.cue == "said"
    assert quote.evidence.startswith("subject of ‘said’") and "woman" in quote.evidence


# -- forms of real news (written for the test) -----------------------------------------------------


def test_a_short_quotation_inside_what_is_reported_makes_a_mixed_quote():
    analysis = analysis_of(
        "Senator Tom Hale, who says the plan is “disastrous,” voted against it.",
        "Governor Lena Park, in a brief interview on Friday, said her budget was a ''truly fair deal.''",
    )
    assert [(q.form, q.text) for q in analysis.quotes] == [
        ("mixed", "the plan is “disastrous,”"),
        ("mixed", "her budget was a ''truly fair deal.''"),
    ]
    assert [fullest_name(analysis.entities[q.speaker_local]) for q in analysis.quotes] == [
        "Tom Hale",
        "Lena Park",
    ]


def test_a_report_with_words_of_its_own_around_a_long_quotation_is_one_mixed_quote():
    analysis = analysis_of(
        "Governor Karen Holt joked that she enjoys a good “peaceful protest every once in a while” "
        "since she went to college in the 1970s."
    )
    [quote] = analysis.quotes
    assert quote.form == "mixed" and quote.cue == "joked"
    assert quote.text.startswith("she enjoys a good") and quote.text.endswith("in the 1970s")


def test_the_objects_of_a_verb_whose_object_is_what_was_said_are_reported_speech():
    analysis = analysis_of("Governor Karen Holt praised the council's plan for the harbour on Friday.")
    assert found(analysis, 24) == [("reported", "The council's plan for t", "Karen Holt")]
    assert analysis.quotes[0].cue == "praised"


def test_the_clause_after_the_verb_is_what_it_reports():
    analysis = analysis_of(
        "In an interview, during which she also spoke about the ferry, Governor Karen Holt remarked "
        "that she was “a little surprised” to be debating the pier."
    )
    [quote] = analysis.quotes
    assert quote.cue == "remarked" and quote.text.startswith("she was “a little surprised”")


def test_a_participle_after_a_preposition_speaks_with_its_clauses_subject():
    analysis = analysis_of(
        "Senator Sarah Lund was booed by the fishermen after telling them that they were “being ridiculous.”"
    )
    [quote] = analysis.quotes
    assert (quote.form, fullest_name(analysis.entities[quote.speaker_local])) == ("mixed", "Sarah Lund")
    assert "booed" in quote.evidence


def test_whoever_issued_a_statement_speaks_through_it():
    analysis = analysis_of(
        "Governor Karen Holt issued a statement saying that the pier would reopen “before the summer.”"
    )
    [quote] = analysis.quotes
    assert fullest_name(analysis.entities[quote.speaker_local]) == "Karen Holt"
    assert "through the statement" in quote.evidence


def test_a_quoted_phrase_in_a_reported_clause_is_the_reporters_words_not_the_inner_subjects():
    analysis = analysis_of(
        "Senator Tom Hale said he is certain Governor Lena Park will remain “a champion of the harbour.”"
    )
    assert {fullest_name(analysis.entities[q.speaker_local]) for q in analysis.quotes} == {"Tom Hale"}


def test_a_subject_the_parse_hung_across_a_paragraph_break_is_still_the_speaker():
    # A parse as the small model sometimes makes it, built by hand: the paragraph's "said" and its
    # subject hang on the next paragraph's verb.
    rows = [  # word, space after, head, dep, pos, tag, entity
        ("Karen", " ", 1, "compound", "PROPN", "NNP", "B-PERSON"),
        ("Holt", " ", 2, "nsubj", "PROPN", "NNP", "I-PERSON"),
        ("spoke", "", 2, "ROOT", "VERB", "VBD", "O"),
        (".", "", 2, "punct", "PUNCT", ".", "O"),
        ("\n\n", "", 3, "dep", "SPACE", "_SP", "O"),
        ("\u201c", "", 8, "punct", "PUNCT", "``", "O"),
        ("We", " ", 8, "nsubj", "PRON", "PRP", "O"),
        ("will", " ", 8, "aux", "AUX", "MD", "O"),
        ("win", "", 11, "ccomp", "VERB", "VB", "O"),
        (",", "", 11, "punct", "PUNCT", ",", "O"),
        ("\u201d", " ", 11, "punct", "PUNCT", "''", "O"),
        ("said", " ", 15, "parataxis", "VERB", "VBD", "O"),
        ("Holt", "", 15, "nsubj", "PROPN", "NNP", "B-PERSON"),
        ("\n\n", "", 12, "dep", "SPACE", "_SP", "O"),
        ("Vane", " ", 15, "dobj", "PROPN", "NNP", "B-PERSON"),
        ("agreed", "", 15, "ROOT", "VERB", "VBD", "O"),
        (".", "", 15, "punct", "PUNCT", ".", "O"),
    ]
    [(quote, name)] = quotes_of_parse(rows)
    assert (quote.text, name) == ("We will win,", "Karen Holt")


def test_a_subject_the_parse_took_from_the_paragraph_before_is_not_the_speaker():
    rows = [  # "Long Beach." as a signature line, then a paragraph the parse joined to it
        ("Long", " ", 1, "compound", "PROPN", "NNP", "B-GPE"),
        ("Beach", "", 10, "nsubj", "PROPN", "NNP", "I-GPE"),
        (".", "", 10, "punct", "PUNCT", ".", "O"),
        ("\n\n", "", 2, "dep", "SPACE", "_SP", "O"),
        ("At", " ", 10, "prep", "ADP", "IN", "O"),
        ("the", " ", 6, "det", "DET", "DT", "O"),
        ("debate", "", 4, "pobj", "NOUN", "NN", "O"),
        (",", " ", 10, "punct", "PUNCT", ",", "O"),
        ("Karen", " ", 9, "compound", "PROPN", "NNP", "B-PERSON"),
        ("Holt", " ", 10, "npadvmod", "PROPN", "NNP", "I-PERSON"),
        ("said", " ", 10, "ROOT", "VERB", "VBD", "O"),
        ("she", " ", 13, "nsubj", "PRON", "PRP", "O"),
        ("would", " ", 13, "aux", "AUX", "MD", "O"),
        ("look", "", 10, "ccomp", "VERB", "VB", "O"),
        (".", "", 10, "punct", "PUNCT", ".", "O"),
    ]
    [(quote, name)] = quotes_of_parse(rows)
    assert (quote.text, name) == ("She would look", "Karen Holt")


def quotes_of_parse(rows):
    """(quote, speaker's entity name) of a text parsed by hand: (word, space after, head, dep, pos,
    tag, entity) per token."""
    doc = Doc(
        load_nlp().vocab,
        words=[r[0] for r in rows],
        spaces=[bool(r[1]) for r in rows],
        heads=[r[2] for r in rows],
        deps=[r[3] for r in rows],
        pos=[r[4] for r in rows],
        tags=[r[5] for r in rows],
        ents=[r[6] for r in rows],
    )
    starts = paragraph_starts(doc.text.split("\n\n"))
    mentions = find_mentions(doc, starts)
    entities = cluster(mentions)
    quotes = find_quotes(doc, mentions, entities, starts)
    return [
        (q, fullest_name(entities[q.speaker_local]) if q.speaker_local is not None else None) for q in quotes
    ]


def test_what_a_reporting_verb_introduces_is_speech_however_short():
    analysis = analysis_of("Asked about a cabinet post, Governor Karen Holt shook her head and said, ''No.''")
    assert found(analysis, 24)[-1] == ("direct", "No.", "Karen Holt")


def test_who_was_joined_by_someone_and_then_joked_is_the_speaker():
    analysis = analysis_of(
        "Senator Sarah Lund was joined on stage by Governor Karen Holt and joked, “You are all being ridiculous.”"
    )
    assert found(analysis, 24) == [("direct", "You are all being ridicu", "Sarah Lund")]


def test_a_mixed_quote_at_the_very_start_of_the_text_keeps_its_offsets():
    paragraph = "The repairs will take “a whole year” and cost two million, according to Governor Karen Holt."
    analysis = analysis_of(paragraph)
    assert analysis.quotes and all(0 <= q.start < q.end <= len(paragraph) and q.text for q in analysis.quotes)


def test_up_a_chain_of_verbs_past_a_subject_inside_a_quotation_and_a_phrasal_passive():
    analysis = analysis_of(
        "Senator Tom Hale criticized Governor Karen Holt for “running around saying the pier is safe when "
        "in fact that is not a correct statement” and suggested that her plan could create a “real crisis.”",
        "Senator Sarah Lund was booed and shouted down by the fishermen after telling them that they were "
        "“being ridiculous.”",
    )
    speakers = [fullest_name(analysis.entities[q.speaker_local]) for q in analysis.quotes]
    assert speakers[-2:] == ["Tom Hale", "Sarah Lund"]


def test_a_cue_the_parse_left_without_a_subject_is_the_first_person_its_sentence_names():
    analysis = analysis_of(
        "Senator Tom Hale, meanwhile, who sits at zero such endorsements, said that fact speaks volumes "
        'about which of the two candidates is "prepared to take on the establishment."'
    )
    [quote] = analysis.quotes
    assert (quote.form, fullest_name(analysis.entities[quote.speaker_local])) == ("mixed", "Tom Hale")
    assert "the first person its sentence names" in quote.evidence


def test_what_someone_welcomed_cited_or_boasted_about_is_what_they_said():
    analysis = analysis_of(
        "Governor Karen Holt welcomed the council's decision to rebuild the old pier.",
        "Senator Tom Hale boasted about a plan to spend “a million dollars” on new planks.",
    )
    assert found(analysis, 24) == [
        ("reported", "The council's decision t", "Karen Holt"),
        ("mixed", "a plan to spend “a milli", "Tom Hale"),
    ]


def test_a_report_joined_to_what_was_said_is_a_report_of_its_own():
    analysis = analysis_of(
        "Governor Karen Holt said she would offer a prayer for the eventual nominee but did not suggest "
        "it would be Hale."
    )
    assert [(q.cue, q.text) for q in analysis.quotes] == [
        ("said", "She would offer a prayer for the eventual nominee"),
        ("suggest", "It would be Hale"),
    ]


def test_a_single_quoted_line_below_the_headline_is_a_section_heading_not_a_quote():
    text = "Mayor on the pier: 'We will rebuild it'\n\nThe council met.\n\n'A long night for the harbour.'\n\nIt ended."
    assert [text[s:e] for s, e in quote_spans(text)] == ["We will rebuild it"]


def test_a_report_after_a_comma_is_a_report_of_its_own_not_part_of_the_clause():
    analysis = analysis_of(
        "The budget.",
        "Nadia Ferro said she saw no reason to change the budget, telling reporters that \u201cthe numbers work.\u201d",
    )
    assert [(q.form, q.text, q.cue) for q in analysis.quotes] == [
        ("reported", "She saw no reason to change the budget", "said"),
        ("mixed", "\u201cthe numbers work.\u201d", "telling"),
    ]
    assert {q.speaker_text for q in analysis.quotes} == {"Nadia Ferro"}


def test_a_participle_after_a_reported_clause_speaks_with_the_one_who_reported_it():
    analysis = analysis_of(
        "The budget.",
        "Nadia Ferro argued that the new levy would keep the harbour open, saying it was \u201call about upkeep.\u201d",
    )
    assert found(analysis, 24) == [
        ("reported", "The new levy would keep ", "Nadia Ferro"),
        ("mixed", "it was \u201call about upkeep", "Nadia Ferro"),
    ]


def test_a_hyphen_inside_a_title_does_not_cut_the_speakers_phrase():
    analysis = analysis_of("The budget.", "Port Ellis co-host Mara Quint said the budget was late.")
    assert [q.speaker_text for q in analysis.quotes] == ["Port Ellis co-host Mara Quint"]


def test_a_position_taken_is_reported_with_its_verb_from_the_data_file():
    analysis = analysis_of(
        "The harbour.",
        "Governor Karen Holt supports a two-year delay of the harbour levy.",
        "Jonas Veit declined to comment on the harbour levy.",
    )
    assert [(q.form, q.text, q.speaker_text, q.cue) for q in analysis.quotes] == [
        ("reported", "A two-year delay of the harbour levy", "Governor Karen Holt", "supports"),
        ("reported", "To comment on the harbour levy", "Jonas Veit", "declined"),
    ]
    assert "supports" in lexicon()["stance"]


def test_a_clause_after_a_comma_describing_the_object_is_not_part_of_what_was_said():
    analysis = analysis_of(
        "The harbour.",
        "The union's leader Mara Quint praised the new ferry timetable, which the council adopted in May.",
    )
    assert [(q.text, q.cue) for q in analysis.quotes] == [("The new ferry timetable", "praised")]


def test_an_organisation_speaks_as_itself_and_they_is_a_group_not_the_nearest_person():
    analysis = analysis_of(
        "Governor Karen Holt met the fishermen at the pier.",
        "“We will not wait another winter,” they said.",
        "“Repairs are on schedule,” the United Nations said on Friday.",
    )
    they, nations = analysis.quotes
    assert (they.speaker_kind, they.speaker_text, they.speaker_local) == ("group", "they", None)
    assert nations.speaker_kind == "organisation"
    assert fullest_name(analysis.entities[nations.speaker_local]) == "United Nations"


def test_said_without_that_reports_the_clause_after_it():
    analysis = analysis_of("Governor Karen Holt said the pier would reopen in May.")
    assert found(analysis) == [("reported", "The pier would reopen in May", "Karen Holt")]
    assert analysis.quotes[0].cue == "said"
