"""Whose voice a claim is in (compare/voice.py) and what the summary does with it: no sentence
from inside a quotation, none whose pronoun's person is elsewhere, a statement told once."""

from __future__ import annotations

from collections import Counter

import numpy as np
from conftest import ingest_outlets

from storylens.compare.claims import Claim, claims_of, complete, load_nlp_with_lemmas
from storylens.compare.facts import Fact
from storylens.compare.summary import standalone, summarize, usable_claim
from storylens.compare.voice import voice_of
from storylens.model import Article
from storylens.understand.marks import quote_spans


def at(text: str, sentence: str, named=(), said=(), shared=frozenset()):
    start = text.index(sentence)
    return voice_of(text, start, start + len(sentence), quote_spans(text), list(named), list(said), shared)


def test_a_sentence_inside_a_quotation_opened_before_it_is_the_speakers():
    straight = '"We are sorry," the harbour master said. "The gates stayed shut. No ship was turned away."'
    curly = "“We are sorry,” the harbour master said. “The gates stayed shut. No ship was turned away.”"
    for text in (straight, curly):
        assert at(text, "No ship was turned away.").quoting
        assert not at(text, "the harbour master said.").quoting
    # the quotation closed in the paragraph before: a new paragraph opens in the outlet's voice
    text = '"The gates stayed shut," she said of the night.\n\nNo ship was turned away on Monday.'
    assert not at(text, "No ship was turned away on Monday.").quoting
    # a quotation going on in a new paragraph, with its own speaker, begins with its own mark
    text = "“The gates stayed shut.\n\n“No ship was turned away,” the harbour master said."
    assert not at(text, "“No ship was turned away,” the harbour master said.").quoting


def test_a_pronoun_needs_someone_named_in_its_sentence():
    text = "Doctors said his condition was critical but improving on Thursday."
    assert at(text, text).dangling
    text = "Marta Ilves said her ship would sail on Friday."
    assert not at(text, text, [(0, 11)]).dangling
    # "said he": the subject of what is said is the sayer, named or not
    text = "One of the senior port officials said he would resign by Friday."
    assert not at(text, text).dangling
    # a pronoun inside a quotation is the speaker's
    text = "The council said “his plan is the best one” on Tuesday."
    assert not at(text, text).dangling


def test_the_statements_a_claim_tells_come_from_its_quotes():
    text = "“Ask Marta Ilves about the gates,” Tomas Berg told the crowd. The crowd left at noon."
    said = [(1, 32, "s_gates")]
    assert at(
        text, "“Ask Marta Ilves about the gates,” Tomas Berg told the crowd.", said=said
    ).statements == {"s_gates"}
    assert not at(text, "The crowd left at noon.", said=said).statements


def test_the_summary_takes_no_sentence_of_a_quotation_nor_a_pronoun_without_its_person():
    paragraphs = [
        "The ferry Aurelia ran aground off Port Tamsin on Monday with 200 passengers on board.",
        "Doctors said his condition was serious after the captain was flown to the city hospital.",
        '"We are grateful to the crews," the operator said. "Every passenger reached the shore safely.'
        ' The ship will be towed to the dry dock."',
    ]
    article = Article("a", "a.txt", "Harbor Wire", "Ferry aground", None, None, "en", None, paragraphs)
    claims = claims_of([article], {})

    def told(words: str) -> Claim:
        return next(c for c in claims if words in c.text)

    assert usable_claim(told("ran aground"))
    towed = told("The ship will be towed")
    assert towed.quoting and not usable_claim(towed)  # the operator's words, marks or not
    doctors = told("Doctors said")
    assert standalone(doctors.text) and doctors.dangling and not usable_claim(doctors)


def test_summary_sentences_that_speak_to_someone_ask_or_point_elsewhere_do_not_stand_alone():
    assert not standalone("At least respect the part you play on the council of the port.")
    assert not standalone("The mayor asked the minister what he thought of the new harbour tax.")
    assert standalone("Asked whether he would resign, the mayor said he would stay until May.")
    assert not standalone("The statement said the ferry company would pay every passenger back.")
    assert not standalone("Tomas Berg and Marta Ilves also round out the list of candidates.")
    assert not standalone('Tomas Berg said on Radio Tamsin\'s "Morning Port."')
    assert standalone('Tomas Berg said on Radio Tamsin that "the port will reopen on Friday at noon."')
    assert not standalone("If the port stays shut, the ferries will sail from the northern harbour.")
    # an opening clause whose subject is a pronoun: who "they" are is told elsewhere
    assert not standalone("As they ran for the quay, shots were fired from a passing car.")
    assert not standalone("When they arrived on the scene they found a man wounded on the pier.")
    assert standalone("When officers arrived on the scene they found a man wounded on the pier.")
    assert standalone('"As I was backing out, a car was pulling in, and we collided," said Lia Voss.')
    # words said before, pointed at: the sentence quoting them may not be in the summary
    assert not standalone("Mayor Ilves made the remarks at a meeting with the harbour pilots.")
    assert not standalone("Those comments drew a sharp reply from the ferry company on Tuesday.")
    assert not standalone("Mayor Ilves made his comments in an interview with Radio Tamsin.")
    assert not standalone("The mayor's remarks come as the ferry company weighs its next move.")
    assert standalone("In remarks at the harbour, Mayor Ilves said the port would reopen on Friday.")


def test_a_newsrooms_note_on_its_own_reporting_and_an_untold_time_do_not_stand_alone():
    assert not standalone(
        "Reps for Mirela Kost did not immediately return Harbor Wire's request for comment."
    )
    assert not standalone("The ferry company could not be reached on Tuesday evening by the paper.")
    assert not standalone("A spokesman for the port authority declined to comment on the strike.")
    assert not standalone("The mayor's office did not respond to repeated emails from the paper on Monday.")
    # ...but refusing the union is news, and so is a reply to the union's demands
    assert standalone("The port authority did not respond to the union's demands before the strike began.")
    assert not standalone("Ferry operators at the time said the delays were caused by a broken crane.")
    assert not standalone("The harbour master resigned the next day, citing the pressure of the strike.")
    assert standalone("Ferry operators said at the time of the strike that the delays were caused by it.")
    # a time counted from what another sentence tells; one that names what it counts from stands
    assert not standalone("Twenty minutes earlier, five guards were hurt in a fire on the northern pier.")
    assert not standalone("About 25 minutes later, a guard carried a passenger out of the terminal.")
    assert standalone("Two days after the fire, the harbour reopened to ferries from Tamsin.")
    assert standalone("The guard was pronounced dead about an hour later at Harbour General, police said.")


def test_a_call_for_tips_and_a_pointer_to_the_outlets_updates_do_not_stand_alone():
    assert not standalone("Anyone with information is asked to call Quenby Crime Stoppers at 555-222-TIPS.")
    assert not standalone("Police urged anyone who saw the fire at the terminal to come forward on Tuesday.")
    assert not standalone("Tips can be submitted to the harbour police at (555) 580-8477 or by e-mail.")
    assert not standalone("Stay with Harbor Wire for updates on the fire at the ferry terminal.")
    # ...but a call made in the story, and one asking others to act, are news
    assert standalone("A guard called the fire brigade at 11 p.m., minutes after the roof caught fire.")
    assert standalone("The council asked residents to contact their representatives before the vote.")


def test_a_headline_a_shouted_transcript_and_a_photos_caption_do_not_stand_alone():
    assert not standalone("Lows Will Be In The Upper Teens Again Tonight Along The Quenby Coast.")
    assert not standalone("THE GUARDS DID NOT LEAVE THE TERMINAL UNTIL AROUND 6:30 A.M., THE CHIEF SAID.")
    assert not standalone(
        "Two guards were hurt inside this building on Pier Road just before 3 a.m. Tuesday."
    )
    # ...but a sentence full of names and titles is prose
    assert standalone("Harbor Wire and the Quenby Courier reported that Mayor Ana Ruiz met the Ferry Board.")
    assert standalone(
        'Ana Ruiz, a guard at the terminal, said "this building saved our lives" when the roof fell.'
    )


def told_fact(fid: str, text: str, position: int, outlets=("A", "B"), statement: str = "") -> Fact:
    """A fact these outlets tell in one sentence, as the `position`th claim of their articles,
    its quotes belonging to `statement`."""
    claims = [
        Claim(
            o.lower(),
            o,
            None,
            position,
            text,
            frozenset(),
            frozenset(),
            statements=frozenset({statement} - {""}),
        )
        for o in outlets
    ]
    return Fact(fid, claims, text)


def ferry_aground() -> list[Fact]:
    """The central event, then one statement by Marta Ilves told in two wordings (one statement id)."""
    return [
        told_fact("aground", "The ferry Aurelia ran aground off Port Tamsin on Monday with 200 on board.", 0),
        told_fact(
            "ilves",
            "“We will review every ferry of the fleet this week,” Marta Ilves said.",
            1,
            statement="s1",
        ),
        told_fact(
            "ilves2",
            "Marta Ilves told the council that the fleet would be reviewed within a week.",
            2,
            statement="s1",
        ),
    ]


def summarized(facts: list[Fact]):
    """The summary of these facts, the first told earliest, with no two facts alike."""
    vectors = {f.id: v for f, v in zip(facts, np.eye(len(facts)), strict=True)}
    lead = {f.id: 1.0 - i / 10 for i, f in enumerate(facts)}
    return summarize(facts, vectors, {}, lead, central_ids=[facts[0].id])


def test_a_post_the_page_embeds_from_twitter_does_not_stand_alone():
    posts = [
        "Crews on scene at the Quenby ferry terminal after the fire pic.twitter.com/Ab12Cd34 — Lia Voss.",
        "Two guards hurt in the terminal fire, both stable. — Quenby Police (@QuenbyPolice) May 2, 2026",
        "Fire at the terminal is out, the harbour said https://t.co/Xy12Ab34 on Tuesday night.",
    ]
    assert not any(standalone(t) for t in posts)
    # prose about a post, and a dash in a sentence, stand
    assert standalone("The harbour police said on Twitter that both guards were in stable condition.")
    assert standalone("Two guards — both from Quenby (the harbour town) — were hurt in the fire.")


def test_a_summary_tells_a_statement_once_however_the_outlets_word_it():
    facts = ferry_aground() + [
        told_fact("tug", "Two tugs from the northern harbour reached the ferry on Monday night.", 3),
        told_fact("tide", "The ferry was floated off the sandbank at high tide on Tuesday morning.", 4),
    ]
    chosen = [s.fact_id for s in summarized(facts)]
    assert chosen == ["aground", "ilves", "tug", "tide"]  # not "ilves2": the same statement again


def test_a_summary_tells_no_sentence_that_only_asks():
    facts = ferry_aground()[:1] + [
        told_fact("asks", "Will the ferries sail to Port Tamsin again before the winter storms?", 1),
        told_fact("tug", "Two tugs from the northern harbour reached the ferry on Monday night.", 3),
        told_fact("tide", "The ferry was floated off the sandbank at high tide on Tuesday morning.", 4),
    ]
    assert [s.fact_id for s in summarized(facts)] == ["aground", "tug", "tide"]
    # a question someone asks, quoted with who asked it, is their statement and may be told
    facts[1] = told_fact("asks", '"Will the ferries sail again before winter?" the mayor asked.', 1)
    assert [s.fact_id for s in summarized(facts)] == ["aground", "asks", "tug", "tide"]


def test_a_compared_store_gives_claims_their_statements_and_tells_each_one_once(outlets_db):
    from storylens import open_store
    from storylens.compare.summary import claim_told
    from storylens.pipeline import compare_articles

    with open_store(outlets_db) as store:
        said = store.quotes_said([a for r in store.story_rows() for a in r["article_ids"]])
        linked = {q[2] for quotes in said.values() for q in quotes if q[2]}
        comparisons = [
            compare_articles(store, r["article_ids"])
            for r in store.story_rows()
            if len(r["article_ids"]) >= 2
        ]
    claims = [c for comparison in comparisons for f in comparison.facts for c in f.claims]
    assert {s for c in claims for s in c.statements} <= linked
    assert any(c.statements for c in claims)  # the store's statements reach the comparison
    for comparison in comparisons:
        told = [claim_told(s, comparison.facts) for s in comparison.summary]
        statements = [s for c in told if c for s in c.statements]
        assert len(statements) == len(set(statements))


def test_a_summary_tells_no_sentence_nearly_the_same_as_one_it_tells_already():
    from storylens.compare.summary import REPEATED

    facts = ferry_aground()[:2] + [
        told_fact("tug", "Two tugs from the northern harbour reached the ferry on Monday night.", 3),
        told_fact("tugs", "Tugs from the northern harbour reached the Aurelia late on Monday.", 4),
        told_fact("tide", "The ferry was floated off the sandbank at high tide on Tuesday morning.", 5),
    ]
    # "tug" and "tugs": two facts (the alignment kept them apart), one sentence told twice
    angle = np.arccos(REPEATED + 0.05)
    rows = {f.id: np.eye(6)[k] for k, f in enumerate(facts)}
    rows["tugs"] = np.cos(angle) * rows["tug"] + np.sin(angle) * np.eye(6)[5]
    by_claim = {id(c): rows[f.id] for f in facts for c in f.claims}
    vectors = {f.id: v for f, v in zip(facts, np.eye(len(facts)), strict=True)}
    lead = {f.id: 1.0 - i / 10 for i, f in enumerate(facts)}
    told = [s.fact_id for s in summarize(facts, vectors, {}, lead, ["aground"], by_claim)]
    assert "tug" in told and "tugs" not in told and "tide" in told
    # without the sentences' own vectors (or far enough apart) both are told
    assert "tugs" in [s.fact_id for s in summarize(facts, vectors, {}, lead, ["aground"])]


def test_after_its_lead_a_summary_tells_a_sentence_mostly_quotation_only_where_nothing_else_is_left():
    from storylens.compare.alone import quoted_mostly

    lead = [
        told_fact("aground", "The ferry Aurelia ran aground off Port Tamsin on Monday with 200 on board.", 0),
        told_fact("rescued", "Lifeboats took all 200 passengers ashore by Monday evening.", 1),
        told_fact("inquiry", "The harbour board opened an inquiry into the grounding on Tuesday.", 2),
    ]
    scared = "“We were all terrified on the top deck,” said Lia Voss, a passenger."
    later = [
        told_fact("scared", scared, 3),
        told_fact("tug", "Two tugs from the northern harbour reached the ferry on Monday night.", 4),
        told_fact("tide", "The ferry was floated off the sandbank at high tide on Tuesday morning.", 5),
        told_fact("berth", "The Aurelia was towed to a berth in Port Tamsin on Wednesday.", 6),
    ]
    assert quoted_mostly(scared) and not quoted_mostly(later[1].text)
    assert not quoted_mostly("Lia Voss, a passenger, said the crew had told them “stay calm” twice.")
    # the quotation comes earlier in the articles than the rest, yet three plain facts are left
    assert [s.fact_id for s in summarized(lead + later)] == [
        "aground",
        "rescued",
        "inquiry",
        "tug",
        "tide",
        "berth",
    ]
    # where nothing else is left, it is told
    assert "scared" in [s.fact_id for s in summarized(lead + later[:1])]


def test_a_summary_left_short_by_a_repeated_statement_is_completed_by_one_outlets_fact():
    tug = "Two tugs from the northern harbour reached the ferry on Monday night."
    summary = summarized(ferry_aground() + [told_fact("tug", tug, 3, outlets=("A",))])
    # three facts are shared, but one tells a statement again: one outlet's fact takes its place
    assert [s.fact_id for s in summary] == ["aground", "ilves", "tug"]
    assert summary[-1].single_source


def test_a_summary_sentence_names_the_place_its_article_calls_here():
    from storylens.compare.summary import SummarySentence, place_here, place_of

    said = "The harbour master said here on Monday that the port would reopen on Friday."
    rally = 'Marta Ilves spoke at a rally here, and said: "We stay here until the ferries sail."'
    facts = [told_fact("said", said, 0, ("A",)), told_fact("rally", rally, 1, ("B",))]
    summary = [
        SummarySentence(said, ["a"], ["A"], True, "said"),
        SummarySentence(rally, ["b"], ["B"], True, "rally"),
    ]
    place_here(summary, facts, {"a": "PORT TAMSIN", "b": "Brenholt, Osterland"})
    assert (
        summary[0].text
        == "The harbour master said in Port Tamsin on Monday that the port would reopen on Friday."
    )
    # the speaker's own "here" inside the quotation stays theirs
    assert (
        summary[1].text
        == 'Marta Ilves spoke at a rally in Brenholt, and said: "We stay here until the ferries sail."'
    )
    # no dateline: nothing to name it by
    again = [SummarySentence(said, ["a"], ["A"], True, "said")]
    place_here(again, facts, {"a": None})
    assert again[0].text == said
    assert place_of("KANSAS CITY, Mo.") == "Kansas City" and place_of("Damascus, London") == "Damascus"
    assert place_of("Tamsin VT") == "Tamsin" and place_of("TAMSIN VT") == "Tamsin"  # a state's code after it
    # a "here" the sentence names already is left as written, not named twice
    named = "Ferry delays have become a big problem here in Port Tamsin, the harbour master said."
    twice = [SummarySentence(named, ["a"], ["A"], True, "named")]
    place_here(twice, [told_fact("named", named, 0, ("A",))], {"a": "PORT TAMSIN"})
    assert twice[0].text == named


def test_a_fact_is_shown_by_a_sentence_that_stands_alone_where_it_has_one():
    from storylens.compare.summary import readable_text

    pronoun = Claim(
        "a",
        "A",
        None,
        3,
        "Her remarks came after the ferry ran aground off Port Tamsin.",
        frozenset(),
        frozenset(),
    )
    plain = Claim(
        "b",
        "B",
        None,
        1,
        "The ferry Aurelia ran aground off Port Tamsin on Monday.",
        frozenset(),
        frozenset(),
    )
    assert readable_text(Fact("f", [pronoun, plain], pronoun.text)) == plain.text
    assert readable_text(Fact("f", [pronoun, plain], plain.text)) == plain.text  # kept when it reads alone
    alone = Fact("g", [pronoun], pronoun.text)
    assert readable_text(alone) == pronoun.text  # no other: the representative one


def test_a_summary_tells_the_openings_happening_once():
    def done(fid, text, position, periods=(), hedged=()):
        fact = told_fact(fid, text, position)
        for claim in fact.claims:
            claim.actors = frozenset({"resign|e_ilves"})
            claim.periods = frozenset(periods)
            claim.hedged = frozenset(hedged)
        return fact

    facts = [
        done(
            "quit",
            "Harbour master Marta Ilves resigned on Monday after the ferry ran aground.",
            0,
            ["resign|2025-05-19"],
        ),
        done(
            "again",
            "Marta Ilves, who ran the port for ten years, resigned from her post on Monday afternoon.",
            1,
        ),
        done(
            "before",
            "Marta Ilves resigned from the town council in 2019 over a budget row.",
            2,
            ["resign|2019"],
        ),
        done(
            "board",
            "Marta Ilves may resign from the ferry board as well, her deputy said.",
            3,
            hedged=["resign"],
        ),
        told_fact("tug", "Two tugs from the northern harbour reached the ferry on Monday night.", 4),
    ]
    chosen = [s.fact_id for s in summarized(facts)]
    # told again with no other day: left out; another year, or only possible: something new
    assert chosen == ["quit", "before", "board", "tug"]


def test_a_pronoun_that_speaks_is_named_when_another_article_names_the_same_speaker():
    text = "The port shut at dawn. She said the gates would stay shut until Friday."
    sentence = "She said the gates would stay shut until Friday."
    she = text.index("She")
    said = [(she + 9, len(text) - 1, "s_shut", "e_ilves", "She")]
    voice = at(text, sentence, said=said, shared=frozenset({"s_shut"}))
    assert voice.speaker == (she, she + 3, "e_ilves") and voice.dangling  # unnamed, as written
    # no other article tells the statement: one resolution of "She" is not enough to print a name
    assert at(text, sentence, said=said).speaker is None
    # two quotes of the sentence whose "She" the analysis took for two people: no one is named
    torn = said + [(she + 9, len(text) - 1, "s_other", "e_berg", "She")]
    assert at(text, sentence, said=torn, shared=frozenset({"s_shut", "s_other"})).speaker is None
    # a clause opening on "he" goes on from its sentence; a quotation's "he said" speaks, "he" inside it not
    clause = "he then added the gates would stay shut until Friday."
    assert (
        at(clause, clause, said=[(14, 52, "s_shut", "e_berg", "he")], shared=frozenset({"s_shut"})).speaker
        is None
    )
    quoted = "“He kept the gates shut,” he said on Monday."
    said = [(1, 24, "s_gates", "e_berg", "he")]
    he = quoted.index("he said")
    assert at(quoted, quoted, said=said, shared=frozenset({"s_gates"})).speaker == (he, he + 2, "e_berg")
    # a word in quotation marks is no quotation: who asked is the "student", not the mayor
    scare = "The mayor grabbed the “student” after he asked about the gates."
    said = [(scare.index("about"), len(scare) - 1, "s_ask", "e_berg", "he")]
    assert at(scare, scare, said=said, shared=frozenset({"s_ask"})).speaker is None
    inverted = "“The gates stay shut,” said he on Monday."
    said = [(1, 21, "s_gates", "e_berg", "he")]
    he = inverted.index("he on")
    assert at(inverted, inverted, said=said, shared=frozenset({"s_gates"})).speaker == (he, he + 2, "e_berg")


def test_a_named_speaker_is_told_by_surname_as_the_article_writes_the_name():
    from storylens.compare.voice import Voice, names_written, shared_statements, speaker_named

    text = "The mayor spoke. Mayor Marta Ilves left. Tomas Berg Jr. stayed. Berg Jr.'s boat sank."

    def span(words: str, entity: str, name: str) -> tuple:
        return text.index(words), text.index(words) + len(words), entity, name, "PERSON"

    spans = [
        span("The mayor", "e_ilves", "Marta Ilves"),  # a description resolved to her: no name
        span("Mayor Marta Ilves", "e_ilves", "Marta Ilves"),
        span("Tomas Berg Jr.", "e_jr", "Tomas A. Berg Jr."),
        span("Berg Jr.'s", "e_jr", "Tomas A. Berg Jr."),
    ]
    # the longest name the article writes, its title left out (not the store's "Tomas A. Berg Jr.")
    written = names_written(text, spans)
    assert written == {"e_ilves": "Marta Ilves", "e_jr": "Tomas Berg Jr."}
    assert names_written(text, spans[:1]) == {"e_ilves": "Marta Ilves"}  # only the description: the name
    assert names_written("Ilves left.", [(0, 5, "e_ilves", "Marta Ilves", "PERSON")]) == {
        "e_ilves": "Marta Ilves"
    }
    voice = Voice(False, False, frozenset(), (60, 63, "e_ilves"))
    assert speaker_named(voice, 50, written, Counter({"Ilves": 1})) == (10, 13, "e_ilves", "Ilves")
    assert speaker_named(voice, 50, written, Counter({"Ilves": 2}))[3] == "Marta Ilves"  # two Ilveses
    suffixed = Voice(False, False, frozenset(), (60, 63, "e_jr"))
    assert speaker_named(suffixed, 50, written, Counter({"Jr.": 1}))[3] == "Tomas Berg Jr."
    unknown = Voice(False, False, frozenset(), (60, 63, "e_gone"))
    assert speaker_named(unknown, 50, written, Counter()) is None  # not a person of this article
    said = {"a": [(0, 5, "s1"), (9, 12, "s1")], "b": [(3, 8, "s1"), (10, 20, "s2")]}
    assert shared_statements(said) == {"s1"}  # told by two articles, not twice by one


def test_a_fact_is_listed_with_its_speaker_named_but_the_summary_does_not_tell_it():
    from storylens.compare.summary import readable_text

    sentence = "She said the gates of the harbour would stay shut until the wind dropped on Friday."
    named = Claim(
        "a", "A", None, 1, sentence, frozenset(), frozenset(), dangling=True, speaker=(0, 3, "e", "Ilves")
    )
    bare = Claim("b", "B", None, 1, sentence, frozenset(), frozenset(), dangling=True)
    assert (
        named.told == "Ilves said the gates of the harbour would stay shut until the wind dropped on Friday."
    )
    assert usable_claim(named, named=True) and not usable_claim(bare, named=True)
    assert readable_text(Fact("gates", [bare, named], sentence)) == named.told
    assert readable_text(Fact("gates", [bare], sentence)) == sentence  # nothing better to show it by
    # the summary tells neither: blind readers preferred the report set's summaries without them
    assert not usable_claim(named)
    facts = ferry_aground()[:1] + [
        Fact("gates", [named, bare], sentence),
        told_fact("tug", "Two tugs from the northern harbour reached the ferry on Monday night.", 3),
    ]
    texts = [s.text for s in summarized(facts)]
    assert named.told not in texts and sentence not in texts


PORT_A = """Storm shuts the port of Tamsin

Mayor Laura Bennett closed the port of Tamsin on Monday after a storm tore two cranes from the north quay.

"The gates stay shut until the wind drops," Bennett told reporters at the harbour office.

She said the ferries to Orsa would sail again on Thursday once the quay had been inspected.

She said the pilots had warned the harbour office of the storm on Sunday evening.
"""
PORT_B = """Tamsin port closed after storm wrecks cranes

The port of Tamsin was closed on Monday after a storm tore two cranes from the north quay, Mayor Laura Bennett said.

Bennett said the ferries to Orsa would sail again on Thursday once the quay had been inspected.

Fishing boats stayed in the inner basin through the night, the coast guard said.
"""


def test_a_compared_store_names_a_pronoun_speaker_only_where_two_articles_agree_on_the_person(tmp_path):
    from storylens import open_store
    from storylens.pipeline import compare_articles

    with open_store(ingest_outlets(tmp_path, {"Harbor Wire": PORT_A, "Coast Daily": PORT_B})) as store:
        ids = [a for r in store.story_rows() for a in r["article_ids"]]
        comparison = compare_articles(store, ids)
        names = store.entity_names({c.speaker[2] for f in comparison.facts for c in f.claims if c.speaker})
    claims = {c.text: c for f in comparison.facts for c in f.claims}
    ferries = claims[
        "She said the ferries to Orsa would sail again on Thursday once the quay had been inspected."
    ]
    assert (
        ferries.told
        == "Bennett said the ferries to Orsa would sail again on Thursday once the quay had been inspected."
    )
    assert names[ferries.speaker[2]].endswith("Bennett")  # the person the analysis resolved "She" to
    # the pilots' warning only one article reports: its "She" is no speaker two articles agree on, and
    # stays out of the summary; the lists name her in brackets, by the article around it (referents.py),
    # and the day its weekday stands for (dated.py; the articles are of Monday, March 3)
    warned = claims["She said the pilots had warned the harbour office of the storm on Sunday evening."]
    assert warned.speaker is None and warned.dangling
    assert all(not s.text.startswith(("She ", "[")) for s in comparison.summary)
    shown = {f.text for f in comparison.facts}
    assert (
        "[Laura Bennett] said the pilots had warned the harbour office of the storm on Sunday evening [March 2]."
        in shown
    )


def test_a_quotation_pointing_at_someone_it_does_not_name_does_not_stand_alone():
    # who "he" is lies in a sentence the summary may not carry
    assert not standalone('"Not a single thing he said about the harbour is accurate," Ilves said.')
    assert not standalone("“She should pay for the new gates herself,” Tomas Berg told reporters on Friday.")
    # named before the pronoun in the quotation, or beside the speaker in the sentence: it stands
    assert standalone('"Tomas Berg knows what he did to this harbour," Ilves said on Friday.')
    assert standalone('Ilves said of Tomas Berg: "Not a single thing he said about the harbour is accurate."')
    assert standalone("“Throughout his career, Berg has left a record of unpaid harbour fees,” Ilves said.")
    assert not standalone('"I\'m sure he lied to the harbour council," Ilves said on Friday.')
    # the speaker's own words and plural pronouns point at no one outside
    assert standalone('"I know for a fact that my ferry was never at risk," Ilves told Radio Tamsin.')
    assert standalone('"The ferries left their berths on time every day this week," Ilves said.')


def test_a_summary_leaves_out_a_second_outlets_lede_about_the_openings_person():
    def lede(fid: str, text: str, outlet: str, position: int = 0, person: str = "e_ilves") -> Fact:
        claims = [
            Claim(o.lower(), o, None, position, text, frozenset({person}), frozenset()) for o in (outlet, "C")
        ]
        return Fact(fid, claims, text)

    facts = [
        lede("quit", "Harbour master Marta Ilves said on Monday she did not order the gates shut.", "A"),
        lede("again", "A day after the storm, Marta Ilves broke her silence about the shut gates.", "B"),
        lede("later", "Marta Ilves met the ferry operators on Tuesday to plan the repairs.", "A", position=3),
        told_fact("tug", "Two tugs from the northern harbour reached the ferry on Monday night.", 4),
        lede(
            "mayor", "Mayor Tomas Berg ordered an inquiry into the harbour on Monday.", "B", person="e_berg"
        ),
    ]
    vectors = {f.id: v for f, v in zip(facts, np.eye(len(facts)), strict=True)}
    lead = {f.id: 1.0 - i / 10 for i, f in enumerate(facts)}
    people = frozenset({"e_ilves", "e_berg"})
    told = [s.fact_id for s in summarize(facts, vectors, {}, lead, ["quit"], people=people)]
    # B's lede tells the opening again: left out, and nothing takes its place
    assert told == ["quit", "later", "tug", "mayor"]
    # with no person known, it is told
    assert "again" in [s.fact_id for s in summarize(facts, vectors, {}, lead, ["quit"])]
    # never below three sentences
    short = [facts[0], facts[1], facts[4]]
    assert len(summarize(short, vectors, {}, lead, ["quit"], people=people)) == 3


def test_a_signpost_to_what_follows_is_no_statement():
    nlp = load_nlp_with_lemmas()
    for signpost in (
        "Here are the mayor's stances on the harbour and the ferry.",
        "Here's what we know so far:",
    ):
        assert not complete(list(nlp(signpost)))
    for statement in (
        "Heavy rain fell here for three days in a row.",
        "The mayor said here is where the pier will stand.",
    ):
        assert complete(list(nlp(statement)))


def test_a_summary_prefers_the_facts_central_to_the_story(monkeypatch):
    from storylens.compare import summary

    texts = {
        "aground": "The ferry Aurelia ran aground off Port Tamsin on Monday with 200 on board.",
        "tug": "Two tugs from the northern harbour reached the ferry on Monday night.",
        "tide": "The ferry was floated off the sandbank at high tide on Tuesday morning.",
        "pilot": "The harbour pilot had left the ferry an hour before it ran aground.",
        "fees": "Port Tamsin raised its harbour fees for ferries in March this year.",
        "gulls": "A colony of gulls nests on the sandbank every spring, rangers said.",
        "hull": "Divers found a crack in the Aurelia's hull below the waterline.",
        "context": "He said the hull had been damaged below the waterline on Monday.",
    }
    facts = [told_fact(fid, text, k) for k, (fid, text) in enumerate(texts.items())]
    axis = {fid: np.eye(len(texts))[k] for k, fid in enumerate(texts)}
    axis["context"] = axis["hull"]  # untold ("He said ..."), but the story is about the hull too
    lead = {f.id: 1.0 for f in facts}
    told = [s.fact_id for s in summarize(facts, axis, {}, lead, ["aground"])]
    assert len(told) == 6 and "hull" in told and "gulls" not in told
    # weighed only by outlets and place, the last of seven equal facts is the one left out
    monkeypatch.setattr(summary, "CENTRALITY_WEIGHT", 0.0)
    assert "hull" not in [s.fact_id for s in summarize(facts, axis, {}, lead, ["aground"])]


def test_a_summary_opens_on_a_lede_naming_who_acts_before_one_holding_them_back():
    from storylens.compare.summary import unnamed_opening

    assert unnamed_opening("One of the most senior Republicans on the council said he backs the plan.")
    assert unnamed_opening("Two of the harbour pilots said they had warned the captain.")
    assert not unnamed_opening("One of the country's oldest ferry companies cancelled every crossing.")
    assert not unnamed_opening("Harbour master Marta Ilves said she backs the plan.")
    facts = ferry_aground()[:2] + [
        told_fact("unnamed", "One of the most senior councillors of Port Tamsin said he backs the plan.", 0),
        told_fact("named", "Councillor Tomas Berg said on Monday that he backs the plan for the port.", 0),
    ]
    vectors = {f.id: v for f, v in zip(facts, np.eye(len(facts)), strict=True)}
    lead = {f.id: 1.0 for f in facts}
    opening = summarize(facts, vectors, {}, lead, ["unnamed", "named", "aground"])[0]
    assert opening.fact_id == "named"  # the first candidate holds back who speaks: the next one opens
    # with no candidate naming anyone, the first still opens
    assert summarize(facts, vectors, {}, lead, ["unnamed"])[0].fact_id == "unnamed"


def test_a_summary_opens_on_whom_the_happening_harmed_before_the_police_at_work():
    from storylens.compare.summary import police_at_work

    at_work = "Tamsin police are investigating a shooting that happened in the 1800 block of Quay Street."
    assert police_at_work(at_work)
    assert police_at_work("Harbour police are on scene of a reported shooting near the ferry terminal.")
    assert police_at_work("State Police has released more information concerning a shooting in Tamsin.")
    assert not police_at_work("Tamsin police are investigating a shooting that left a 24-year-old man hurt.")
    assert not police_at_work("Police are investigating a fatal shooting on Quay Street.")
    assert not police_at_work(
        "Police are investigating the harbour board over a missing contract."
    )  # the news
    hurt = "A 24-year-old man was shot in the leg on Quay Street late Sunday, police said."
    vague = "Neighbours said the street was quiet after the police left on Monday."
    facts = [told_fact("work", at_work, 0), told_fact("vague", vague, 0), told_fact("hurt", hurt, 0)]
    vectors = {f.id: v for f, v in zip(facts, np.eye(len(facts)), strict=True)}
    lead = {f.id: 1.0 for f in facts}
    assert summarize(facts, vectors, {}, lead, ["work", "vague", "hurt"])[0].fact_id == "hurt"
    # no candidate tells whom it harmed: the first still opens
    assert summarize(facts, vectors, {}, lead, ["work", "vague"])[0].fact_id == "work"


def test_a_piece_of_a_quotation_is_listed_with_who_said_it():
    from storylens.compare.claims import said_by
    from storylens.compare.summary import readable_text
    from storylens.compare.voice import Voice, quoter_named

    text = '"He kept the ferry running," said Dana Ruiz. "He was a good captain. We will miss him."'
    said = [(1, 27, "s_ferry", "e_ruiz", "Dana Ruiz"), (47, len(text) - 1, "s_ferry", "e_ruiz", "Dana Ruiz")]
    # inside the quotation, marks or none: the quotation's speaker; the sentence naming her: no one
    assert at(text, '"He was a good captain.', said=said).quoter == ("e_ruiz", "Dana Ruiz")
    assert at(text, "We will miss him.", said=said).quoter == ("e_ruiz", "Dana Ruiz")
    assert at(text, '"He kept the ferry running," said Dana Ruiz.', said=said).quoter is None
    assert at(text, "We will miss him.").quoter is None  # the analysis found no speaker
    torn = [
        (47, len(text) - 1, "s_ferry", "e_ruiz", "Dana Ruiz"),
        (60, len(text) - 1, "s_x", "e_berg", "Berg"),
    ]
    assert at(text, "We will miss him.", said=torn).quoter is None  # two speakers: no one
    # marks glued to words pair wrongly: no speaker for anything inside such a "quotation"
    glued = '"We will miss him."The harbour reopened on Monday.'
    assert at(glued, "The harbour reopened on Monday.", said=[(1, 49, "s", "e_ruiz", "Ruiz")]).quoter is None
    lost = '"We will miss him, Mrs. Ruiz said.'  # its closing mark lost: it says who said it
    assert at(lost, lost, said=[(1, len(lost), "s", "e_ruiz", "Ruiz")]).quoter is None
    # a quotation going on in a new paragraph opens it with a mark of its own: still one quotation
    long = '"We will miss him.\n\n"Nobody kept the ferry running like him," said Ruiz.'
    said = [(1, long.index('," said'), "s", "e_ruiz", "Ruiz")]
    assert at(long, "We will miss him.", said=said).quoter == ("e_ruiz", "Ruiz")
    # told by the name the article writes for her, where her surname is hers alone in the story
    written, one = {"e_ruiz": "Dana Ruiz", "e_kid": "Lia Ruiz"}, Counter({"Ruiz": 1})

    def named(entity, as_written, surnames=one):
        return quoter_named(Voice(True, False, quoter=(entity, as_written)), written, surnames)

    assert named("e_ruiz", "Ruiz") == named("e_ruiz", "harbour master Dana Ruiz") == "Dana Ruiz"
    # a pronoun: not whom the analysis resolved it to (on local news too often the child spoken of)
    assert named("e_ruiz", "she") is None and named(None, "she") is None and named(None, "") is None
    # two Ruizes (the captain's daughter is the one spoken of): the name as the attribution writes it
    assert named("e_kid", "Ruiz", Counter({"Ruiz": 2})) == "Ruiz"
    # a description as written, never the person it was resolved to (who may be the one it speaks of)
    assert named("e_kid", "the woman") == "The woman"
    assert named(None, "the captain's sister") == "The captain's sister"
    assert named(None, "Port Authority Chief Ana Ilves") == "Port Authority Chief Ana Ilves"
    assert named("e_ruiz", "Dana Ruiz/Harbour Daily") is None  # a photo credit is no speaker
    assert named(None, "the Republican senator") == "The Republican senator"
    assert named("e_ruiz", "Said Ruiz") is None  # a misread attribution
    assert said_by("Dana Ruiz", '"We are sorry,') == "Dana Ruiz said: “We are sorry”"
    # the lists show it so, where it stands alone or not at all; the summary never tells it
    piece = "Nobody kept the ferry running through the winter storms the way our captain did."
    quoted = Claim("a", "A", None, 2, piece, frozenset(), frozenset(), quoting=True, quoted_by="Dana Ruiz")
    assert quoted.told == f"Dana Ruiz said: “{piece}”"
    assert usable_claim(quoted, named=True) and not usable_claim(quoted)
    assert readable_text(Fact("captain", [quoted], piece)) == quoted.told
    alone = "The ferry never once missed a crossing in winter, the harbour office said on Monday."
    unsaid = Claim("b", "B", None, 2, piece, frozenset(), frozenset(), quoting=True)
    assert readable_text(Fact("captain", [unsaid], piece)) == piece  # no speaker known: as written
    said_plain = Claim("c", "C", None, 2, alone, frozenset(), frozenset())
    assert readable_text(Fact("captain", [quoted, said_plain], piece)) == quoted.told
    # a piece pointing outside it ("He ...") stands alone nowhere, and is still shown with its speaker
    pointing = "He was a good captain and he never once missed a crossing in winter."
    his = Claim("a", "A", None, 3, pointing, frozenset(), frozenset(), quoting=True, quoted_by="Dana Ruiz")
    assert not usable_claim(his, named=True)
    assert readable_text(Fact("captain", [his], pointing)) == f"Dana Ruiz said: “{pointing}”"


def test_claims_read_whose_quotation_they_lie_in_from_the_articles_quotes():
    paragraph = (
        '"The ferry ran every day of the winter," said Dana Ruiz. '
        '"Nobody kept it running the way our captain did in the storms."'
    )
    article = Article("a", "a.txt", "A", "T", None, None, "en", None, [paragraph])
    name = paragraph.index("Dana Ruiz")
    mentions = {"a": [(name, name + 9, "e_ruiz", "Dana Ruiz", "PERSON")]}
    second = paragraph.index("Nobody")
    said = {
        "a": [
            (1, 39, "s_1", "e_ruiz", "Dana Ruiz"),
            (second, len(paragraph) - 1, "s_2", "e_ruiz", "Dana Ruiz"),
        ]
    }
    first, piece = claims_of([article], mentions, said=said)
    assert first.quoted_by is None and first.told == first.text  # it names her itself
    assert piece.quoted_by == "Dana Ruiz"
    assert piece.told == "Dana Ruiz said: “Nobody kept it running the way our captain did in the storms.”"
    assert claims_of([article], mentions)[1].quoted_by is None  # no quotes found: no one to name
