"""`python engine/extensions/rasa_launch.py ARGS...`: Rasa's own command line, as .venv-engine/bin/rasa runs
it, with skops's persistence module imported before Rasa.

Why: Rasa's LogisticRegressionClassifier saves and loads its model with skops, and imports `skops.io` only
then, after Rasa has imported TensorFlow, Keras, JAX, spaCy and the rest (some 5,900 modules). At import,
skops builds its lists of trusted types, naming each NumPy and SciPy ufunc (316 of them, which carry no
__module__) by searching every module in sys.modules for it (skops.io._utils.whichmodule). The search costs
in proportion to what is already loaded. Measured here (skops 0.9.0, 2 shared cores): `import skops.io` took
5.9 s of CPU after Rasa's imports and 1.4 s before them; an engine start (`rasa run` to its first answer on /,
the model loaded) took a median of 13.1 s of CPU before this launcher and 7.8 s with it, 3 runs each,
alternated (wall 59.5 s -> 32.6 s, on a machine loaded 8-11 deep). The lists come out identical either way
(compared name for name: 205 estimators, 316 ufuncs, 16 dtypes), so what skops trusts is unchanged; only the
order of two imports moves. Rasa is neither patched nor wrapped: its own `main` runs with the arguments
given, exactly as its console script calls it. What an engine start still spends is mostly imports Rasa makes
whatever the pipeline (TensorFlow alone about 3 s of CPU).

Every Rasa command that reads or writes a model goes through here (bot.runtime.model.engine_command):
`rasa train`, `rasa test` and `rasa run`. Standard library, skops and Rasa only; this runs in the engine's
environment and never imports our package.
"""

from __future__ import annotations

import skops.io  # noqa: F401  # first, while sys.modules is small: see above


def main() -> None:
    from rasa.__main__ import main as rasa_main  # only now, after skops.io: see above

    rasa_main()  # exits itself on an error, as under its console script


if __name__ == "__main__":
    main()
