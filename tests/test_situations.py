"""The everyday situations: loaded and checked, embedded in both models' collections, matched
(each commitment by its best situation) and never shown in place of the source wording."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from gdc_assistant.answer.payload import ask_payload
from gdc_assistant.corpus import load_corpus
from gdc_assistant.errors import CorpusError
from gdc_assistant.index.manifest import commitment_id, corpus_hash, situation_documents
from gdc_assistant.retrieval import PARAMS, search
from gdc_assistant.situations import load_situations


def test_every_commitment_has_several_distinct_situations(corpus):
    assert set(corpus.situations) == {c.id for c in corpus}
    for commitment in corpus:
        texts = corpus.situations[commitment.id]
        assert len(texts) >= 5 and len(set(texts)) == len(texts), commitment.id
        assert all(5 <= len(t.split()) <= 40 for t in texts), commitment.id


def test_situations_do_not_quote_the_commitment(corpus):
    # they describe a need in other words: none quotes twelve words in a row of the commitment
    # (a name such as "the Digital Window of the Joint SDG Fund" may be used)
    for commitment in corpus:
        words = commitment.text.casefold().split()
        stretches = {" ".join(words[i : i + 12]) for i in range(len(words) - 11)}
        for text in corpus.situations[commitment.id]:
            assert not any(s in text.casefold() for s in stretches), (commitment.id, text)


def test_a_file_missing_a_commitment_is_refused_with_the_fix(tmp_path, corpus):
    path = tmp_path / "situations.jsonl"
    rows = [{"id": c.id, "situations": ["a need"]} for c in corpus][1:]
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    with pytest.raises(CorpusError, match="does not match the corpus.*restore it from git"):
        load_situations(path, ids=tuple(c.id for c in corpus))


@pytest.mark.parametrize(
    "line",
    ['{"id": "O1-CONN-01", "situations": ', '{"id": "O1-CONN-01", "situations": ["", "x"]}'],
)
def test_a_damaged_file_is_refused(tmp_path, corpus, line):
    path = tmp_path / "situations.jsonl"
    path.write_text(line, encoding="utf-8")
    with pytest.raises(CorpusError, match="situations.jsonl is damaged"):
        load_situations(path, ids=tuple(c.id for c in corpus))


def test_a_copied_corpus_without_the_file_has_none(tmp_path, corpus):
    copy = tmp_path / "commitments.jsonl"
    copy.write_text("\n".join(json.dumps(c.to_dict()) for c in corpus) + "\n", encoding="utf-8")
    bare = load_corpus(copy)
    assert bare.situations == {} and situation_documents(bare) == []
    assert corpus_hash(bare) != corpus_hash(corpus)  # the situations are part of a build


def test_document_ids_name_their_commitment(corpus):
    documents = situation_documents(corpus)
    assert len(documents) == sum(len(t) for t in corpus.situations.values())
    assert {commitment_id(d.id) for d in documents} == {c.id for c in corpus}
    assert commitment_id("O4-DATA-PRIV-02#3") == commitment_id("O4-DATA-PRIV-02@zh")


def test_both_models_score_a_commitment_by_its_nearest_situations(real_index, corpus):
    commitment = corpus.commitments[40]
    text = corpus.situations[commitment.id][2]
    for multilingual, embedder in ((False, real_index.embedder), (True, real_index.multilingual)):
        vector = embedder.embed([text])[0]
        best = real_index.situation_scores(vector, multilingual=multilingual, pool=1)
        assert set(best) == {c.id for c in corpus}  # one score per commitment
        assert max(best, key=best.get) == commitment.id and best[commitment.id] > 0.99
        pooled = real_index.situation_scores(vector, multilingual=multilingual, pool=2)
        assert pooled[commitment.id] < best[commitment.id]  # the mean with its second nearest
        assert all(pooled[c] <= best[c] + 1e-6 for c in best)


def test_situations_raise_the_commitment_a_need_describes(real_index, corpus):
    # a situation reworded as a question: with the situations mixed in, its commitment gains
    commitment = corpus.commitments[12]
    question = corpus.situations[commitment.id][0]
    bare = replace(PARAMS, situation_weight=0.0)
    without = {h.commitment.id: h.score for h in search(real_index, question, k=85, params=bare)}
    with_them = {h.commitment.id: h.score for h in search(real_index, question, k=85)}
    assert PARAMS.situation_weight > 0
    assert sorted(with_them, key=with_them.get, reverse=True)[0] == commitment.id
    assert with_them[commitment.id] > without[commitment.id]


def test_answers_never_show_a_situation(real_index, corpus):
    commitment = corpus.commitments[5]
    question = corpus.situations[commitment.id][1]
    payload = ask_payload(real_index, question)
    assert payload["results"] and payload["results"][0]["id"] == commitment.id
    shown = json.dumps(payload).replace(json.dumps(question)[1:-1], "")  # the question is echoed
    for texts in corpus.situations.values():
        assert not any(json.dumps(t)[1:-1] in shown for t in texts)
