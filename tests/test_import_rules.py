"""The arrows between our packages run one way, read from the source itself.

Why from the source and not from `sys.modules`: a lazy import inside a function is still an arrow, and it is
the kind that hides a cycle until the day the function runs first. Every `import` and `from ... import` in
every module counts, wherever it sits. A unit is a package or module directly under `bot` (`bot.store`,
`bot.cli`), or `actions`, or `bench`.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from functools import cache
from pathlib import Path

import pytest

from tests.fixtures.source_trees import ROOT, parsed, python_files

SOURCES = ("bot", "actions", "bench")

# Inner layers must not know the outer ones: the domain and the store serve every channel.
FORBIDDEN: dict[str, frozenset[str]] = {
    unit: frozenset({"bot.web", "bot.review", "bot.teams", "bot.chat", "bot.api", "bot.notify", "actions"})
    for unit in ("bot.domain", "bot.store")
}
# A package that may import only the packages listed (besides itself): the scenario library is data over the
# question bank, read by the rehearsal pages and the CLI, and must never reach the store or a channel.
ONLY_IMPORTS: dict[str, frozenset[str]] = {"bot.scenarios": frozenset({"bot.domain", "bot.questions"})}
# The domain is pure: none of the frameworks the outer layers are built on.
DOMAIN_ONLY_STDLIB = frozenset({"sqlalchemy", "aiohttp", "aiohttp_jinja2", "jinja2", "alembic", "rasa_sdk"})


def _unit(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] == "bot":
        return "bot" if len(parts) == 1 else f"bot.{parts[1]}"
    if parts[0] in ("actions", "bench", "tests"):
        return parts[0]
    return None


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def _imports(path: Path) -> tuple[tuple[str, int], ...]:
    """Every absolute module name imported by the file (for `from a import b`, both `a` and `a.b`).

    Cached per process: every rule below reads every file, and parsing them was all these tests' CPU.
    """
    found: list[tuple[str, int]] = []
    for node in ast.walk(parsed(path)):
        if isinstance(node, ast.Import):
            found.extend((alias.name, node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.level:
                package = _module_name(path).split(".")
                keep = len(package) - node.level + (1 if path.name == "__init__.py" else 0)
                base = ".".join([*package[:keep], node.module])
            else:
                base = node.module
            found.append((base, node.lineno))
            found.extend((f"{base}.{alias.name}", node.lineno) for alias in node.names)
    return tuple(found)


def _graph() -> dict[str, dict[str, list[str]]]:
    """unit -> imported unit -> where (file:line), for every arrow between two different units."""
    graph: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for top in SOURCES:
        for path in python_files(top):
            source = _unit(_module_name(path))
            for name, line in _imports(path):
                target = _unit(name)
                if source and target and target != source and target != "bot":
                    graph[source][target].append(f"{path.relative_to(ROOT)}:{line}")
    return graph


def _cycles(graph: dict[str, dict[str, list[str]]]) -> list[list[str]]:
    """Strongly connected components of more than one unit (Tarjan), each one or more cycles."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, {}):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return components


def test_no_import_cycle_between_packages() -> None:
    graph = _graph()
    described = [
        " <-> ".join(component)
        + ": "
        + "; ".join(
            f"{a} -> {b} at {graph[a][b][0]}" for a in component for b in component if b in graph.get(a, {})
        )
        for component in _cycles(graph)
    ]
    assert not described, "import cycles between packages:\n" + "\n".join(described)


@pytest.mark.parametrize("inner", sorted(FORBIDDEN))
def test_inner_layers_do_not_import_outer_ones(inner: str) -> None:
    reached = {
        target: where for target, where in _graph().get(inner, {}).items() if target in FORBIDDEN[inner]
    }
    assert not reached, f"{inner} imports outer layers: " + "; ".join(
        f"{t} at {w[0]}" for t, w in reached.items()
    )


@pytest.mark.parametrize("unit", sorted(ONLY_IMPORTS))
def test_a_restricted_package_imports_only_what_its_layer_allows(unit: str) -> None:
    reached = {
        target: where for target, where in _graph().get(unit, {}).items() if target not in ONLY_IMPORTS[unit]
    }
    assert not reached, f"{unit} imports " + "; ".join(f"{t} at {w[0]}" for t, w in reached.items())


def test_the_domain_imports_only_itself_and_the_standard_library() -> None:
    offending = []
    for path in python_files("bot/domain"):
        for name, line in _imports(path):
            top = name.split(".")[0]
            ours = _unit(name)
            if top in DOMAIN_ONLY_STDLIB or (ours is not None and ours != "bot.domain"):
                offending.append(f"{path.relative_to(ROOT)}:{line} imports {name}")
    assert not offending, "\n".join(offending)


def test_the_action_server_reaches_the_store_only_over_http() -> None:
    reached = _graph().get("actions", {})
    assert "bot.store" not in reached, reached.get("bot.store")


# The one test module a benchmark may use: the throwaway PostgreSQL server is test and bench tooling, not
# product code, so it lives with the tests; it imports nothing from the tests or pytest (checked below).
BENCH_MAY_IMPORT = frozenset({"tests.fixtures.postgres_cluster"})


def test_benchmarks_do_not_import_the_tests() -> None:
    offending = []
    for path in python_files("bench"):
        for name, line in _imports(path):
            if _unit(name) == "tests" and not any(
                name == allowed or name.startswith(f"{allowed}.") for allowed in BENCH_MAY_IMPORT
            ):
                offending.append(f"{path.relative_to(ROOT)}:{line} imports {name}")
    assert not offending, "\n".join(offending)


@pytest.mark.parametrize("module", sorted(BENCH_MAY_IMPORT))
def test_what_benchmarks_import_from_the_tests_stands_alone(module: str) -> None:
    path = ROOT / f"{module.replace('.', '/')}.py"
    reached = [
        f"{name} at line {line}"
        for name, line in _imports(path)
        if _unit(name) == "tests" or name.split(".")[0] in ("pytest", "_pytest")
    ]
    assert not reached, f"{module} imports " + "; ".join(reached)


# Only the store imports the ORM models (issue #29): every other layer reads and writes through the store's
# services and its one unit of work (bot.store.unit_of_work). The allow-list of files that still imported a
# model module has shrunk to none; it stays, empty, so that the test below names any file that joins it.
ORM_MODELS_ALLOWED_OUTSIDE_THE_STORE: frozenset[str] = frozenset()


def _is_orm_models(name: str) -> bool:
    """`bot.store.models`, `bot.store.review_models`, ... and anything imported from them."""
    parts = name.split(".")
    return parts[:2] == ["bot", "store"] and len(parts) > 2 and parts[2].endswith("models")


def _files_importing_orm_models_outside_the_store() -> set[str]:
    found = set()
    for top in SOURCES:
        for path in python_files(top):
            if _unit(_module_name(path)) != "bot.store" and any(
                _is_orm_models(name) for name, _ in _imports(path)
            ):
                found.add(str(path.relative_to(ROOT)))
    return found


def test_only_the_store_imports_the_orm_models_bar_a_shrinking_list() -> None:
    found = _files_importing_orm_models_outside_the_store()
    new = sorted(found - ORM_MODELS_ALLOWED_OUTSIDE_THE_STORE)
    assert not new, "only bot.store imports the ORM models; go through a store service: " + ", ".join(new)
    done = sorted(ORM_MODELS_ALLOWED_OUTSIDE_THE_STORE - found)
    assert not done, "no longer importing the ORM models, delete from the allow-list: " + ", ".join(done)
    assert _is_orm_models("bot.store.review_models.Referral") and not _is_orm_models("bot.store.unit_of_work")


def test_audit_events_are_written_only_through_the_unit_of_work() -> None:
    """One way to write the trail: `UnitOfWork.audit`, in the change's own transaction (issue #29)."""
    writers = sorted(
        f"{path.relative_to(ROOT)}:{line}"
        for top in SOURCES
        for path in python_files(top)
        for name, line in _imports(path)
        if name == "bot.store.audit.record_event" and path != ROOT / "bot/store/unit_of_work.py"
    )
    assert not writers, "audit through bot.store.unit_of_work.UnitOfWork.audit: " + ", ".join(writers)


def test_the_checker_sees_a_cycle_and_a_forbidden_arrow() -> None:
    """The rules above pass on our tree; this shows they would fail on a bad one."""
    graph = {"a": {"b": ["a.py:1"]}, "b": {"c": ["b.py:1"]}, "c": {"a": ["c.py:1"]}, "d": {"a": ["d.py:1"]}}
    assert _cycles(graph) == [["a", "b", "c"]]
    assert _unit("bot.web.app") == "bot.web" and _unit("actions.server") == "actions" and _unit("os") is None
