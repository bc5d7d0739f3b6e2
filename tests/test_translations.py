"""The commitments' translations: loaded and checked, embedded in the index, matched by BM25 in
the question's language, and never shown in place of the English source."""

from __future__ import annotations

import json

import pytest

from gdc_assistant.ask import ask
from gdc_assistant.corpus import load_corpus
from gdc_assistant.errors import CorpusError
from gdc_assistant.index.manifest import corpus_hash, translated_documents
from gdc_assistant.lexical import cjk_bigrams, lexical_scores, vocabulary_share
from gdc_assistant.translations import load_translations

LANGUAGES = {"ar", "de", "es", "fr", "pt", "ru", "zh"}


def test_every_shipped_language_covers_every_commitment(corpus):
    assert set(corpus.translations) == LANGUAGES
    ids = {c.id for c in corpus}
    for language, texts in corpus.translations.items():
        assert set(texts) == ids, language
        assert all(t.strip() for t in texts.values()), language


def test_a_file_missing_a_commitment_is_refused_with_the_fix(tmp_path, corpus):
    folder = tmp_path / "translations"
    folder.mkdir()
    rows = [{"id": c.id, "section": None, "text": "texte"} for c in corpus][:-1]
    (folder / "fr.jsonl").write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    with pytest.raises(CorpusError, match="does not match the corpus.*restore it from git"):
        load_translations(folder, ids=tuple(c.id for c in corpus))


def test_a_damaged_file_is_refused(tmp_path, corpus):
    folder = tmp_path / "translations"
    folder.mkdir()
    (folder / "de.jsonl").write_text('{"id": "O1-CONN-01", "text": ', encoding="utf-8")
    with pytest.raises(CorpusError, match="de.jsonl is damaged"):
        load_translations(folder, ids=tuple(c.id for c in corpus))


def test_no_folder_means_no_translations(tmp_path, corpus):
    assert load_translations(tmp_path / "nothing", ids=tuple(c.id for c in corpus)) == {}


def test_a_copied_corpus_without_translations_hashes_as_before(tmp_path, corpus):
    copy = tmp_path / "commitments.jsonl"
    copy.write_text("\n".join(json.dumps(c.to_dict()) for c in corpus) + "\n", encoding="utf-8")
    bare = load_corpus(copy)
    assert bare.translations == {} and translated_documents(bare) == []
    assert corpus_hash(bare) != corpus_hash(corpus)  # the translations are part of a build


def test_chinese_is_matched_on_character_pairs():
    assert cjk_bigrams("数字鸿沟") == " 数字 字鸿 鸿沟 "
    assert cjk_bigrams("AI 治理").split() == ["AI", "治理"]


def test_bm25_reads_a_question_in_its_own_language(real_index):
    # Russian inflections and Chinese words match only the translation, never the English text
    russian = lexical_scores(real_index, "отключения интернета", language="ru")
    chinese = lexical_scores(real_index, "互联网关闭", language="zh")
    assert max(russian, key=russian.get) == "O3-IG-04"
    assert max(chinese, key=chinese.get) == "O3-IG-04"
    assert lexical_scores(real_index, "отключения интернета", language="en") == {}


def test_vocabulary_share_is_measured_in_the_question_language(real_index):
    assert vocabulary_share(real_index, "защита данных", language="ru") == 1.0
    assert vocabulary_share(real_index, "рецепт борща со свёклой", language="ru") < 0.5
    assert vocabulary_share(real_index, "the weather tomorrow in Lima", language="en") < 0.5


def test_the_index_holds_the_translations_and_answers_quote_english(real_index, corpus):
    assert real_index.translated == LANGUAGES
    response = ask(real_index, "Какие обязательства касаются отключений интернета?")
    top = response.hits[0]
    assert top.commitment.id == "O3-IG-04"
    assert top.to_dict()["text"] == corpus.get("O3-IG-04").text  # the source, not a translation
