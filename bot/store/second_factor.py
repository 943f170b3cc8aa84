"""The second factor for local passwords (issue #32): set-up, codes at sign-in, recovery codes, reset.

How the secret is kept: sealed with AES-GCM under a 256-bit key derived (HKDF-SHA256) from the session
secret for this purpose alone, bound to the account's id, and never returned by anything here once set-up is
confirmed (only `pending_secret` reads it, while set-up waits for its first code). A copy of the database
without the session secret yields neither the secrets nor a way to test recovery codes, which are kept as
HMAC-SHA256 under another derived key. Replacing the session secret makes every second factor unreadable:
each person then needs `bot user reset-2fa` and sets it up again (docs/production.md).

Codes are checked at the store's clock, so a test moves time by hand. A code is taken once: its 30-second
step is kept (`last_step`) and a code of that step or an earlier one is refused from then on.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

import pyotp
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import delete, select

from bot.domain import second_factor as rules
from bot.domain.account_inputs import ReasonIn
from bot.domain.audit_actions import AuditAction
from bot.domain.errors import ConflictError, NotFoundError
from bot.domain.second_factor import FactorState
from bot.store import inputs, repository
from bot.store.account_models import AccountChange
from bot.store.held_messages import derive_key
from bot.store.second_factor_models import RecoveryCode, SecondFactor
from bot.store.unit_of_work import Service, UnitOfWork

SECRET_PURPOSE = b"bot.store.second_factor secret v1"
RECOVERY_PURPOSE = b"bot.store.second_factor recovery v1"
NONCE_BYTES = 12
# No 0/o, 1/l/i: a code copied from paper is read back right.
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


class SecondFactorService(Service):
    def state(self, user_id: int) -> FactorState:
        with self._reading() as uow:
            return _state(uow.session.get(SecondFactor, user_id))

    def begin_set_up(self, user_id: int, session_secret: bytes) -> str:
        """A new authenticator secret (base32) for the account to scan, replacing any set-up not yet
        confirmed; refused once a second factor is in use (an admin resets it first)."""
        secret = pyotp.random_base32()

        def begin(uow: UnitOfWork) -> str:
            uow.user(user_id)
            row = uow.session.get(SecondFactor, user_id)
            if _state(row) is FactorState.ENROLLED:
                raise ConflictError({"second_factor": "a second factor is already set up for this account"})
            sealed = _seal(session_secret, user_id, secret)
            if row is None:
                uow.session.add(SecondFactor(user_id=user_id, secret_sealed=sealed, created_at=uow.now()))
            else:
                row.secret_sealed, row.created_at, row.last_step = sealed, uow.now(), None
            return secret

        return self._write(begin)

    def pending_secret(self, user_id: int, session_secret: bytes) -> str | None:
        """The secret of a set-up still waiting for its first code (to show the same QR code again after a
        wrong code), else None: a confirmed secret is never read back out."""
        with self._reading() as uow:
            row = uow.session.get(SecondFactor, user_id)
            if _state(row) is not FactorState.PENDING:
                return None
            return _open(session_secret, user_id, row.secret_sealed)

    def confirm_set_up(self, user_id: int, code: str, session_secret: bytes) -> list[str] | None:
        """The ten recovery codes, to be shown once, if `code` is the pending secret's current code; else None
        (audited either way, nothing else changed)."""
        typed = rules.normalise_code(code) if isinstance(code, str) else ""
        recovery = [_new_recovery_code() for _ in range(rules.RECOVERY_CODE_COUNT)]

        def confirm(uow: UnitOfWork) -> list[str] | None:
            row = uow.session.get(SecondFactor, user_id)
            if _state(row) is not FactorState.PENDING:
                raise NotFoundError({"second_factor": "there is no set-up waiting for a code; start again"})
            step = _matching_step(_open(session_secret, user_id, row.secret_sealed), typed, uow)
            if step is None:
                uow.audit(AuditAction.SECOND_FACTOR_REFUSED, user_id=user_id, stage="set-up")
                return None
            row.confirmed_at, row.last_step = uow.now(), step
            uow.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user_id))
            for text in recovery:
                uow.session.add(RecoveryCode(user_id=user_id, code_hash=_recovery_hash(session_secret, text)))
            uow.audit(AuditAction.SECOND_FACTOR_SET_UP, user_id=user_id, recovery_codes=len(recovery))
            return recovery

        return self._write(confirm)

    def verify(self, user_id: int, code: str, session_secret: bytes) -> str | None:
        """ "code" or "recovery" for the second factor that was taken (each only once), else None. Audited."""
        typed = rules.normalise_code(code) if isinstance(code, str) and len(code) <= 64 else ""

        def check(uow: UnitOfWork) -> str | None:
            row = uow.session.get(SecondFactor, user_id)
            if _state(row) is not FactorState.ENROLLED:
                uow.audit(AuditAction.SECOND_FACTOR_REFUSED, user_id=user_id, stage="not-set-up")
                return None
            if rules.is_one_time_code(typed):
                step = _matching_step(_open(session_secret, user_id, row.secret_sealed), typed, uow)
                if step is not None and (row.last_step is None or step > row.last_step):
                    row.last_step = step
                    uow.audit(AuditAction.SECOND_FACTOR_TAKEN, user_id=user_id, kind="code")
                    return "code"
                why = "reused" if step is not None else "wrong"
                uow.audit(AuditAction.SECOND_FACTOR_REFUSED, user_id=user_id, stage="sign-in", why=why)
                return None
            used = uow.session.scalars(
                select(RecoveryCode).where(
                    RecoveryCode.user_id == user_id,
                    RecoveryCode.code_hash == _recovery_hash(session_secret, typed),
                    RecoveryCode.used_at.is_(None),
                )
            ).first()
            if used is None:
                uow.audit(AuditAction.SECOND_FACTOR_REFUSED, user_id=user_id, stage="sign-in", why="wrong")
                return None
            used.used_at = uow.now()
            left = _unused_recovery_codes(uow, user_id)
            uow.audit(AuditAction.SECOND_FACTOR_TAKEN, user_id=user_id, kind="recovery", left=left)
            return "recovery"

        return self._write(check)

    def recovery_codes_left(self, user_id: int) -> int:
        with self._reading() as uow:
            return _unused_recovery_codes(uow, user_id)

    def reset(self, username: str, reason: str) -> int:
        """Remove an account's second factor and recovery codes (a lost phone), with the reason kept verbatim
        in `account_changes` and an audit event naming it; they set it up again at their next sign-in. The
        account's id."""
        reason = ReasonIn(reason=reason).reason

        def remove(uow: UnitOfWork) -> int:
            user = repository.user_by_name(uow.session, username) if inputs.findable(username) else None
            if user is None:
                raise NotFoundError({"username": f"no user called {username!r}"})
            row = uow.session.get(SecondFactor, user.id)
            if row is None:
                raise ConflictError({"second_factor": f"{username!r} has no second factor to reset"})
            uow.session.delete(row)
            uow.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
            actor = f"{self._actor.kind}:{self._actor.id}" if self._actor.id else self._actor.kind
            change = AccountChange(
                user_id=user.id,
                action=AuditAction.SECOND_FACTOR_RESET.value,
                reason=reason,
                made_by=actor,
                made_at=uow.now(),
            )
            uow.session.add(change)
            uow.session.flush()
            uow.audit(AuditAction.SECOND_FACTOR_RESET, user_id=user.id, change_id=change.id)
            return user.id

        return self._write(remove)


def _state(row: SecondFactor | None) -> FactorState:
    if row is None:
        return FactorState.NONE
    return FactorState.ENROLLED if row.confirmed_at is not None else FactorState.PENDING


def _matching_step(secret: str | None, typed: str, uow: UnitOfWork) -> int | None:
    """The 30-second step whose code `typed` is, within a step either side of now, or None."""
    if secret is None or not rules.is_one_time_code(typed):
        return None
    totp = pyotp.TOTP(secret, digits=rules.CODE_DIGITS, interval=rules.STEP_SECONDS)
    now_step = int(uow.now().timestamp()) // rules.STEP_SECONDS
    for step in range(now_step + rules.STEPS_EITHER_SIDE, now_step - rules.STEPS_EITHER_SIDE - 1, -1):
        if hmac.compare_digest(totp.at(step * rules.STEP_SECONDS), typed):
            return step
    return None


def _unused_recovery_codes(uow: UnitOfWork, user_id: int) -> int:
    rows = uow.session.scalars(
        select(RecoveryCode.id).where(RecoveryCode.user_id == user_id, RecoveryCode.used_at.is_(None))
    )
    return len(list(rows))


def _new_recovery_code() -> str:
    groups = (
        "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(rules.RECOVERY_GROUP_CHARS))
        for _ in range(rules.RECOVERY_CODE_GROUPS)
    )
    return "-".join(groups)


def _recovery_hash(session_secret: bytes, code: str) -> str:
    key = derive_key(session_secret, RECOVERY_PURPOSE)
    return hmac.new(key, rules.normalise_code(code).encode(), hashlib.sha256).hexdigest()


def _bound_to(user_id: int) -> bytes:
    return f"second-factor\x00{user_id}".encode()


def _seal(session_secret: bytes, user_id: int, secret: str) -> str:
    nonce = secrets.token_bytes(NONCE_BYTES)
    cipher = AESGCM(derive_key(session_secret, SECRET_PURPOSE))
    return base64.b64encode(nonce + cipher.encrypt(nonce, secret.encode(), _bound_to(user_id))).decode()


def _open(session_secret: bytes, user_id: int, sealed: str) -> str | None:
    """The secret, or None when it cannot be read (the session secret was replaced since set-up)."""
    raw = base64.b64decode(sealed)
    cipher = AESGCM(derive_key(session_secret, SECRET_PURPOSE))
    try:
        return cipher.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], _bound_to(user_id)).decode()
    except InvalidTag:
        return None
