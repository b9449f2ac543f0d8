"""Word-list evidence between languages (wordfreq's bundled lists), on words chosen for these tests."""

import pytest

from bot.nlp.word_frequencies import WordFrequencyVote, leaning


@pytest.mark.parametrize(
    ("word", "language"),
    [
        ("дякую", "uk"),
        ("спасибо", "ru"),
        ("ДЯКУЮ", "uk"),  # case does not matter
        ("день", None),  # both use it about as often
        ("qzxvw", None),  # neither list holds it
    ],
)
def test_leaning_between_ukrainian_and_russian(word, language):
    assert leaning(word, "uk", "ru") == language


def test_vote_is_the_posterior_among_listed_candidates():
    vote = WordFrequencyVote([("ro", "it", "es")]).vote(
        ["multumesc", "frumos"], dict.fromkeys(("ro", "it", "es"), 1.0)
    )
    assert max(vote, key=vote.get) == "ro"
    assert sum(vote.values()) == pytest.approx(1.0)


def test_vote_abstains_between_listed_and_unlisted_candidates():
    """Somali has no list: it keeps its share of the other detectors' vote, whatever the words."""
    vote = WordFrequencyVote([("so", "en", "it")]).vote(
        ["grazie", "mille"], {"so": 2.0, "en": 1.0, "it": 1.0}
    )
    assert vote["so"] == pytest.approx(0.5)
    assert vote["it"] > 0.49 and vote["en"] < 0.01


def test_no_words_or_no_listed_candidate_gives_no_vote():
    vote = WordFrequencyVote([("so", "ps")])
    assert vote.vote([], {"so": 1.0, "ps": 1.0}) == {}
    assert vote.vote(["salaan"], {"so": 1.0, "ps": 1.0}) == {}
