"""The danger second opinion's saved model (engine/extensions/danger_second_opinion.py) loads only with the
types it names: a model file holding anything else is refused, so a tampered file cannot make the engine run
code. Run in the engine's own environment, on the component's own n-grams and classifier."""

from __future__ import annotations

import pytest

from bot.runtime.model import ENGINE_EXTENSIONS
from tests.engine.engine_python import engine_probe

pytestmark = pytest.mark.engine  # runs the engine environment's Python

PROBE = r"""
import json, sys, tempfile, types
import numpy as np
import skops.io as sio
from scipy.sparse import csr_matrix, hstack
import danger_second_opinion as d

texts = [f"he has a knife in his bag now {i}" for i in range(10)]
texts += [f"we played football {i}" for i in range(10)]
labels = np.array([1] * 10 + [0] * 10)
ngrams = d._ngrams()
features = hstack([ngrams.fit_transform(texts), csr_matrix(np.ones((20, 4)))]).tocsr()
classifier = d._classifier(42).fit(features, labels)
folder = tempfile.mkdtemp()
sio.dump({"ngrams": ngrams, "classifier": classifier}, f"{folder}/good.skops")
tampered = {"ngrams": ngrams, "classifier": classifier, "extra": types.SimpleNamespace(x=1)}
sio.dump(tampered, f"{folder}/bad.skops")
good = sio.load(f"{folder}/good.skops", trusted=d.TRUSTED)
refused = None
try:
    sio.load(f"{folder}/bad.skops", trusted=d.TRUSTED)
except TypeError as error:
    refused = type(error).__name__
p = good["classifier"].predict_proba(features[:1])[0, 1]
print(json.dumps({"loaded": sorted(good), "refused": refused, "p": float(p)}))
"""


def test_a_model_file_with_a_type_it_does_not_name_is_refused() -> None:
    found = engine_probe(PROBE, pythonpath=str(ENGINE_EXTENSIONS))
    assert found["loaded"] == ["classifier", "ngrams"]
    assert found["refused"] == "UntrustedTypesFoundException"
    assert 0.0 <= found["p"] <= 1.0
