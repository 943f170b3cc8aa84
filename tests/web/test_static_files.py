"""The site's static files served from memory (bot.web.static_files): what a browser's cache and a curious
visitor get, and that a file edited on disk is served as it now is."""

from __future__ import annotations

import os
from pathlib import Path

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.web.access import Access, StaticSpec, add_declared_routes


def make_site(tmp_path: Path) -> Path:
    site = tmp_path / "static"
    (site / "govuk").mkdir(parents=True)
    (site / "app.css").write_text("body { color: #0b0c0c }\n")
    (site / "chat.js").write_text("export const ready = true;\n")
    (site / "favicon.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>\n')
    (site / "govuk" / "govuk-frontend.min.css").write_text(".govuk-body{margin:0}\n")
    (site / ".gitignore").write_text("govuk/\n")
    (site / "govuk" / ".stamp").write_text("{}\n")
    (tmp_path / "settings.env").write_text("BOT_SECRET=outside\n")
    return site


async def serve(site: Path) -> TestClient:
    app = web.Application()
    add_declared_routes(app, (), StaticSpec("/static", site, Access.PUBLIC))
    client = TestClient(TestServer(app))
    await client.start_server()
    return client


async def test_each_file_comes_with_its_type_and_a_tag_to_revalidate_with(tmp_path: Path) -> None:
    client = await serve(make_site(tmp_path))
    try:
        for name, content_type in (
            ("app.css", "text/css"),
            ("chat.js", "text/javascript"),
            ("favicon.svg", "image/svg+xml"),
            ("govuk/govuk-frontend.min.css", "text/css"),
        ):
            response = await client.get(f"/static/{name}")
            assert response.status == 200, name
            assert response.content_type == content_type, name
            assert await response.read() == (tmp_path / "static" / name).read_bytes(), name
            tag = response.headers["ETag"]
            again = await client.get(f"/static/{name}", headers={"If-None-Match": tag})
            assert again.status == 304 and await again.read() == b"", name
            head = await client.head(f"/static/{name}")
            assert head.status == 200 and head.headers["ETag"] == tag, name
    finally:
        await client.close()


async def test_hidden_files_unknown_names_and_paths_outside_are_not_found(tmp_path: Path) -> None:
    client = await serve(make_site(tmp_path))
    try:
        names = (
            ".gitignore",
            "govuk/.stamp",
            "nothing.js",
            "../settings.env",
            "%2e%2e/settings.env",
            "govuk",
        )
        for name in names:
            response = await client.get(f"/static/{name}")
            assert response.status == 404, name
            assert b"outside" not in await response.read(), name
    finally:
        await client.close()


async def test_a_file_edited_on_disk_is_served_as_it_now_is_and_a_removed_one_is_gone(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    client = await serve(site)
    try:
        first = await client.get("/static/chat.js")
        tag = first.headers["ETag"]
        (site / "chat.js").write_text("export const ready = false; // edited\n")
        os.utime(site / "chat.js", ns=(1, 1))  # a different modification time, whatever the clock's grain
        edited = await client.get("/static/chat.js", headers={"If-None-Match": tag})
        assert edited.status == 200 and edited.headers["ETag"] != tag
        assert "edited" in await edited.text()
        (site / "app.css").unlink()
        assert (await client.get("/static/app.css")).status == 404
    finally:
        await client.close()
