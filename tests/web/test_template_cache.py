"""The process's compiled-template cache (bot/web/template_cache.py): shared by Environments configured alike,
never handed to one configured differently, and never used for a template whose source has changed."""

from __future__ import annotations

from pathlib import Path

import aiohttp_jinja2
import jinja2
from aiohttp.test_utils import TestClient

from bot.web.template_cache import PAGE_TEMPLATES, ProcessTemplateCache

PAGE = "{% if name %}\n  Hello {{ name }}\n{% endif %}\n"


def environment(folder: Path, cache: ProcessTemplateCache, *, trim_blocks: bool = True) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder),
        bytecode_cache=cache,
        autoescape=True,
        trim_blocks=trim_blocks,
        lstrip_blocks=True,
    )


def cached_code(env: jinja2.Environment, folder: Path, name: str):
    source = (folder / name).read_text(encoding="utf-8")
    return env.bytecode_cache.get_bucket(env, name, str(folder / name), source).code


def test_a_second_environment_configured_alike_reuses_the_compiled_template(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text(PAGE, encoding="utf-8")
    cache = ProcessTemplateCache()
    first = environment(tmp_path, cache)
    assert cached_code(first, tmp_path, "page.html") is None
    assert first.get_template("page.html").render(name="<Sam>") == "  Hello &lt;Sam&gt;\n"

    second = environment(tmp_path, cache)
    assert cached_code(second, tmp_path, "page.html") is not None
    assert second.get_template("page.html").render(name="<Sam>") == "  Hello &lt;Sam&gt;\n"


def test_an_environment_with_other_options_compiles_its_own(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text(PAGE, encoding="utf-8")
    cache = ProcessTemplateCache()
    environment(tmp_path, cache).get_template("page.html").render(name="Sam")

    untrimmed = environment(tmp_path, cache, trim_blocks=False)
    assert cached_code(untrimmed, tmp_path, "page.html") is None
    assert untrimmed.get_template("page.html").render(name="Sam") == "\n  Hello Sam\n"


def test_an_edited_template_is_compiled_again(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(PAGE, encoding="utf-8")
    cache = ProcessTemplateCache()
    environment(tmp_path, cache).get_template("page.html").render(name="Sam")

    page.write_text(PAGE.replace("Hello", "Goodbye"), encoding="utf-8")
    again = environment(tmp_path, cache)
    assert cached_code(again, tmp_path, "page.html") is None
    assert again.get_template("page.html").render(name="Sam") == "  Goodbye Sam\n"


async def test_the_app_renders_its_pages_through_the_process_cache(client: TestClient) -> None:
    assert aiohttp_jinja2.get_env(client.app).bytecode_cache is PAGE_TEMPLATES
    response = await client.get("/sign-in")
    assert response.status == 200
    assert "Sign in" in await response.text()
