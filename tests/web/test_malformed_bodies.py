"""A malformed request body of any kind gets a 400 with a message, never a 500 (issue #28): a broken multipart
or urlencoded form to any form route (the sign-in page included, before anyone has signed in), and JSON that
is not JSON to the API. The real app over a real SQLite store."""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from web_helpers import csrf_from, page

from bot.settings import Settings

BOUNDARY = "b0undary"
MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"
URLENCODED = "application/x-www-form-urlencoded"

MALFORMED_FORMS: list[tuple[str, str, bytes]] = [
    (
        "no closing boundary",
        MULTIPART,
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="a"\r\n\r\nx'.encode(),
    ),
    ("no boundary at all", "multipart/form-data", b"--x\r\n\r\n"),
    ("garbage", MULTIPART, b"\x00\xff not multipart at all"),
    ("part with no headers end", MULTIPART, f"--{BOUNDARY}\r\nContent-Disposition: form-data".encode()),
    (
        "part with no name",
        MULTIPART,
        f"--{BOUNDARY}\r\nContent-Type: text/plain\r\n\r\nx\r\n--{BOUNDARY}--\r\n".encode(),
    ),
    ("urlencoded, not UTF-8", URLENCODED, b"username=%ff%fe&password=\xff\xfe"),
    ("urlencoded, a charset nobody knows", URLENCODED + "; charset=no-such-charset", b"a=b"),
]


async def assert_bad_request(response: Any) -> None:
    body = await response.text()
    assert response.status == 400, body[:500]
    assert "could not be read" in body


@pytest.mark.parametrize(
    ("kind", "content_type", "body"), MALFORMED_FORMS, ids=[m[0] for m in MALFORMED_FORMS]
)
async def test_a_malformed_form_to_the_sign_in_page_is_a_400(
    client: TestClient, kind: str, content_type: str, body: bytes
) -> None:
    await page(client, "/sign-in")  # a session, as a browser would have
    response = await client.post("/sign-in", data=body, headers={"Content-Type": content_type})
    await assert_bad_request(response)


@pytest.mark.parametrize("path", ["/chat/start", "/sign-out", "/chat/danger"])
@pytest.mark.parametrize(
    ("kind", "content_type", "body"), MALFORMED_FORMS[:3], ids=[m[0] for m in MALFORMED_FORMS[:3]]
)
async def test_a_malformed_form_to_any_signed_in_form_is_a_400(
    signed_in: TestClient, path: str, kind: str, content_type: str, body: bytes
) -> None:
    response = await signed_in.post(path, data=body, headers={"Content-Type": content_type})
    await assert_bad_request(response)


BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


async def test_a_browser_gets_the_400_as_a_page_in_the_sites_layout(signed_in: TestClient) -> None:
    _kind, content_type, body = MALFORMED_FORMS[0]
    response = await signed_in.post(
        "/chat/start", data=body, headers={"Content-Type": content_type, "Accept": BROWSER_ACCEPT}
    )
    page_text = await response.text()
    assert response.status == 400 and response.content_type == "text/html", page_text[:500]
    assert '<h1 class="govuk-heading-l">This form could not be read</h1>' in page_text
    assert "govuk-service-navigation" in page_text and "Sign out" in page_text  # the layout, signed in
    assert 'href="/chat"' in page_text


async def test_a_browser_not_yet_signed_in_is_sent_to_the_sign_in_page(client: TestClient) -> None:
    await page(client, "/sign-in")
    response = await client.post(
        "/sign-in",
        data=MALFORMED_FORMS[5][2],
        headers={"Content-Type": URLENCODED, "Accept": BROWSER_ACCEPT},
    )
    page_text = await response.text()
    assert response.status == 400 and response.content_type == "text/html"
    assert "not in the character set it declares" in page_text and 'href="/sign-in"' in page_text


async def test_a_client_asking_for_json_gets_json(signed_in: TestClient) -> None:
    _kind, content_type, body = MALFORMED_FORMS[1]
    response = await signed_in.post(
        "/chat/start", data=body, headers={"Content-Type": content_type, "Accept": "application/json"}
    )
    assert response.status == 400 and response.content_type == "application/json"
    assert "could not be read" in (await response.json())["errors"]["form"]


async def test_a_well_formed_form_still_works_after_the_check(signed_in: TestClient) -> None:
    """The form is read once, by the check, and the handler reads it again from aiohttp's cache."""
    token = csrf_from(await page(signed_in, "/chat"))
    response = await signed_in.post("/sign-out", data={"csrf_token": token}, allow_redirects=False)
    assert response.status == 303


@pytest.mark.parametrize(
    ("body", "says"),
    [
        (b"{not json", "not valid JSON"),
        (b"\xff\xfe", "not UTF-8"),
        (b"[1, 2]", "must be a JSON object"),
        (b"", "a JSON object is required"),
    ],
)
async def test_bad_json_to_the_api_is_a_400_with_a_message(
    client: TestClient, settings: Settings, body: bytes, says: str
) -> None:
    response = await client.post(
        "/api/v1/assessments",
        data=body,
        headers={"Authorization": f"Bearer {settings.service_token}", "Content-Type": "application/json"},
    )
    assert response.status == 400, await response.text()
    assert says in str(await response.json())


async def test_a_multipart_body_to_the_api_is_a_400(client: TestClient, settings: Settings) -> None:
    response = await client.post(
        "/api/v1/assessments",
        data=MALFORMED_FORMS[0][2],
        headers={"Authorization": f"Bearer {settings.service_token}", "Content-Type": MULTIPART},
    )
    assert response.status == 400, await response.text()
