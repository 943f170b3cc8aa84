"""Issue #35: the container files keep the deployment rules. No container daemon runs here, so the files are
parsed and checked: a non-root user, a health check, no secret baked in, the repository's own hashed locks,
every BOT_* setting they name documented, and only the app's port published (on loopback, for a proxy)."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
DOCKERFILES = (REPO / "Dockerfile", REPO / "engine" / "Dockerfile")
SECRET_NAME = re.compile(r"(SECRET|TOKEN|PASSWORD|PASSWD|KEY|CREDENTIAL)", re.IGNORECASE)
SETTING = re.compile(r"\bBOT_[A-Z0-9_]+")


def instructions(path: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    joined = re.sub(r"\\\n", " ", path.read_text(encoding="utf-8"))
    found = []
    for line in joined.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, rest = line.partition(" ")
            found.append((keyword.upper(), rest.strip()))
    return found


def final_stage(path: Path) -> list[tuple[str, str]]:
    steps = instructions(path)
    last_from = max(i for i, (keyword, _) in enumerate(steps) if keyword == "FROM")
    return steps[last_from:]


def env_names(arguments: str) -> list[str]:
    return re.findall(r"([A-Za-z_][A-Za-z0-9_]*)=", arguments)


def compose() -> dict:
    return yaml.safe_load((REPO / "compose.yaml").read_text(encoding="utf-8"))


def test_each_image_is_debian_slim_python_and_runs_as_a_user_with_a_health_check() -> None:
    for path in DOCKERFILES:
        stage = final_stage(path)
        assert re.fullmatch(r"python:3\.1[01]-slim-bookworm", stage[0][1]), path
        users = [arguments for keyword, arguments in stage if keyword == "USER"]
        assert users and users[-1].split(":")[0] not in ("root", "0"), path
        assert any(keyword == "HEALTHCHECK" for keyword, _ in stage), path


def test_the_app_image_checks_healthz() -> None:
    stage = final_stage(REPO / "Dockerfile")
    checks = [arguments for keyword, arguments in stage if keyword == "HEALTHCHECK"]
    assert "/healthz" in checks[0]


def test_no_secret_is_baked_into_an_image() -> None:
    for path in DOCKERFILES:
        for keyword, arguments in instructions(path):
            if keyword in ("ENV", "ARG"):
                names = env_names(arguments) or [arguments.split("=")[0].split()[0]]
                baked = [name for name in names if SECRET_NAME.search(name) and not name.endswith("_FILE")]
                assert not baked, f"{path.name}: {keyword} {baked}"
    ignored = (REPO / ".dockerignore").read_text(encoding="utf-8").split()
    for private in ("var", ".venv", ".venv-engine", "*.db", ".env"):
        assert private in ignored  # the data folder, its secrets and local environments stay out


def test_the_images_install_from_the_repositorys_hashed_locks() -> None:
    app = " ".join(arguments for _, arguments in instructions(REPO / "Dockerfile"))
    engine = " ".join(arguments for _, arguments in instructions(REPO / "engine" / "Dockerfile"))
    for text in (app, engine):
        assert "--require-hashes -r tools/uv-requirements.txt" in text  # uv itself, pinned by hash
    assert "uv.lock" in app and "uv sync --frozen --no-dev" in app
    assert "pip sync --require-hashes engine/requirements.lock" in engine
    assert "rasa train" in engine  # the model is built into the image, never trained at start


def test_only_the_app_publishes_a_port_and_only_on_loopback() -> None:
    services = compose()["services"]
    published = {name: service["ports"] for name, service in services.items() if "ports" in service}
    assert list(published) == ["app"]
    assert all(port.startswith("127.0.0.1:") for port in published["app"])
    for name in ("engine", "actions"):  # loopback listeners, reachable from the app's namespace only
        assert services[name]["network_mode"] == "service:app"
    assert compose()["networks"]["store"]["internal"] is True
    assert services["db"]["networks"] == ["store"]


def test_compose_gives_every_secret_as_a_file() -> None:
    document = compose()
    for name, service in document["services"].items():
        for variable in service.get("environment", {}):
            if SECRET_NAME.search(variable):
                assert variable.endswith("_FILE"), f"{name}: {variable}"
        for secret in service.get("secrets", []):
            assert "file" in document["secrets"][secret]
        if name != "db":
            assert service["read_only"] is True  # data only in the volume
    assert document["services"]["migrate"]["profiles"] == ["migrate"]  # the one-off step; `up` never runs it
    assert document["services"]["migrate"]["command"] == ["bot", "db", "upgrade"]


def test_every_bot_setting_the_containers_name_is_documented() -> None:
    documented = set(SETTING.findall((REPO / "docs" / "production.md").read_text(encoding="utf-8")))
    named: set[str] = set()
    manifests = sorted((REPO / "deploy" / "kubernetes").glob("*.yaml"))
    assert manifests  # they name settings too (tests/test_deploy_manifests.py validates them)
    for path in (*DOCKERFILES, REPO / "compose.yaml", REPO / "deploy" / "engine-entry.sh", *manifests):
        named |= set(SETTING.findall(path.read_text(encoding="utf-8")))
    assert named - documented == set()


def test_the_engine_and_only_the_engine_gets_the_tracker_keys_never_the_data_keys() -> None:
    """Issue #31/#35: the entry script, not `bot run`, starts the engine in a container, so its tracker keys
    (derived by `bot keys tracker-keys`) come as a secret file; the data keys, which open the store, never."""
    services = compose()["services"]
    given = {name: set(service.get("secrets", [])) for name, service in services.items()}
    assert [name for name, secrets in given.items() if "tracker-keys" in secrets] == ["engine"]
    assert "data-keys" not in given["engine"]
    engine_env = services["engine"]["environment"]
    assert engine_env["BOT_TRACKER_KEYS_FILE"] == "/run/secrets/tracker-keys"
    assert not [name for name in engine_env if name.startswith("BOT_DATA_KEYS")]
    for name, service in services.items():
        if name != "engine":
            assert "BOT_TRACKER_KEYS_FILE" not in service.get("environment", {}), name
    assert compose()["secrets"]["tracker-keys"] == {"file": "./secrets/tracker-keys"}
    script = (REPO / "deploy" / "engine-entry.sh").read_text(encoding="utf-8")
    assert 'BOT_TRACKER_KEYS="$(cat "$BOT_TRACKER_KEYS_FILE")"' in script
    assert "BOT_DATA_KEYS" not in script
    # A production engine refuses to start without tracker keys (engine/extensions/tracker_seal.py).
    engine_image = [arguments for keyword, arguments in final_stage(DOCKERFILES[1]) if keyword == "ENV"]
    assert any("BOT_ENV=production" in arguments for arguments in engine_image)
