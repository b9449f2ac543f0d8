"""Signal lexicons, the SignalFinder and the SignalFeaturizer (built as Rasa builds it, no training)."""

import pytest
from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, FEATURE_TYPE_SEQUENCE, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.components.base import LANGUAGE_GUESS
from bot.components.signal_featurizer import FEATURES, SignalFeaturizer
from bot.knowledge.loader import KnowledgeError, load_signals
from bot.knowledge.schema import PROFESSION_LANGUAGES
from bot.nlp.instances import profession_finder, signal_finder
from bot.nlp.phrase_index import PhraseIndex
from bot.nlp.signals import SIGNALS


def signals(text, language=None):
    return {match.signal for match in signal_finder().find(text, language)}


def test_every_language_has_every_signal():
    lexicons = load_signals()
    assert set(lexicons) >= set(PROFESSION_LANGUAGES)
    for language, lexicon in lexicons.items():
        for signal in SIGNALS:
            assert len(getattr(lexicon, signal)) >= 5, (language, signal)


@pytest.mark.parametrize(
    ("text", "language", "signal"),
    [
        ("tschüss", "de", "bye"),
        ("thank you so much", "en", "thanks"),
        ("дякую", "uk", "thanks"),
        ("спасибо", "ru", "thanks"),
        ("شكرا", "ar", "thanks"),
        ("merci beaucoup", "fr", "thanks"),
        ("teşekkürler", "tr", "thanks"),
        ("dziękuję", "pl", "thanks"),
        ("mulțumesc", "ro", "thanks"),
        ("grazie", "it", "thanks"),
        ("gracias", "es", "thanks"),
        ("ممنون", "fa", "thanks"),
    ],
)
def test_thanks_and_bye_in_their_languages(text, language, signal):
    assert signal in signals(text, language)


def test_entries_that_normalise_alike_are_told_apart_by_their_spelling():
    """Persian "بدرود" (farewell) is "درود" (greeting) with a prefix; stripped, both are one key."""
    assert signals("بدرود", "fa") == {"bye"}
    assert signals("درود", "fa") == {"hello"}
    assert signals("بسلامة", "ar") == {"bye"}
    assert signals("سلام", "ar") == {"hello"}


def test_short_words_of_another_language_do_not_count():
    """German "ja" is yes; Polish "ja" is "I"."""
    assert "yes" in signals("ja", "de")
    assert "yes" not in signals("ja jestem pielęgniarką", "pl")


def test_longer_words_mixed_in_from_another_language_count():
    assert "thanks" in signals("danke", "uk")


def test_unknown_language_counts_every_lexicon():
    assert "yes" in signals("ja")


def test_a_typo_in_a_long_word_is_forgiven():
    assert "recognition" in signals("anerkenung", "de")


def test_a_broken_lexicon_is_reported_with_file_and_line(tmp_path):
    (tmp_path / "de.yml").write_text("hello: [Hallo]\nbye: [tschüss, hallo welt]\n", encoding="utf-8")
    with pytest.raises(KnowledgeError) as error:
        load_signals(tmp_path)
    problems = "\n".join(error.value.problems)
    assert "de.yml:1: hello.0:" in problems  # upper case
    assert "thanks: field required" in problems
    assert "no signal lexicon for 'en'" in problems


def test_an_entry_under_two_signals_is_reported(tmp_path):
    text = "".join(f'"{signal}": [word {index}]\n' for index, signal in enumerate(SIGNALS))
    (tmp_path / "de.yml").write_text(text.replace("word 1]", "word 0]"), encoding="utf-8")
    with pytest.raises(KnowledgeError) as error:
        load_signals(tmp_path)
    assert "'word 0' is listed under both hello and bye" in "\n".join(error.value.problems)


def test_an_unquoted_yes_is_reported(tmp_path):
    """YAML reads a bare ``yes:`` as true."""
    (tmp_path / "de.yml").write_text("hello: [hallo]\nyes: [ja]\n", encoding="utf-8")
    with pytest.raises(KnowledgeError) as error:
        load_signals(tmp_path)
    message = "de.yml:2: key 'yes' is read as a value, not a name: write it in quotes"
    assert any(problem.endswith(message) for problem in error.value.problems)


@pytest.fixture(scope="module")
def featurizer(tmp_path_factory):
    storage = LocalModelStorage(tmp_path_factory.mktemp("model"))
    context = ExecutionContext(graph_schema=None, model_id="test", node_name="signals")
    return SignalFeaturizer.create({}, storage, Resource("signals"), context)


@pytest.fixture(scope="module")
def tokenizer():
    return WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())


def featurized(featurizer, tokenizer, text, language=None):
    message = Message(data={TEXT: text})
    if language:
        message.set(LANGUAGE_GUESS, language)
    tokenizer.process([message])
    featurizer.process([message])
    return message


def columns(matrix):
    return {FEATURES[column] for column in matrix.nonzero()[1]}


def test_features_per_token_and_per_message(featurizer, tokenizer):
    message = featurized(featurizer, tokenizer, "ok danke tschüss", "de")
    sequence, sentence = message.get_sparse_features(TEXT)
    assert sequence.features.shape == (3, len(FEATURES))
    assert sentence.features.shape == (1, len(FEATURES))
    assert {"thanks", "bye"} <= columns(sentence.features)
    bye = FEATURES.index("bye")
    assert sequence.features.toarray()[:, bye].tolist() == [0.0, 0.0, 1.0]


def test_profession_and_place_are_features(featurizer, tokenizer):
    message = featurized(featurizer, tokenizer, "Я медсестра, живу в Лейпцигу", "uk")
    _, sentence = message.get_sparse_features(TEXT)
    assert {"profession", "place"} <= columns(sentence.features)


def test_the_detected_language_decides_about_short_words(featurizer, tokenizer):
    polish = featurized(featurizer, tokenizer, "ja jestem lekarzem", "pl")
    german = featurized(featurizer, tokenizer, "ja", "de")
    assert "yes" not in columns(polish.get_sparse_features(TEXT)[1].features)
    assert "yes" in columns(german.get_sparse_features(TEXT)[1].features)


def test_training_examples_are_featurized_without_a_language_guess(featurizer, tokenizer):
    example = Message(data={TEXT: "Dziękuję bardzo", "intent": "thank"})
    data = TrainingData([example])
    tokenizer.process_training_data(data)
    assert featurizer.process_training_data(data) is data
    features = [f.type for f in example.features if f.origin == "signals"]
    assert sorted(features) == [FEATURE_TYPE_SENTENCE, FEATURE_TYPE_SEQUENCE]
    assert "thanks" in columns(example.get_sparse_features(TEXT)[1].features)


def test_message_without_text_is_left_alone(featurizer, tokenizer):
    message = Message(data={TEXT: ""})
    featurizer.process([message])
    assert message.features == []


@pytest.mark.parametrize(
    ("phrase", "text", "language"),
    [
        ("i'm a", "i'm a nurse", "en"),
        ("c'est combien", "c'est combien ?", "fr"),
        ("im from", "im from syria", "en"),
    ],
)
def test_phrases_are_matched_as_the_language_splits_them(phrase, text, language):
    """English splits "i'm" into "i" + "'m" and "im" into "i" + "m"; the shared tokenizer does neither."""
    index = PhraseIndex([(phrase, "key")])
    assert [match.text for match in index.find(text, language)] == [phrase]


def test_the_finders_answer_a_repeated_question_from_memory():
    """The extractors and the SignalFeaturizer ask the same finders about each message."""
    finder = profession_finder()
    finder.find.cache_clear()
    finder.find("Я медсестра", "uk")
    finder.find("Я медсестра", "uk")
    assert finder.find.cache_info().hits == 1
