"""Issue #35: the container files keep the deployment rules. No container daemon runs here, so the files are
parsed and checked: a non-root user, a health check, no secret baked in, the repository's own hashed locks,
every BOT_* setting they name documented, and only the front door's port published (on loopback, for a proxy).
Both compose files are held to the same rules: compose.yaml (one of each) and compose.scaled.yaml (two of
each behind HAProxy, whose configurations HAProxy itself checks here)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import yaml

from bot.runtime.model import extra_examples
from bot.runtime.scaled_servers import binary

REPO = Path(__file__).resolve().parent.parent
DOCKERFILES = (REPO / "Dockerfile", REPO / "engine" / "Dockerfile")
SECRET_NAME = re.compile(r"(SECRET|TOKEN|PASSWORD|PASSWD|KEY|CREDENTIAL)", re.IGNORECASE)
SETTING = re.compile(r"\bBOT_[A-Z0-9_]+")
COMPOSE_FILES = ("compose.yaml", "compose.scaled.yaml")
# Images we do not build: their entrypoints start as root only to own their data folder, then drop to their
# own user (gosu). Every other service runs one of our images (USER 10001) or names an unprivileged user.
OFFICIAL_SELF_DROPPING = {"postgres", "redis"}
OUR_IMAGES = ("safeguarding-assessment/app:local", "safeguarding-assessment/engine:local")
HAPROXY_CONFIGS = {"proxy": "deploy/haproxy/compose-front.cfg", "hops": "deploy/haproxy/compose-hops.cfg"}


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


def compose(name: str = "compose.yaml") -> dict:
    return yaml.safe_load((REPO / name).read_text(encoding="utf-8"))


def scaled() -> dict:
    return compose("compose.scaled.yaml")


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


@pytest.mark.parametrize("file", COMPOSE_FILES)
def test_compose_gives_every_secret_as_a_file(file: str) -> None:
    document = compose(file)
    for name, service in document["services"].items():
        for variable, value in service.get("environment", {}).items():
            if SECRET_NAME.search(variable):
                assert variable.endswith("_FILE"), f"{name}: {variable}"
            assert "@" not in str(value), f"{name}: {variable} carries credentials; give it as a file"
        for secret in service.get("secrets", []):
            assert "file" in document["secrets"][secret]
        if name not in ("db", "redis"):
            assert service["read_only"] is True  # data only in the volume
    assert document["services"]["migrate"]["profiles"] == ["migrate"]  # the one-off step; `up` never runs it
    assert document["services"]["migrate"]["command"] == ["bot", "db", "upgrade"]


def test_every_bot_setting_the_containers_name_is_documented() -> None:
    documented = set(SETTING.findall((REPO / "docs" / "production.md").read_text(encoding="utf-8")))
    named: set[str] = set()
    manifests = sorted((REPO / "deploy").glob("kubernetes*/*.yaml"))  # the base and the scaled overlay
    assert manifests  # they name settings too (tests/test_deploy_manifests.py validates them)
    composed = [REPO / file for file in COMPOSE_FILES]
    for path in (*DOCKERFILES, *composed, REPO / "deploy" / "engine-entry.sh", *manifests):
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


@pytest.mark.parametrize("file", COMPOSE_FILES)
def test_every_service_runs_as_a_user_never_root(file: str) -> None:
    for name, service in compose(file)["services"].items():
        image = service["image"]
        if image in OUR_IMAGES:
            assert service.get("user") in (None, "10001:10001"), name  # the images' USER 10001
        elif image.split(":")[0] in OFFICIAL_SELF_DROPPING:
            assert "user" not in service, name
        else:
            assert service["user"] not in ("root", "0", "0:0"), name


def test_the_scaled_file_publishes_only_the_front_door_on_loopback() -> None:
    document = scaled()
    services = document["services"]
    published = {name: service["ports"] for name, service in services.items() if "ports" in service}
    assert published == {"proxy": ["127.0.0.1:8080:8080"]}
    assert document["networks"]["hops"]["internal"] is True
    assert document["networks"]["store"]["internal"] is True
    members = {
        network: {name for name, service in services.items() if network in service.get("networks", [])}
        for network in document["networks"]
    }
    assert members["front"] == {"proxy", "app-1", "app-2"}
    assert members["hops"] == {"hops", "app-1", "app-2", "engine-1", "engine-2", "actions-1", "actions-2"}
    # The action servers reach the records through the app's API only, never the databases.
    assert members["store"] == {"app-1", "app-2", "engine-1", "engine-2", "migrate", "db", "redis"}
    assert not any("network_mode" in service for service in services.values())


def test_the_scaled_file_runs_two_of_each_on_postgresql_and_redis() -> None:
    services = scaled()["services"]
    for pair in (("app-1", "app-2"), ("engine-1", "engine-2"), ("actions-1", "actions-2")):
        first, second = (services[name] for name in pair)
        assert {**first, "build": None} == {**second, "build": None}  # the same service twice
    app = services["app-1"]["environment"]
    assert app["BOT_DATABASE_URL_FILE"] == "/run/secrets/database-url"
    assert app["BOT_TRACKER_URL_FILE"] == "/run/secrets/tracker-url"
    # Two databases of one Redis: the engines' locks (db 1) and the apps' shared state (db 2).
    assert (app["BOT_LOCK_STORE_URL"], app["BOT_SHARED_STATE_URL"]) == (
        "redis://redis:6379/1",
        "redis://redis:6379/2",
    )
    engine = services["engine-1"]["environment"]
    assert (engine["BOT_LOCK_STORE"], engine["BOT_LOCK_STORE_HOST"], engine["BOT_LOCK_STORE_DB"]) == (
        "redis",
        "redis",
        "1",
    )
    # Every hop goes through the internal HAProxy, round-robin, to either of the pair.
    assert app["BOT_ENGINE_HOST"] == app["BOT_ACTIONS_HOST"] == "hops"
    assert engine["BOT_ACTIONS_URL"] == "http://hops:5055/webhook"
    assert services["actions-1"]["environment"]["BOT_APP_HOST"] == "hops"


def test_the_scaled_engines_get_their_tokens_and_tracker_keys_only() -> None:
    services = scaled()["services"]
    given = {name: set(service.get("secrets", [])) for name, service in services.items()}
    assert {name for name, secrets in given.items() if "tracker-keys" in secrets} == {"engine-1", "engine-2"}
    # The tracker's own URL (its role's password) besides: the engine writes the tracker, nothing else; and
    # Redis's password, for Rasa's lock store (issue #34).
    assert given["engine-1"] == {
        "engine-token",
        "actions-token",
        "tracker-keys",
        "tracker-url",
        "redis-password",
    }
    assert given["actions-1"] == {"service-token", "actions-token"}
    for name, service in services.items():
        if not name.startswith("engine-"):
            assert "BOT_TRACKER_KEYS_FILE" not in service.get("environment", {}), name


def test_the_scaled_redis_asks_for_the_password_every_client_is_given_as_a_file() -> None:
    """Issue #34: Redis's password is the secret `redis-password`, on no command line and in no URL."""
    services = scaled()["services"]
    readers = {name for name, service in services.items() if "redis-password" in service.get("secrets", [])}
    assert readers == {"app-1", "app-2", "engine-1", "engine-2", "migrate", "redis"}
    for name in readers - {"redis"}:
        assert services[name]["environment"]["BOT_REDIS_PASSWORD_FILE"] == "/run/secrets/redis-password", name
        assert "BOT_REDIS_PASSWORD" not in services[name]["environment"], name
    redis = services["redis"]
    script = redis["entrypoint"][-1]
    # The configuration on standard input (`redis-server -`), through the image's own entrypoint (which
    # drops to its redis user), so the password is never an argument `ps` shows.
    assert "cat /run/secrets/redis-password" in script and "requirepass" in script
    assert "exec docker-entrypoint.sh redis-server - " in script and "--requirepass" not in script
    assert "REDISCLI_AUTH=" in redis["healthcheck"]["test"][-1]
    assert "redis-password" in scaled()["secrets"]


def test_the_haproxy_configurations_are_valid_round_robin_and_never_sticky() -> None:
    services = scaled()["services"]
    haproxy = binary("haproxy", "haproxy")
    for name, config in HAPROXY_CONFIGS.items():
        mount = f"./{config}:/usr/local/etc/haproxy/haproxy.cfg:ro"
        assert services[name]["volumes"] == [mount]
        lines = (REPO / config).read_text(encoding="utf-8").splitlines()
        text = "\n".join(line.split("#")[0] for line in lines)  # the directives, not the comments
        # -c parses and checks the whole file; the servers' names resolve only on the compose network.
        checked = subprocess.run(
            [haproxy, "-c", "-f", str(REPO / config)], capture_output=True, text=True, check=False
        )
        assert checked.returncode == 0, checked.stdout + checked.stderr
        assert "balance roundrobin" in text
        for sticky in ("cookie", "stick", "balance source", "prefer-last-server"):
            assert sticky not in text, (config, sticky)
        for server in re.findall(r"^\s*server \S+ ([a-z0-9-]+):\d+", text, re.MULTILINE):
            assert server in services, (config, server)  # every backend is a service of the file


def test_the_engine_image_trains_with_every_example_file_config_yml_names() -> None:
    """The danger second opinion learns the files config.yml lists as `extra_examples`: the image must hold
    them where config.yml names them before `rasa train`, or the image's model would differ from the one
    every other checkout trains."""
    named = extra_examples()
    assert named
    steps = instructions(REPO / "engine" / "Dockerfile")
    train = next(
        i for i, (keyword, arguments) in enumerate(steps) if keyword == "RUN" and "rasa train" in arguments
    )
    copied = [arguments.split() for keyword, arguments in steps[:train] if keyword == "COPY"]
    for path in named:
        assert any(path in sources[:-1] and sources[-1] == f"{Path(path).parent}/" for sources in copied), (
            path
        )
    ignore = (REPO / ".dockerignore").read_text(encoding="utf-8").split()
    assert "tests" in ignore and all(f"!{path}" in ignore for path in named)
