"""Versions of one statement: the words one outlet quotes otherwise than another. The quotations
are written for the tests."""

from __future__ import annotations

from storylens.understand.versions import quoted_otherwise, worded_otherwise


def test_each_outlets_version_of_a_quotation_marks_the_words_another_gives_otherwise():
    def marked(text: str, *others: str) -> list[str]:
        return [text[a:b] for a, b in worded_otherwise(text, list(others))]

    full = "We are not going to pay a single cent for such a stupid wall, and it will be useless,"
    assert marked(full, "we are not going to pay any single cent for such a stupid wall") == ["a"]
    assert marked("We will not pass the harbour bill this month", "We will pass the harbour bill") == ["not"]
    assert marked(
        "No meeting between President Varo and Ilse Kern,", "No meeting between this president and Kern,"
    ) == [
        "Varo",
        "Ilse",
    ]
    # both opening on other words: a rewording of the opening, a few words long
    to_pass = "To pass this bill in the next weeks would raise the risk of a double dip,"
    if_not = "If they don't pass this bill in the next weeks it will raise the risk of a double dip,"
    assert marked(if_not, to_pass) == ["If they don't", "it will"]
    assert marked(to_pass, if_not) == ["To", "would"]
    # quoting more or less of the statement, case, apostrophes, hyphens and an abbreviation's dots
    # are no different words
    assert marked(full, "not going to pay a single cent") == []
    assert (
        marked(
            "They lied to the F.B.I. about the state-funded port.",
            "they lied to the FBI about the state funded port",
        )
        == []
    )
    assert marked("We’ve got to defeat this bill", "we've got to defeat this bill") == []
    # ...nor are contractions, words run together, or words the other leaves out with an ellipsis
    assert (
        marked(
            "We've got to defeat this bill, they're sure", "We have got to defeat this bill, they are sure"
        )
        == []
    )
    assert (
        marked("The workforce needs new skills to compete", "The work force needs new skills to compete")
        == []
    )
    remiss = "We would be remiss in our duty to you if we did not challenge your budget plan"
    assert marked(remiss, "we would be remiss … if we did not challenge your budget plan") == []
    assert marked(
        "We won't pass the harbour bill this month", "We will pass the harbour bill this month"
    ) == ["n't"]
    # two parts of one statement sharing a few words are not versions of one another
    assert (
        marked(
            "The port will reopen on Monday and the ferries will run to Ruskor again,",
            "The port is a disgrace and the ferries are late,",
        )
        == []
    )
    assert marked("We had ten minutes", "We had an hour") == []  # too few words shared to compare
    # ...nor a short quotation sharing its words with a stretch of a longer one that has many others
    long_one = (
        "It is not the intent of the law to discriminate against anyone, and it will not be allowed to,"
    )
    assert marked("The new law does not discriminate,", long_one) == []


def test_a_statements_quotations_are_read_against_other_articles_versions():
    def quote(qid, article, text, direct=True):
        return {"id": qid, "article_id": article, "text": text, "direct": direct}

    a_cent = "We are not going to pay a single cent for the sea wall"
    any_cent = "We are not going to pay any single cent for the sea wall"
    quotes = [
        quote("q1", "A-1", a_cent),
        quote("q2", "B-1", any_cent),
        quote("q3", "C-1", any_cent),  # the same text in a third article: read once, marked alike
        quote("q4", "C-1", "we will not pay for the wall", direct=False),  # reported: never marked
    ]
    found = quoted_otherwise(quotes)
    assert found == {"q1": [[24, 25]], "q2": [[24, 27]], "q3": [[24, 27]]}
    assert a_cent[24:25] == "a" and any_cent[24:27] == "any"
    # two versions in one article only are not two outlets quoting it
    assert quoted_otherwise([quote("q1", "A-1", a_cent), quote("q2", "A-1", any_cent)]) == {}
