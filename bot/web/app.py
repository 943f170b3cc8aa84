"""The aiohttp application: every route with its access rule, the JSON API, sessions and security headers."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import aiohttp_jinja2
import jinja2
from aiohttp import web
from aiohttp_session import session_middleware
from aiohttp_session.cookie_storage import EncryptedCookieStorage
from sqlalchemy import Engine

from bot.api.routes import add_routes as add_api_routes
from bot.chat.conversation_service import ConversationService
from bot.chat.gateway import EngineGateway
from bot.chat.move_to_live import move_words
from bot.chat.practice_mark import practice_words
from bot.domain.roles import Action, permits
from bot.notify.outbox_worker import delivery_context
from bot.oidc_config import CALLBACK_PATH
from bot.questions import BankProvider
from bot.reports.service import ReportService
from bot.review.services import ReviewService
from bot.runtime import settable_clock
from bot.settings import Settings
from bot.shared_state.choice import shared_state
from bot.store.clock import utcnow
from bot.store.db import make_session_factory
from bot.store.ended_sessions import EndedSessionService
from bot.store.held_messages import HeldMessageService
from bot.store.services import Store
from bot.teams.endpoint import TEAMS, setup_teams
from bot.teams.endpoint import messages as teams_messages
from bot.teams.move_to_live import TeamsMoves
from bot.teams.practice_mark import PracticeMarks
from bot.teams.turns import TeamsTurns
from bot.web import (
    admin_changes,
    admin_create,
    admin_users,
    auth,
    chat,
    held,
    legal_holds,
    metrics,
    oidc,
    password_pages,
    pending_sign_in,
    practice,
    practice_debrief,
    practice_move,
    readiness,
    reports,
    review,
    review_details,
    review_documents,
    review_links,
    review_next,
    second_factor,
    session_timing,
    training,
)
from bot.web.access import (
    Access,
    RouteSpec,
    StaticSpec,
    access_middleware,
    add_declared_routes,
    mark_api_routes,
)
from bot.web.bodies import form_body_middleware
from bot.web.csrf import csrf_middleware
from bot.web.headers import add_security_headers
from bot.web.information import ACCESSIBILITY_PATH, PRIVACY_PATH, TERMS_PATH, accessibility, privacy, terms
from bot.web.landing import home_for
from bot.web.request_id import request_id_middleware
from bot.web.security_txt import PATH as SECURITY_TXT
from bot.web.security_txt import security_txt
from bot.web.sessions import ENDED, SESSIONS, SessionRegistry
from bot.web.state import CONVERSATIONS, SETTINGS, STORE, USER
from bot.web.store_down import store_down_middleware
from bot.web.template_cache import PAGE_TEMPLATES

HERE = Path(__file__).resolve().parent
SESSION_COOKIE = "assessment_session"
# A long typed answer (10,000 characters of emoji, percent-encoded) is well under this.
MAX_REQUEST_BYTES = 2 * 1024 * 1024


async def home(request: web.Request) -> web.StreamResponse:
    """Each role's own home page, from the permission table (bot.web.landing.home_for)."""
    raise web.HTTPSeeOther(home_for(request[USER].role))


# Every page route and who may reach it. Anything not listed here (including unknown addresses) needs a
# signed-in user; the JSON API's routes, all under /api/v1/, check their own bearer token.
ROUTES: tuple[RouteSpec, ...] = (
    # Issue #35: the platform's probes and Prometheus; /metrics checks its own address list.
    RouteSpec("GET", "/healthz", readiness.healthz, Access.PUBLIC),
    RouteSpec("GET", "/readyz", readiness.readyz, Access.PUBLIC),
    RouteSpec("GET", "/metrics", metrics.metrics, Access.PUBLIC),
    # RFC 9116: the deploying council's security contact (BOT_SECURITY_CONTACT), for anyone, signed in or not.
    RouteSpec("GET", SECURITY_TXT, security_txt, Access.PUBLIC),
    # Issue #33: the privacy notice, terms and accessibility statement, for anyone (every footer links them).
    RouteSpec("GET", PRIVACY_PATH, privacy, Access.PUBLIC),
    RouteSpec("GET", TERMS_PATH, terms, Access.PUBLIC),
    RouteSpec("GET", ACCESSIBILITY_PATH, accessibility, Access.PUBLIC),
    RouteSpec("GET", "/sign-in", auth.sign_in_page, Access.PUBLIC),
    RouteSpec("POST", "/sign-in", auth.sign_in, Access.PUBLIC),
    RouteSpec("POST", "/sign-out", auth.sign_out, Access.OWN_SESSION),
    # Issue #32: the second factor. The sign-in pages are open, and their handlers accept only a session
    # waiting after a right password (bot.web.pending_sign_in); opting in needs a live session.
    RouteSpec("GET", second_factor.CODE_PATH, second_factor.code_page, Access.PUBLIC),
    RouteSpec("POST", second_factor.CODE_PATH, second_factor.take_code, Access.PUBLIC),
    RouteSpec("GET", second_factor.SET_UP_PATH, second_factor.set_up_page, Access.PUBLIC),
    RouteSpec("POST", second_factor.SET_UP_PATH, second_factor.confirm_set_up, Access.PUBLIC),
    RouteSpec("GET", second_factor.OWN_SET_UP_PATH, second_factor.set_up_page, Access.SIGNED_IN),
    RouteSpec("POST", second_factor.OWN_SET_UP_PATH, second_factor.confirm_set_up, Access.SIGNED_IN),
    # Issue #32: OpenID Connect sign-in (bot.web.oidc); 404 while BOT_OIDC_ISSUER is unset.
    RouteSpec("GET", oidc.START_PATH, oidc.start, Access.PUBLIC),
    RouteSpec("GET", CALLBACK_PATH, oidc.callback, Access.PUBLIC),
    # Issue #32: a one-time reset link an admin passed on (its token is the credential; rate limited like the
    # sign-in), and changing one's own password (the current one required).
    RouteSpec("GET", password_pages.RESET_ROUTE, password_pages.reset_page, Access.PUBLIC),
    RouteSpec("POST", password_pages.RESET_ROUTE, password_pages.reset_password, Access.PUBLIC),
    RouteSpec("GET", password_pages.OWN_PASSWORD_PATH, password_pages.own_password_page, Access.SIGNED_IN),
    RouteSpec("POST", password_pages.OWN_PASSWORD_PATH, password_pages.change_own_password, Access.SIGNED_IN),
    # Issue #32: accounts without SQL, for admins (Action.MANAGE_ACCOUNTS); never a case on these pages.
    RouteSpec("GET", admin_users.USERS_PATH, admin_users.user_list, Access.ACCOUNT_ADMINS),
    RouteSpec("GET", admin_users.USER_PATH, admin_users.user_page, Access.ACCOUNT_ADMINS),
    RouteSpec("GET", admin_create.NEW_PATH, admin_create.new_form, Access.ACCOUNT_ADMINS),
    RouteSpec("POST", admin_create.NEW_PATH, admin_create.check_new, Access.ACCOUNT_ADMINS),
    RouteSpec("POST", admin_create.NEW_CONFIRM_PATH, admin_create.confirm_new, Access.ACCOUNT_ADMINS),
    RouteSpec("GET", admin_changes.CHANGE_PATH, admin_changes.change_form, Access.ACCOUNT_ADMINS),
    RouteSpec("POST", admin_changes.CHANGE_PATH, admin_changes.check_change, Access.ACCOUNT_ADMINS),
    RouteSpec("POST", admin_changes.CONFIRM_PATH, admin_changes.confirm_change, Access.ACCOUNT_ADMINS),
    # "Stay signed in" in the time-out warning (timeout.js): reaching it is the activity that keeps a session.
    RouteSpec("POST", session_timing.KEEP_ALIVE_PATH, session_timing.keep_alive, Access.SIGNED_IN),
    RouteSpec("GET", "/", home, Access.SIGNED_IN),
    # The practitioner's home page (their assessments), and one page per assessment at /chat/<reference>.
    RouteSpec("GET", chat.HOME, chat.home, Access.SIGNED_IN),
    # Issue #26: only those who may raise concerns start or write an assessment; a practice run also needs
    # START_PRACTICE_RUNS, which the store checks when it opens one.
    RouteSpec("POST", "/chat/start", chat.start_new, Access.CONCERN_RAISERS),
    # Issue #13: a practice run starts only from a scenario; START_PRACTICE_RUNS is the store's check.
    RouteSpec("GET", practice.LIST_PATH, practice.scenario_list, Access.CONCERN_RAISERS),
    RouteSpec("GET", practice.CARD_PATH, practice.case_card, Access.CONCERN_RAISERS),
    RouteSpec("POST", practice.CARD_PATH, practice.start_run, Access.CONCERN_RAISERS),
    # Issue #13: a submitted practice run's debrief, for the trainee and the trainers of their team.
    RouteSpec("GET", practice_debrief.DEBRIEF_PATH, practice_debrief.debrief_page, Access.DEBRIEF_READERS),
    # A trainer's feedback note beside it: the service refuses a trainee (403), another team's trainer (404).
    RouteSpec(
        "POST", practice_debrief.FEEDBACK_PATH, practice_debrief.write_feedback, Access.DEBRIEF_READERS
    ),
    # Issue #13: a practice run about a real child moves to live: the trainee's own, a trainer's team's
    # (the store's check; another's run is not found).
    RouteSpec("GET", practice_move.MOVE_PATH, practice_move.move_page, Access.PRACTICE_MOVERS),
    RouteSpec("POST", practice_move.MOVE_PATH, practice_move.move_to_live, Access.PRACTICE_MOVERS),
    # Issue #13: the trainer pages over their team's practice runs, and the runs list as CSV.
    RouteSpec("GET", training.TRAINING_PATH, training.training_page, Access.PRACTICE_OVERSEERS),
    RouteSpec("GET", training.CSV_PATH, training.training_csv, Access.PRACTICE_OVERSEERS),
    RouteSpec("POST", "/chat/danger", chat.report_danger_from_home, Access.CONCERN_RAISERS),
    RouteSpec("GET", chat.CHAT_PATH, chat.chat_page, Access.SIGNED_IN),
    RouteSpec("POST", chat.CHAT_PATH + "/start", chat.start, Access.CONCERN_RAISERS),
    RouteSpec("POST", chat.CHAT_PATH + "/send", chat.send, Access.CONCERN_RAISERS),
    RouteSpec("POST", chat.CHAT_PATH + "/danger", chat.report_danger, Access.CONCERN_RAISERS),
    RouteSpec("POST", chat.CHAT_PATH + "/add", chat.add_to, Access.CONCERN_RAISERS),
    # Bot Framework endpoint: no sign-in, as the handler itself refuses (401) requests without a valid JWT.
    RouteSpec("POST", "/api/messages", teams_messages, Access.PUBLIC),
    RouteSpec("GET", "/cases", review.case_list, Access.CASE_READERS),
    RouteSpec("GET", review.CASE_PATH, review.case_page, Access.CASE_READERS),
    RouteSpec("POST", review.CASE_PATH + "/decision", review.record_decision, Access.CASE_REVIEWERS),
    RouteSpec("POST", review.CASE_PATH + "/close", review.close_case, Access.CASE_REVIEWERS),
    RouteSpec("POST", review.CASE_PATH + "/reopen", review.reopen_case, Access.CASE_REVIEWERS),
    RouteSpec("POST", review.CASE_PATH + "/ask-full", review.ask_for_full_assessment, Access.CASE_REVIEWERS),
    # VAF tags: Action.TAG_EVIDENCE (leads). The route admits every reviewer so that the review service, which
    # asks the same table, refuses a trainer with an audit event (403) and anyone outside the team (404).
    RouteSpec("POST", review.TAGS_PATH, review.add_tags, Access.CASE_REVIEWERS),
    RouteSpec("POST", review.TAG_REMOVE_PATH, review.remove_tag, Access.CASE_REVIEWERS),
    # "Record what you did" on an urgent case: leads of the case's team only, refused like the tags above.
    RouteSpec("POST", review.URGENT_RESPONSES_PATH, review.record_urgent_response, Access.CASE_REVIEWERS),
    # "Stand down the urgent flag" (issue #26): Action.STAND_DOWN_URGENT_FLAGS (leads), refused the same way.
    RouteSpec("POST", review.STAND_DOWN_PATH, review.stand_down_urgent_flag, Access.CASE_REVIEWERS),
    # Issue #12: what happened next; Action.REVIEW_CASES, checked again with the scope by the service.
    RouteSpec("POST", review_next.SHARING_PATH, review_next.record_sharing, Access.CASE_REVIEWERS),
    RouteSpec("POST", review_next.OUTCOMES_PATH, review_next.record_outcome, Access.CASE_REVIEWERS),
    RouteSpec("POST", review_next.REVIEWS_PATH, review_next.set_review, Access.CASE_REVIEWERS),
    # Issue #12: the documents a lead sends, with identifying details; Action.SEND_DOCUMENTS (leads), checked
    # with the scope by the service, which refuses a trainer (403) and anyone outside the team (404).
    RouteSpec("GET", review_documents.DOCUMENTS_PATH, review_documents.documents_page, Access.CASE_REVIEWERS),
    RouteSpec("POST", review_documents.DOCUMENTS_PATH, review_documents.make_document, Access.CASE_REVIEWERS),
    RouteSpec(
        "GET", review_documents.DOCUMENT_PDF_PATH, review_documents.document_pdf, Access.CASE_REVIEWERS
    ),
    RouteSpec(
        "GET", review_documents.DOCUMENT_JSON_PATH, review_documents.document_json, Access.CASE_REVIEWERS
    ),
    # Issue #12: "Change identifying details", the same leads, refused the same way, without a document.
    RouteSpec("GET", review_details.DETAILS_PATH, review_details.details_page, Access.CASE_REVIEWERS),
    RouteSpec("POST", review_details.DETAILS_PATH, review_details.change_details, Access.CASE_REVIEWERS),
    # Issue #12: the council's case-record ID and assignment; leads only (Action.LINK_CASE_RECORDS,
    # Action.ASSIGN_CASES), checked again with the scope by the service.
    RouteSpec("POST", review_links.CASE_RECORD_PATH, review_links.link_case_record, Access.CASE_REVIEWERS),
    RouteSpec("POST", review_links.UNLINK_PATH, review_links.unlink_case_record, Access.CASE_REVIEWERS),
    RouteSpec("POST", review_links.ASSIGNMENT_PATH, review_links.assign_case, Access.CASE_REVIEWERS),
    # Issue #31: a legal hold on a case, set or lifted with a reason (Action.HOLD_CASES: leads and admins);
    # the retention service limits a lead to their team's cases, and audits every change and refusal.
    RouteSpec("GET", legal_holds.HOLD_PATH, legal_holds.hold_page, Access.CASE_HOLDERS),
    RouteSpec("POST", legal_holds.HOLD_PATH, legal_holds.set_hold, Access.CASE_HOLDERS),
    RouteSpec("POST", legal_holds.LIFT_PATH, legal_holds.lift_hold, Access.CASE_HOLDERS),
    RouteSpec("GET", review.CASE_PATH + "/transcript", review.transcript_page, Access.CASE_READERS),
    RouteSpec("GET", review.CASE_PATH + "/export.json", review.export_json, Access.CASE_READERS),
    RouteSpec("GET", review.CASE_PATH + "/export.pdf", review.export_pdf, Access.CASE_READERS),
    # Issue 16: figures for the board, nobody identifiable (bot.reports).
    RouteSpec("GET", "/reports", reports.reports_page, Access.REPORT_READERS),
    RouteSpec("GET", "/reports/export.csv", reports.export_csv, Access.REPORT_READERS),
    RouteSpec("GET", "/reports/export.xlsx", reports.export_xlsx, Access.REPORT_READERS),
    RouteSpec(
        "GET", r"/reports/tables/{table_id:[a-z_]{1,40}}.csv", reports.export_table_csv, Access.REPORT_READERS
    ),
)
STATIC = StaticSpec("/static", HERE / "static", Access.PUBLIC)


def create_app(
    settings: Settings,
    store: Store | None = None,
    *,
    clock: Callable[[], float] = time.monotonic,
) -> web.Application:
    """Build the app; `clock` (monotonic seconds) drives idle sign-out and the sign-in limit."""
    owned_engine: Engine | None = None
    if store is None:
        session_factory = make_session_factory(settings.database_url)
        store = Store(
            session_factory, typed_danger_check=timedelta(seconds=settings.typed_danger_check_seconds)
        )
        owned_engine = session_factory.kw["bind"]  # made here, so closed here
    app_metrics = metrics.AppMetrics(store.session_factory)
    gateway = EngineGateway(settings.engine_url, settings.engine_token, on_reply=app_metrics.message_handled)
    storage = EncryptedCookieStorage(
        settings.session_secret,
        cookie_name=SESSION_COOKIE,
        httponly=True,
        samesite="Lax",
        secure=settings.cookie_secure,
        max_age=None,  # a browser-session cookie; the idle limit is enforced on the server
    )
    app = web.Application(
        middlewares=[
            request_id_middleware,  # outermost: every line logged for this request carries its id
            metrics.count_errors,  # first, so that it sees every refusal the others make
            store_down_middleware,  # a database restart's dropped connection: 503, try again (not 500)
            session_middleware(storage),
            access_middleware,
            form_body_middleware,
            csrf_middleware,
        ],
        client_max_size=MAX_REQUEST_BYTES,
    )
    app[metrics.METRICS] = app_metrics
    probes = readiness.Readiness(gateway, f"http://{settings.actions_host}:{settings.actions_port}/health")
    app[readiness.READINESS] = probes
    app[SETTINGS] = settings
    app[STORE] = store
    # Issue #34: sessions, sign-in limits, conversation locks and the Teams guard in this process's memory,
    # or in Redis when several app processes serve the same people (BOT_SHARED_STATE_URL). Chosen here only.
    shared = shared_state(settings.shared_state, clock, settings.session_secret)
    app[SESSIONS] = SessionRegistry(
        settings.session_idle_minutes * 60,
        clock,
        max_seconds=settings.session_max_hours * 3600,
        table=shared.sessions,
    )
    app[ENDED] = EndedSessionService(
        store.session_factory, lifetime=timedelta(hours=settings.session_max_hours)
    )
    checks_per_second = settings.sign_in_checks_per_second
    app[auth.SIGN_IN_LIMITER] = auth.SignInLimiter(
        clock, checks_per_second=checks_per_second, windows=shared.window
    )
    # One bank provider for the whole app (bot.questions.provider): the chat, Teams and the reviews.
    banks = BankProvider(settings.bank_path)
    conversations = ConversationService(
        store, gateway, banks, shared.locks, danger_press_wait=settings.danger_press_engine_wait_seconds
    )
    app[CONVERSATIONS] = conversations
    setup_teams(
        app,
        settings,
        lambda: TeamsTurns(
            store.teams,
            conversations,
            TeamsMoves(store.practice_moves, move_words()),
            PracticeMarks(practice_words(), conversations.scenario),
            settings.teams_show_answers,
            shared.deliveries,
        ),
        clock,
    )
    # Urgent notices are delivered by a worker beside the app, off the request path; it stops (letting a
    # send in flight finish) before the connections below close.
    teams = app.get(TEAMS)
    connector = teams.connector if teams is not None else None
    # Only the tests' clock file (production refuses it) moves the worker's "now"; else the real time.
    wall = settable_clock.wall_clock(settings.test_clock_file) if settings.test_clock_file else utcnow
    app.cleanup_ctx.append(delivery_context(settings, store.session_factory, connector, wall))

    env = aiohttp_jinja2.setup(
        app,
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        # Compiled once per process, not once per app (bot/web/template_cache.py says why).
        bytecode_cache=PAGE_TEMPLATES,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # Templates ask the same permission table as the routes and services: `permits(user.role, Action.X)`.
    env.globals["permits"] = permits
    env.globals["Action"] = Action
    # Moving a practice run to live says the same on every page and in Teams (bot.chat.move_to_live).
    env.globals["move_words"] = move_words()
    # So does the marking of a practice run (bot.chat.practice_mark).
    env.globals["practice_words"] = practice_words()
    review.setup(
        app,
        ReviewService(store.session_factory, banks, clock=store.clock, tracker_db=settings.tracker_database),
    )
    reports.setup(
        app, ReportService(store.session_factory, banks.current(), threshold=settings.report_threshold)
    )
    # Issue 17: messages held after a session ended, local drafts, and the time-out warning's timings.
    held_messages = HeldMessageService(
        store.session_factory, settings.session_secret, hours=settings.held_message_hours
    )
    draft_keys = held.DraftKeys(settings.session_secret, app[ENDED])
    held.setup(app, held_messages, draft_keys, settings.held_message_hours)
    session_timing.setup(app, settings)
    oidc.setup(app)
    pending_sign_in.setup(app, clock)
    add_declared_routes(app, ROUTES, STATIC)
    before_api = set(app.router.resources())
    add_api_routes(app, store.assessments, settings)
    mark_api_routes(app, before_api)

    app.on_response_prepare.append(add_security_headers)

    async def close_connections(_app: web.Application) -> None:
        await gateway.close()
        await probes.close()
        await shared.close()
        if owned_engine is not None:
            owned_engine.dispose()

    app.on_cleanup.append(close_connections)
    return app
