"""Compiled page templates kept for the life of the process and shared by every app it creates.

Jinja compiles each template (lex, parse, generate Python, `compile`) the first time an Environment renders
it, and `create_app` makes a new Environment for each app. Production makes one app per process, so this
changes nothing there; the test suite makes hundreds of apps per process, and compiling the same templates
again for each was the quick lane's largest single cost (issue #27: about 2,400 compiles in tests/review
and tests/web alone).

Jinja's own bytecode-cache hook keeps the compiled code, keyed by the template's name and file and checked
against a hash of its source (an edited template compiles again). The code Jinja generates also depends on the
Environment's syntax and output options, so they are part of the key here: an Environment configured
differently never gets another's code.
"""

from __future__ import annotations

import threading
from collections.abc import Hashable

import jinja2
from jinja2.bccache import Bucket


def _compile_options(environment: jinja2.Environment) -> Hashable:
    """What the generated code depends on besides the source (jinja2.lexer.get_lexer's key, and the rest)."""
    return (
        environment.block_start_string,
        environment.block_end_string,
        environment.variable_start_string,
        environment.variable_end_string,
        environment.comment_start_string,
        environment.comment_end_string,
        environment.line_statement_prefix,
        environment.line_comment_prefix,
        environment.trim_blocks,
        environment.lstrip_blocks,
        environment.newline_sequence,
        environment.keep_trailing_newline,
        repr(environment.autoescape),
        tuple(sorted(environment.extensions)),
        environment.optimized,
        environment.is_async,
    )


class ProcessTemplateCache(jinja2.BytecodeCache):
    """Compiled templates in memory, for every Environment of this process that is given this cache."""

    def __init__(self) -> None:
        self._code: dict[tuple[Hashable, str], bytes] = {}
        self._lock = threading.Lock()  # apps may render from more than one thread (jinja2 is thread-safe)

    def load_bytecode(self, bucket: Bucket) -> None:
        with self._lock:
            stored = self._code.get((_compile_options(bucket.environment), bucket.key))
        if stored is not None:
            bucket.bytecode_from_string(stored)  # the bucket checks the source's hash; a mismatch recompiles

    def dump_bytecode(self, bucket: Bucket) -> None:
        stored = bucket.bytecode_to_string()
        with self._lock:
            self._code[(_compile_options(bucket.environment), bucket.key)] = stored


PAGE_TEMPLATES = ProcessTemplateCache()
