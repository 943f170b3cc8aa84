"""VAF tagging on the case page, end to end through the real app: forms, messages, exports, who sees what."""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable

from aiohttp import web
from aiohttp.test_utils import TestClient
from markupsafe import escape
from review_helpers import Case, case_document, csrf_from, page, tagged_answer
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.records import AnswerIn, UserInfo
from bot.questions import QuestionBank
from bot.review.pdf import print_html
from bot.store.models import AuditEvent
from bot.store.review_models import EvidenceTag
from bot.store.services import Store
from tests.builders import give_answer

AsUser = Callable[[str | None], Awaitable[TestClient]]
NOTE = '  Repeats "us and them" <i>often</i> & laughs. '
HINTED_QUESTION = "young_person_words"  # the bank suggests "engagement" for it


def tags(sessions: sessionmaker[Session]) -> list[EvidenceTag]:
    with sessions() as session:
        return list(session.scalars(select(EvidenceTag).order_by(EvidenceTag.id)))


def audit(sessions: sessionmaker[Session], action: str) -> list[AuditEvent]:
    with sessions() as session:
        return list(session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


async def post_tag(client: TestClient, case: Case, fields: list[tuple[str, str]]) -> tuple[int, str, str]:
    """Post the tagging form with the token from the case page; (status, Location, body)."""
    token = csrf_from(await page(client, f"/cases/{case.id}"))
    response = await client.post(
        f"/cases/{case.id}/tags", data=[("csrf_token", token), *fields], allow_redirects=False
    )
    return response.status, response.headers.get("Location", ""), await response.text()


def tag_fields(store: Store, case: Case, *dimensions: str, note: str = "") -> list[tuple[str, str]]:
    question_id, revision = tagged_answer(store, case)
    fields = [("question_id", question_id), ("revision", str(revision)), ("note", note)]
    return fields + [("dimensions", d) for d in dimensions]


async def test_a_lead_tags_an_answer_from_the_case_page_and_sees_it_grouped(
    as_user: AsUser, cases: dict[str, Case], store: Store, sessions: sessionmaker[Session]
) -> None:
    case = cases["north-live"]
    client = await as_user("north-lead")
    body = await page(client, f"/cases/{case.id}")
    assert body.count(f'action="/cases/{case.id}/tags"') == 2  # one form beside each answer
    assert 'name="dimensions" type="checkbox" value="capability"' in body
    assert 'id="evidence-by-dimension"' in body

    status, location, _ = await post_tag(
        client, case, tag_fields(store, case, "engagement", "intent", note=NOTE)
    )

    question_id, _ = tagged_answer(store, case)
    assert status == 303 and location == f"/cases/{case.id}?done=tagged&at={question_id}#notice"
    assert [(t.dimension, t.note) for t in tags(sessions)] == [("engagement", NOTE), ("intent", NOTE)]
    body = await page(client, location.split("#")[0])
    # The confirmation is the fragment's target, inside the tagged answer's row, and the only one on the page.
    row = body[body.index(f'id="answer-{question_id}"') :]
    row = (
        row[: row.index('class="govuk-summary-list__row"')]
        if 'class="govuk-summary-list__row"' in row
        else row
    )
    assert 'id="notice"' in row and 'role="alert"' in row and "The answer has been tagged." in row
    assert body.count('id="notice"') == 1
    assert str(escape(NOTE)) in body and "<i>often</i>" not in body  # verbatim, and escaped
    grouped = body[body.index('id="evidence-by-dimension"') : body.index('id="decision"')]
    for dimension in ("engagement", "intent"):
        section = grouped[grouped.index(f'id="dimension-{dimension}"') :]
        assert f'href="#answer-{question_id}"' in section.split("<h3")[0]
    capability = grouped[grouped.index('id="dimension-capability"') :]
    assert "No answer is tagged with this dimension." in capability
    # A tagged dimension is not offered again for the same answer; the others still are.
    tagged_form = body[body.index(f'id="tags-{question_id}"') :]
    tagged_form = tagged_form[: tagged_form.index("</details>")]
    assert 'value="capability"' in tagged_form and 'value="intent"' not in tagged_form


async def test_posting_the_same_tag_again_changes_nothing(
    as_user: AsUser, cases: dict[str, Case], store: Store, sessions: sessionmaker[Session]
) -> None:
    case = cases["north-live"]
    client = await as_user("north-lead")
    fields = tag_fields(store, case, "intent")
    assert (await post_tag(client, case, fields))[0] == 303
    status, location, _ = await post_tag(client, case, fields)
    assert status == 303 and "done=tag-unchanged" in location
    assert "already had those tags. Nothing was changed." in await page(client, location.split("#")[0])
    assert len(tags(sessions)) == 1 and len(audit(sessions, "evidence.tagged")) == 1


async def test_bad_input_shows_an_error_summary_keeps_what_was_typed_and_stores_nothing(
    as_user: AsUser, cases: dict[str, Case], store: Store, sessions: sessionmaker[Session]
) -> None:
    case = cases["north-live"]
    client = await as_user("north-lead")
    question_id, _ = tagged_answer(store, case)
    long_note = "word " * 101  # 505 characters

    status, _, body = await post_tag(client, case, tag_fields(store, case, note=long_note))

    assert status == 400
    summary = body[body.index('id="error-summary"') : body.index("</ul>", body.index('id="error-summary"'))]
    assert f'<a href="#tag-{question_id}-dimensions">Select at least one dimension' in summary
    assert (
        f'<a href="#tag-{question_id}-note">The note must be 500 characters or fewer; it has 505' in summary
    )
    assert f'id="tag-{question_id}-dimensions-error"' in body and f'id="tag-{question_id}-note-error"' in body
    assert f'value="{long_note}"' in body  # what was typed is kept for correcting, not trimmed
    assert "<title>Error: " in body
    assert re.search(r'<details class="govuk-details" open>\s*<summary[^>]*><span[^>]*>Tag this answer', body)
    assert tags(sessions) == [] and audit(sessions, "evidence.tagged") == []

    status, _, body = await post_tag(
        client, case, [("question_id", "nope"), ("revision", "1"), ("dimensions", "intent")]
    )
    assert status == 400 and '<a href="#answers">There is no answer to that question' in body
    status, _, body = await post_tag(client, case, tag_fields(store, case, "risk"))
    assert status == 400 and "Select dimensions from the list" in body
    assert tags(sessions) == []


async def test_tag_forms_without_the_form_token_are_refused(
    as_user: AsUser, cases: dict[str, Case], store: Store, sessions: sessionmaker[Session]
) -> None:
    case = cases["north-live"]
    client = await as_user("north-lead")
    fields = tag_fields(store, case, "intent")
    for data in (fields, [("csrf_token", "not-the-token"), *fields]):
        response = await client.post(f"/cases/{case.id}/tags", data=data, allow_redirects=False)
        assert response.status == 403
    assert (await post_tag(client, case, fields))[0] == 303
    [tag] = tags(sessions)
    response = await client.post(f"/cases/{case.id}/tags/{tag.id}/remove", data={}, allow_redirects=False)
    assert response.status == 403
    assert [t.removed_at for t in tags(sessions)] == [None]


async def test_a_lead_removes_a_tag_from_the_case_page(
    as_user: AsUser, cases: dict[str, Case], store: Store, sessions: sessionmaker[Session]
) -> None:
    case = cases["north-live"]
    client = await as_user("north-lead")
    await post_tag(client, case, tag_fields(store, case, "capability", note=NOTE))
    [tag] = tags(sessions)
    body = await page(client, f"/cases/{case.id}")
    assert f'action="/cases/{case.id}/tags/{tag.id}/remove"' in body
    token = csrf_from(body)

    question_id, _ = tagged_answer(store, case)
    response = await client.post(
        f"/cases/{case.id}/tags/{tag.id}/remove",
        data={"csrf_token": token, "question_id": question_id},
        allow_redirects=False,
    )

    assert response.status == 303
    assert response.headers["Location"] == f"/cases/{case.id}?done=untagged&at={question_id}#notice"
    body = await page(client, f"/cases/{case.id}?done=untagged&at={question_id}")
    assert "The tag has been removed." in body and f"/tags/{tag.id}/remove" not in body
    assert "Removed a VAF dimension tag from an answer: Capability, on the answer to" in body
    assert str(escape(NOTE)) not in body  # gone from the page; kept in the store and the lead's export
    [kept] = tags(sessions)
    assert kept.removed_at is not None and kept.note == NOTE
    again = await client.post(
        f"/cases/{case.id}/tags/{tag.id}/remove", data={"csrf_token": token}, allow_redirects=False
    )
    assert again.status == 303 and "done=untag-unchanged" in again.headers["Location"]


async def test_trainers_practitioners_and_other_teams_are_refused(
    as_user: AsUser,
    cases: dict[str, Case],
    store: Store,
    people: dict[str, UserInfo],
    sessions: sessionmaker[Session],
) -> None:
    trainer = await as_user("north-trainer")
    rehearsal = cases["north-rehearsal"]
    body = await page(trainer, f"/cases/{rehearsal.id}")
    assert f"/cases/{rehearsal.id}/tags" not in body and "evidence-by-dimension" not in body
    status, _, body = await post_tag(trainer, rehearsal, tag_fields(store, rehearsal, "intent"))
    assert status == 403 and "Only a safeguarding lead can tag evidence" in body

    practitioner = await as_user("north-practitioner")
    token = csrf_from(await page(practitioner, "/chat"))
    live = cases["north-live"]
    response = await practitioner.post(
        f"/cases/{live.id}/tags",
        data=[("csrf_token", token), *tag_fields(store, live, "intent")],
        allow_redirects=False,
    )
    assert response.status == 403

    south = await as_user("south-lead")
    token = csrf_from(await page(south, "/chat"))
    response = await south.post(
        f"/cases/{live.id}/tags",
        data=[("csrf_token", token), *tag_fields(store, live, "intent")],
        allow_redirects=False,
    )
    assert response.status == 404 and "Case not found" in await response.text()
    assert tags(sessions) == []
    assert {e.user_id for e in audit(sessions, "case.tag_refused")} == {
        people["north-trainer"].id,
        people["south-lead"].id,
    }


async def test_the_question_banks_hint_is_offered_but_not_chosen(
    as_user: AsUser, store: Store, bank: QuestionBank, people: dict[str, UserInfo]
) -> None:
    conversation = store.conversations.open_conversation(people["north-practitioner"].id, "web")
    store.assessments.start_or_resume(conversation, bank.version, "live")
    question = bank.question(HINTED_QUESTION)
    assert question.vaf == "engagement"
    give_answer(
        store,
        conversation,
        AnswerIn(
            question_id=question.id,
            revision=1,
            wording=question.text,
            text="Words.",
            value="Words.",
            status="answered",
        ),
    )
    case = store.assessments.submit(conversation)

    body = await page(await as_user("north-lead"), f"/cases/{case.id}")

    form = body[body.index(f'id="tags-{HINTED_QUESTION}"') :]
    form = form[: form.index("</form>")]
    box = re.search(r'<input class="govuk-checkboxes__input"[^>]*value="engagement"[^>]*>', form)
    assert box is not None and "checked" not in box.group(0)  # the lead decides
    assert f'aria-describedby="tag-{HINTED_QUESTION}-dimensions-item-hint"' in box.group(0)
    assert "The question bank suggests this dimension for this question. You decide." in form


async def test_tags_are_in_the_leads_exports_and_never_in_the_practitioners(
    as_user: AsUser,
    cases: dict[str, Case],
    store: Store,
    app: web.Application,
    people: dict[str, UserInfo],
) -> None:
    case = cases["north-live"]
    lead = await as_user("north-lead")
    await post_tag(lead, case, tag_fields(store, case, "engagement", note=NOTE))
    await post_tag(lead, case, tag_fields(store, case, "capability"))
    data = json.loads(await (await lead.get(f"/cases/{case.id}/export.json")).text())
    removed_id = next(t["id"] for t in data["evidence_tags"] if t["dimension"] == "capability")
    token = csrf_from(await page(lead, f"/cases/{case.id}"))
    await lead.post(f"/cases/{case.id}/tags/{removed_id}/remove", data={"csrf_token": token})

    data = json.loads(await (await lead.get(f"/cases/{case.id}/export.json")).text())
    question_id, _ = tagged_answer(store, case)
    assert [
        (t["dimension"], t["question_id"], t["answer_revision"], t["note"], t["tagged_by"], t["removed_by"])
        for t in data["evidence_tags"]
    ] == [
        ("engagement", question_id, 1, NOTE, "north-lead", None),
        ("capability", question_id, 1, None, "north-lead", "north-lead"),
    ]
    html = print_html(case_document(app, people["north-lead"], case))
    assert "Evidence by VAF dimension" in html and str(escape(NOTE)) in html
    assert "VAF tag: Engagement" in html and "VAF tag: Capability" not in html  # removed: history only
    pdf = await lead.get(f"/cases/{case.id}/export.pdf")
    assert pdf.status == 200 and (await pdf.read()).startswith(b"%PDF-")

    practitioner = await as_user("north-practitioner")
    own = await page(practitioner, f"/cases/{case.id}")
    assert "VAF" not in own and str(escape(NOTE)) not in own and "/tags" not in own
    mine = json.loads(await (await practitioner.get(f"/cases/{case.id}/export.json")).text())
    assert "evidence_tags" not in mine and "us and them" not in json.dumps(mine)
    printed = print_html(case_document(app, people["north-practitioner"], case))
    assert "VAF" not in printed and "us and them" not in printed
