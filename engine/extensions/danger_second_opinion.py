"""A second opinion on danger: a calibrated probability that a message reports someone in danger.

The intent classifier ranks a dozen intents, and its confidence in `report_danger` is a share among them,
not a probability of danger: it reads reported speech as danger at 0.97 and misses plain danger told in
words the training data lacks. This component is a separate binary model trained with the same examples
(every `report_danger` example positive, every other intent's example negative) and with the `danger` and
`ordinary` lists of the files `extra_examples` names (the tuning held-out sets, which the intent data lack:
real-looking accounts of danger and near-miss ordinary mentions), each of those weighing `extra_weight`
intent examples: word 1-2 grams and character 2-5 grams
(TF-IDF), plus the mean of spaCy's token vectors from the document SpacyNLP made, into a logistic regression
whose probabilities are calibrated (sigmoid, five folds).

It adds `danger_second_opinion` (0..1) to the parse and nothing else: the intent, its ranking and the
entities are untouched. Our actions decide what it means (bot/dialogue/reading.py reads a high value as one
more reason to ask about danger, never as a reason not to). The design was chosen on the tuning sets and
judged on a blind one before it was built (bench/danger_second_opinion.py, issue #11); what it learns from
was chosen the same way (bench/danger_second_opinion_sets.py).

Rasa's documented extension point (a GraphComponent registered with the default recipe); config.yml names
it and bot.runtime puts this folder on the engine's PYTHONPATH for training and serving. Saved with skops,
as Rasa saves its own LogisticRegressionClassifier, and loaded trusting only skops's defaults and the types
listed here: a model file cannot make the engine run anything else.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import numpy as np
import skops.io as sio
import yaml
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import SPACY_DOCS
from rasa.nlu.utils.spacy_utils import SpacyModel, SpacyNLP
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from scipy.sparse import csr_matrix, hstack
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import FeatureUnion
from sklearn.preprocessing import normalize

logger = logging.getLogger(__name__)

OUTPUT = "danger_second_opinion"
DANGER_INTENT = "report_danger"
# The label of an extra example that is not danger: any name but DANGER_INTENT would do.
ORDINARY = "ordinary"
# Words of one letter count too ("i", "a"): scikit-learn's default pattern drops them.
WORD = r"(?u)\b\w+\b"
FILE = "danger_second_opinion.skops"
# What a saved model may contain beyond the types skops trusts by default (NumPy arrays, the vectorisers,
# LogisticRegression, FeatureUnion). skops refuses any other type, so a tampered file cannot run code.
TRUSTED = [
    "scipy.sparse._csr.csr_matrix",
    "sklearn.calibration._CalibratedClassifier",
    "sklearn.calibration._SigmoidCalibration",
    "sklearn.model_selection._split.StratifiedKFold",
]


def _ngrams() -> FeatureUnion:
    options: dict[str, Any] = {"lowercase": True, "min_df": 1}
    return FeatureUnion(
        [
            ("word", TfidfVectorizer(analyzer="word", ngram_range=(1, 2), token_pattern=WORD, **options)),
            ("char", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), **options)),
        ]
    )


def _classifier(seed: int) -> CalibratedClassifierCV:
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=seed)
    model = LogisticRegression(class_weight="balanced", max_iter=2000, random_state=seed)
    return CalibratedClassifierCV(model, method="sigmoid", cv=folds)


def _doc_vectors(messages: list[Message], width: int) -> np.ndarray:
    """SpacyNLP's document per message (already parsed for the featurisers): its mean token vector, unit
    length so that it weighs like one n-gram block. A message with no tokens (the engine strips an empty or
    blank one to "") gets zeros of the trained width: spaCy's vector of an empty document has none."""
    rows = []
    for message in messages:
        doc = message.get(SPACY_DOCS[TEXT])
        rows.append(doc.vector if doc is not None and len(doc) else np.zeros(width))
    return normalize(np.vstack(rows))


def _vector_width(messages: list[Message]) -> int:
    """The width of the documents' vectors (the spaCy pipeline's), from the first message that has tokens."""
    for message in messages:
        doc = message.get(SPACY_DOCS[TEXT])
        if doc is not None and len(doc):
            return len(doc.vector)
    return 0


def extra_examples(paths: list[str], model: SpacyModel) -> list[Message]:
    """Each file's `danger` (labelled as report_danger) and `ordinary` (labelled as no intent of danger)
    lists as messages with their spaCy documents. The documents are made as SpacyNLP makes them with
    config.yml's `case_sensitive: false` (lower case; tests/test_model_inputs.py checks that setting)."""
    examples = []
    for path in paths:
        lists = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        for key, intent in (("danger", DANGER_INTENT), ("ordinary", ORDINARY)):
            for text in lists[key]:
                examples.append(Message(data={TEXT: text, INTENT: intent}))
    texts = [m.get(TEXT).lower() for m in examples]
    for message, doc in zip(examples, model.model.pipe(texts), strict=True):
        message.set(SPACY_DOCS[TEXT], doc)
    return examples


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True, model_from="SpacyNLP"
)
class DangerSecondOpinion(GraphComponent):
    """Adds `danger_second_opinion`, the calibrated probability of danger, to every parse."""

    @classmethod
    def required_components(cls) -> list[type]:
        return [SpacyNLP]

    @staticmethod
    def required_packages() -> list[str]:
        return ["sklearn", "skops", "spacy"]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # extra_examples: YAML files with `danger` and `ordinary` lists, relative to where `rasa train` runs
        # (the repository's root); config.yml names them, and they are inputs of the model's hash.
        # extra_weight: what one of their examples weighs against one intent example.
        return {"random_state": 42, "extra_examples": [], "extra_weight": 1.0}

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        ngrams: FeatureUnion | None = None,
        classifier: CalibratedClassifierCV | None = None,
        vector_width: int = 0,
    ) -> None:
        self._config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self._ngrams = ngrams
        self._classifier = classifier
        self._vector_width = vector_width

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> DangerSecondOpinion:
        return cls(config, model_storage, resource)

    def _features(self, messages: list[Message], fit: bool = False) -> csr_matrix:
        texts = [m.get(TEXT) or "" for m in messages]
        grams = self._ngrams.fit_transform(texts) if fit else self._ngrams.transform(texts)
        return hstack([grams, csr_matrix(_doc_vectors(messages, self._vector_width))]).tocsr()

    def train(self, training_data: TrainingData, model: SpacyModel) -> Resource:
        examples = [e for e in training_data.intent_examples if e.get(INTENT) and e.get(TEXT)]
        extra = extra_examples(self._config["extra_examples"], model)
        weights = np.array([1.0] * len(examples) + [float(self._config["extra_weight"])] * len(extra))
        examples += extra
        labels = np.array([int(e.get(INTENT) == DANGER_INTENT) for e in examples])
        if labels.sum() < 5 or (len(labels) - labels.sum()) < 5:
            # Five folds need five of each; without them there is no opinion to give (and none is added).
            logger.warning("danger second opinion not trained: too few examples of danger or of the rest")
            return self._resource
        self._ngrams = _ngrams()
        self._classifier = _classifier(self._config["random_state"])
        self._vector_width = _vector_width(examples)
        self._classifier.fit(self._features(examples, fit=True), labels, sample_weight=weights)
        with self._model_storage.write_to(self._resource) as folder:
            saved = {
                "ngrams": self._ngrams,
                "classifier": self._classifier,
                "vector_width": self._vector_width,
            }
            sio.dump(saved, folder / FILE)
        return self._resource

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> DangerSecondOpinion:
        try:
            with model_storage.read_from(resource) as folder:
                saved = sio.load(folder / FILE, trusted=TRUSTED)
        except ValueError:
            # Untrained (see `train`: Rasa keeps no folder for it): the parse has no opinion, and the actions'
            # rules decide alone. A file with an untrusted type raises skops's TypeError: the model does not
            # load at all, as it should not.
            logger.warning("danger second opinion: no trained model in this model file")
            return cls(config, model_storage, resource)
        return cls(
            config, model_storage, resource, saved["ngrams"], saved["classifier"], saved["vector_width"]
        )

    def process(self, messages: list[Message], model: SpacyModel) -> list[Message]:
        # `model` is handed over because the component names SpacyNLP's model (`model_from`) for training;
        # parsing uses the documents SpacyNLP already put on the messages.
        if self._classifier is None or not messages:
            return messages
        probabilities = self._classifier.predict_proba(self._features(messages))[:, 1]
        for message, p in zip(messages, probabilities, strict=True):
            message.set(OUTPUT, round(float(p), 6), add_to_output=True)
        return messages
