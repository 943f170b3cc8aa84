"""What the end-to-end walks type into the chat, read from their source (tests/e2e), so that the everyday
guard (tests/nlu/everyday_answers.yml) can be kept current with them.

Read with `ast`, never imported: a walk's typed text is the last positional argument of a `say`, `type` or
`write` call, or of `activity` (a Teams message), a `typed=` keyword (the screening plans) or the text of a
`Typed(control, text)` phrasing. A name is followed to every value it is bound to in its module: an
assignment at any level, a loop, a parameter's default or what the module's own calls pass it, a pytest
parametrize list, or an import from another walk module; a value is a string literal, an f-string (whose
placeholders match anything), or a tuple, list or dict of them. Not followed: text computed by a call
(`"x" * 20000`, `line.encode()`) or passed in from another module's function: such a walk's text is missed
here, so a walk that types an answer that way should name it as a constant.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from bot.settings import REPO_ROOT

E2E = REPO_ROOT / "tests" / "e2e"
TYPING_CALLS = frozenset({"say", "type", "write", "activity"})
# Marks a name imported from another walk module, followed there.
IMPORTED = "\0imported:"


@dataclass(frozen=True)
class Typed:
    """One text a walk types: `pattern` matches every text it can be (an f-string's placeholders match
    anything)."""

    where: str
    shown: str
    pattern: re.Pattern[str]

    def matched_by(self, texts: list[str]) -> bool:
        return any(self.pattern.fullmatch(t) for t in texts)


def _literal(where: str, node: ast.expr) -> Typed | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return Typed(where, node.value, re.compile(re.escape(node.value), re.DOTALL))
    if isinstance(node, ast.JoinedStr):
        parts = [re.escape(v.value) if isinstance(v, ast.Constant) else ".+?" for v in node.values]
        return Typed(where, ast.unparse(node), re.compile("".join(parts), re.DOTALL))
    return None


def _strings(where: str, node: ast.expr | None) -> list[Typed]:
    """Each string a literal, or a tuple, list or dict of literals, holds."""
    if node is None:
        return []
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return [t for item in node.elts for t in _strings(where, item)]
    if isinstance(node, ast.Dict):
        return [t for item in node.values for t in _strings(where, item)]
    found = _literal(where, node)
    return [found] if found else []


class _Module:
    def __init__(self, path: Path) -> None:
        self.name = path.name
        self.tree = ast.parse(path.read_text(encoding="utf-8"))
        # Every value a name is bound to anywhere in the module: an assignment (module or function level), a
        # loop, a parameter's default, a pytest parametrize list, or an import from another walk module.
        self.bound: dict[str, list[ast.expr]] = {}
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    self._bind(target, node.value)
            elif isinstance(node, ast.AnnAssign) and node.value is not None:
                self._bind(node.target, node.value)
            elif isinstance(node, ast.For):
                self._bind(node.target, node.iter)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                args = node.args.args[len(node.args.args) - len(node.args.defaults) :]
                for arg, default in zip(args, node.args.defaults, strict=True):
                    self._bind(ast.Name(arg.arg), default)
                for decorator in node.decorator_list:
                    self._parametrize(decorator)
                self._call_sites(node)
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("tests.e2e."):
                other = E2E / f"{node.module.rsplit('.', 1)[-1]}.py"
                for alias in node.names:
                    self.bound.setdefault(alias.asname or alias.name, []).append(
                        ast.Constant(f"{IMPORTED}{other.name}:{alias.name}")
                    )

    def _bind(self, target: ast.expr, value: ast.expr) -> None:
        if isinstance(target, ast.Name):
            self.bound.setdefault(target.id, []).append(value)
        elif isinstance(target, ast.Tuple):
            # `for a, b in ((x, y), ...)` or `a, b = x, y`: each name takes every string on offer (wide,
            # but a walk's text is never missed for it).
            for name in target.elts:
                self._bind(name, value)

    def _call_sites(self, function: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        """A parameter takes what each call in this module passes it (a helper that types its argument)."""
        names = [arg.arg for arg in (*function.args.posonlyargs, *function.args.args)]
        for node in ast.walk(self.tree):
            if not isinstance(node, ast.Call):
                continue
            called = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
            if called != function.name:
                continue
            offset = 1 if names[:1] == ["self"] and isinstance(node.func, ast.Attribute) else 0
            for name, value in zip(names[offset:], node.args, strict=False):
                self._bind(ast.Name(name), value)
            for keyword in node.keywords:
                if keyword.arg in names:
                    self._bind(ast.Name(keyword.arg), keyword.value)

    def _parametrize(self, decorator: ast.expr) -> None:
        if (
            isinstance(decorator, ast.Call)
            and isinstance(decorator.func, ast.Attribute)
            and decorator.func.attr == "parametrize"
            and len(decorator.args) >= 2
            and isinstance(decorator.args[0], ast.Constant)
        ):
            names = decorator.args[0].value
            names = names.split(",") if isinstance(names, str) else names
            for name in names:
                self.bound.setdefault(name.strip(), []).append(decorator.args[1])

    def resolve(self, node: ast.expr, line: int, seen: frozenset[str] = frozenset()) -> list[Typed]:
        where = f"{self.name}:{line}"
        if isinstance(node, ast.Subscript):
            node = node.value
        if isinstance(node, ast.Name):
            if node.id in seen:
                return []
            bound = self.bound.get(node.id, [])
            return [t for value in bound for t in self.resolve(value, line, seen | {node.id})]
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.startswith(IMPORTED):
            file, name = node.value.removeprefix(IMPORTED).split(":")
            return _module(file).resolve(ast.Name(name), line, seen)
        if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            return [t for item in node.elts for t in self.resolve(item, line, seen)]
        if isinstance(node, ast.Dict):
            return [t for item in node.values for t in self.resolve(item, line, seen)]
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "param":
            return [t for item in node.args for t in self.resolve(item, line, seen)]
        return _strings(where, node)

    def typed(self) -> list[Typed]:
        found: list[Typed] = []
        for node in ast.walk(self.tree):
            if not isinstance(node, ast.Call):
                continue
            for keyword in node.keywords:
                if keyword.arg == "typed":
                    found.extend(self.resolve(keyword.value, node.lineno))
            if isinstance(node.func, ast.Name) and node.func.id == "Typed" and node.args:
                found.extend(self.resolve(node.args[-1], node.lineno))
            if isinstance(node.func, ast.Attribute) and node.func.attr in TYPING_CALLS and node.args:
                found.extend(self.resolve(node.args[-1], node.lineno))
        return found


@cache
def _module(file: str) -> _Module:
    return _Module(E2E / file)


def typed_by_the_walks() -> list[Typed]:
    """Every text the end-to-end tests type into a chat, as far as the source shows it, in file order."""
    return [t for path in sorted(E2E.glob("*.py")) for t in _module(path.name).typed()]
