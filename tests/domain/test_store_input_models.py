"""Every input model of the store's account, Teams and conversation services checks itself when built: an
unknown field and a wrong type are refused with our ValidationError, and each keeps the message the store's
own checks gave before these were models."""

from __future__ import annotations

from typing import Any

import pytest

from bot.domain import account_inputs, conversation_inputs
from bot.domain.account_inputs import (
    USERNAME,
    ChangePasswordIn,
    EmailIn,
    NewUserIn,
    OidcIdentityIn,
    OidcLinkIn,
    OidcUnlinkIn,
    ReasonIn,
    ResetPasswordIn,
    RoleChangeIn,
    TeamChangeIn,
)
from bot.domain.conversation_inputs import (
    ConversationIn,
    DangerReportIn,
    OpenAssessmentIn,
    OpenConversationIn,
    StartIn,
)
from bot.domain.errors import ValidationError
from bot.domain.strict import UNKNOWN_FIELD, StrictModel
from bot.domain.teams_inputs import TeamsIdentityIn
from bot.store.oidc_link_models import OidcLink

GUID = "72f988bf-86f1-41af-91ab-2d7cd011db47"
REASON = "Moved to the Leeds team."
ISSUER = "https://login.example.org/v2.0"

# Each model with fields that pass.
INPUTS: dict[type[StrictModel], dict[str, Any]] = {
    NewUserIn: {
        "username": "pat",
        "password": "correct horse battery",
        "role": "practitioner",
        "team": "Leeds",
    },
    ResetPasswordIn: {"password": "correct horse battery"},
    ChangePasswordIn: {"new_password": "correct horse battery"},
    EmailIn: {"email": "pat@example.org"},
    ReasonIn: {"reason": REASON},
    RoleChangeIn: {"role": "lead", "reason": REASON},
    TeamChangeIn: {"team": "Leeds", "reason": REASON},
    OidcIdentityIn: {"issuer": ISSUER, "subject": "abc"},
    OidcLinkIn: {"issuer": ISSUER, "subject": "abc", "reason": REASON},
    OidcUnlinkIn: {"issuer": ISSUER, "reason": REASON},
    TeamsIdentityIn: {"tenant_id": GUID, "aad_object_id": GUID},
    ConversationIn: {"conversation_id": "c-1"},
    StartIn: {"conversation_id": "c-1", "bank_version": "v1", "mode": "live"},
    DangerReportIn: {"conversation_id": "c-1", "message": "He has a knife", "known": 0},
    OpenConversationIn: {"channel": "web"},
    OpenAssessmentIn: {"channel": "web", "bank_version": "v1", "mode": "rehearsal", "scenario_id": "s1"},
}


def build(model: type[StrictModel], fields: dict[str, Any]) -> StrictModel:
    return model.read(fields, {USERNAME: "pat"})


def refused(model: type[StrictModel], **changed: Any) -> dict[str, str]:
    with pytest.raises(ValidationError) as caught:
        build(model, {**INPUTS[model], **changed})
    return caught.value.fields


@pytest.mark.parametrize("model", list(INPUTS), ids=lambda m: m.__name__)
def test_good_fields_are_built(model: type[StrictModel]) -> None:
    assert set(build(model, INPUTS[model]).model_dump()) <= set(
        type(build(model, INPUTS[model])).model_fields
    )


@pytest.mark.parametrize("model", list(INPUTS), ids=lambda m: m.__name__)
def test_an_unknown_field_is_refused(model: type[StrictModel]) -> None:
    assert refused(model, misspelt="x") == {"misspelt": UNKNOWN_FIELD}


@pytest.mark.parametrize("model", list(INPUTS), ids=lambda m: m.__name__)
def test_a_wrong_type_is_refused_on_every_field(model: type[StrictModel]) -> None:
    for name in INPUTS[model]:
        problems = refused(model, **{name: 12.5})
        assert list(problems) == [name], (name, problems)
        assert problems[name]  # a message a person reads, never pydantic's report
        assert "validation error" not in problems[name].lower()


@pytest.mark.parametrize(
    ("model", "changed", "expected"),
    [
        (NewUserIn, {"username": ""}, {"username": "must not be empty"}),
        (
            NewUserIn,
            {"username": "-pat"},
            {
                "username": "may contain only letters, digits, '.', '_', '-' and '@', starting with a "
                "letter or digit"
            },
        ),
        (NewUserIn, {"password": "short"}, {"password": "must be at least 12 characters"}),
        (NewUserIn, {"password": "x" * 1_025}, {"password": "must be at most 1024 characters"}),
        (
            NewUserIn,
            {"role": "boss"},
            {"role": "must be one of: practitioner, lead, trainer, coordinator, admin"},
        ),
        (NewUserIn, {"team": " Leeds"}, {"team": "must not start or end with spaces"}),
        (NewUserIn, {"email": "pat"}, {"email": "'pat' is not an email address such as name@example.org"}),
        (ChangePasswordIn, {"new_password": "short"}, {"new_password": "must be at least 12 characters"}),
        (ReasonIn, {"reason": ""}, {"reason": "must not be empty"}),
        (ReasonIn, {"reason": "   "}, {"reason": "give the reason for this change"}),
        (ReasonIn, {"reason": 3}, {"reason": "must be text"}),
        (OidcLinkIn, {"issuer": "login.example.org"}, {"issuer": account_inputs.NO_ISSUER}),
        (OidcLinkIn, {"subject": "a b"}, {"subject": "enter the subject: 1 to 255 characters, no spaces"}),
        (
            TeamsIdentityIn,
            {"tenant_id": "not-a-guid"},
            {"tenant_id": "must be a GUID such as 72f988bf-86f1-41af-91ab-2d7cd011db47"},
        ),
        (
            StartIn,
            {"mode": "practice", "bank_version": ""},
            {"mode": "must be one of: live, rehearsal", "bank_version": "must not be empty"},
        ),
        (DangerReportIn, {"message": ""}, {"message": "must not be empty"}),
        (DangerReportIn, {"known": -1}, {"known": "must be a whole number, 0 or more"}),
        (OpenAssessmentIn, {"scenario_id": None}, {"scenario_id": conversation_inputs.NO_SCENARIO}),
        (OpenAssessmentIn, {"mode": "live"}, {"scenario_id": conversation_inputs.LIVE_SCENARIO}),
        (OpenAssessmentIn, {"scenario_id": "s" * 61}, {"scenario_id": "at most 60 characters"}),
    ],
)
def test_the_store_messages_are_kept(
    model: type[StrictModel], changed: dict[str, Any], expected: dict[str, str]
) -> None:
    assert refused(model, **changed) == expected


def test_a_password_that_names_its_account_is_refused_wherever_it_is_set() -> None:
    assert "password" in refused(NewUserIn, username="patricia", password="patricia-patricia")
    assert "new_password" in refused(ChangePasswordIn, new_password="pat pat pat pat pat")


def test_identities_are_kept_as_sign_in_compares_them() -> None:
    link = OidcLinkIn(issuer=f" {ISSUER}/ ", subject=" abc ", reason=REASON)
    assert (link.issuer, link.subject) == (ISSUER, "abc")
    teams = TeamsIdentityIn(tenant_id=GUID.upper(), aad_object_id=GUID)
    assert teams.tenant_id == GUID


def test_a_run_added_to_a_submitted_one_keeps_its_mode_unchecked() -> None:
    built = OpenAssessmentIn(channel="web", bank_version="v1", linked_from="c-0", mode="rehearsal")
    assert built.scenario_id is None


def test_the_oidc_limits_are_the_columns() -> None:
    columns = OidcLink.__table__.c
    assert columns.issuer.type.length == account_inputs.MAX_ISSUER_CHARS
    assert columns.subject.type.length == account_inputs.MAX_SUBJECT_CHARS
