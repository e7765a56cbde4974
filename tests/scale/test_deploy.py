"""deploy/ cannot run here (no container engine, no cluster), so it is checked as far as it can
be: the Kubernetes schemas, hadolint, the Rasa command lines, and that the pieces fit together."""

import re
import shlex
import subprocess
import sys
from pathlib import Path

import kubernetes_validate
import pytest
import yaml
from rasa.__main__ import create_argument_parser as rasa_arguments
from rasa_sdk.endpoint import create_argument_parser as sdk_arguments

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
MANIFESTS = sorted(DEPLOY.rglob("*.yaml"))
DOCKERFILES = sorted(DEPLOY.glob("*.Dockerfile"))
PINS = dict(line.split("==") for line in (ROOT / "requirements.txt").read_text().split() if "==" in line)


def documents():
    return [doc for path in MANIFESTS for doc in yaml.safe_load_all(path.read_text(encoding="utf-8"))]


def find(kind, name):
    [doc] = [d for d in documents() if d["kind"] == kind and d["metadata"]["name"] == name]
    return doc


def container(deployment):
    [spec] = find("Deployment", deployment)["spec"]["template"]["spec"]["containers"]
    return spec


def dockerfile_cmd(path):
    [line] = [line for line in path.read_text().splitlines() if line.startswith("CMD ")]
    return yaml.safe_load(line[4:])


@pytest.mark.parametrize("path", MANIFESTS, ids=lambda p: str(p.relative_to(DEPLOY)))
def test_every_manifest_is_valid_kubernetes(path):
    for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")):
        kubernetes_validate.validate(doc, kubernetes_validate.utils.latest_version(), strict=True)


def test_the_dockerfiles_pass_hadolint():
    hadolint = Path(sys.executable).parent / "hadolint"
    result = subprocess.run([str(hadolint), *map(str, DOCKERFILES)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("path", DOCKERFILES, ids=lambda p: p.name)
def test_images_are_the_official_ones_with_our_pins_and_existing_files(path):
    text = path.read_text()
    base = re.search(r"^FROM (\S+):(\S+)$", text, re.M)
    official = {"rasa/rasa": "rasa", "rasa/rasa-sdk": "rasa-sdk"}
    assert base.group(1) in official and PINS[official[base.group(1)]] == base.group(2)
    for package, version in re.findall(r"([A-Za-z][\w.-]*)==([\w.]+)", text):
        assert PINS.get(package) == version, f"{package}=={version} differs from requirements.txt"
    for line in re.findall(r"^COPY (.+) \S+$", text, re.M):
        for source in line.split():
            assert (ROOT / source).exists(), f"COPY {source}: no such file in the repository"


def test_the_rasa_command_lines_are_accepted_by_rasa():
    rasa_args = container("doumi-rasa")["args"]
    for args in (dockerfile_cmd(DEPLOY / "rasa.Dockerfile"), rasa_args):
        parsed = rasa_arguments().parse_args(args)
        assert parsed.model == "/app/models" and parsed.endpoints == "/etc/doumi/endpoints.yml"
    assert "--enable-api" in rasa_args and "--auth-token" in rasa_args  # /status needs both
    # The rasa-sdk image's entry point takes "start" and hands the rest to rasa_sdk.
    start, *args = dockerfile_cmd(DEPLOY / "actions.Dockerfile")
    assert start == "start" and sdk_arguments().parse_args(args).port == 5055


def test_health_checks_and_replicas():
    rasa, actions = container("doumi-rasa"), container("doumi-actions")
    assert find("Deployment", "doumi-rasa")["spec"]["replicas"] >= 2
    assert find("Deployment", "doumi-actions")["spec"]["replicas"] >= 2
    assert rasa["livenessProbe"]["httpGet"] == {"path": "/", "port": 5005}
    assert rasa["startupProbe"]["httpGet"] == {"path": "/", "port": 5005}
    assert "localhost:5005/status?token=" in shlex.join(rasa["readinessProbe"]["exec"]["command"])
    for probe in ("livenessProbe", "readinessProbe"):
        assert actions[probe]["httpGet"] == {"path": "/health", "port": 5055}


def test_the_pieces_fit_together():
    services = {d["metadata"]["name"]: d for d in documents() if d["kind"] == "Service"}
    workloads = [d for d in documents() if d["kind"] in ("Deployment", "StatefulSet")]
    for service in services.values():  # every Service reaches a workload
        selector = service["spec"]["selector"].items()
        assert any(selector <= w["spec"]["template"]["metadata"]["labels"].items() for w in workloads), service
    for rule in find("Ingress", "doumi")["spec"]["rules"]:
        for path in rule["http"]["paths"]:
            backend = path["backend"]["service"]
            ports = [p["port"] for p in services[backend["name"]]["spec"]["ports"]]
            assert backend["port"]["number"] in ports
            assert path["path"] == "/webhooks", "only the channels are public, never the HTTP API"

    endpoints = yaml.safe_load(find("ConfigMap", "doumi-endpoints")["data"]["endpoints.yml"])
    project = yaml.safe_load((ROOT / "endpoints.yml").read_text(encoding="utf-8"))
    assert endpoints["lock_store"] == project["lock_store"]
    host, port = re.match(r"http://([\w-]+):(\d+)/webhook$", endpoints["action_endpoint"]["url"]).groups()
    assert int(port) in [p["port"] for p in services[host]["spec"]["ports"]]

    env = {e["name"] for e in container("doumi-rasa")["env"]}
    used = set(re.findall(r"\$\{(\w+)\}", find("ConfigMap", "doumi-endpoints")["data"]["endpoints.yml"]))
    assert used <= env and "REDIS_URL" in env
    claims = {d["metadata"]["name"] for d in documents() if d["kind"] == "PersistentVolumeClaim"}
    volumes = find("Deployment", "doumi-rasa")["spec"]["template"]["spec"]["volumes"]
    assert {v["persistentVolumeClaim"]["claimName"] for v in volumes if "persistentVolumeClaim" in v} <= claims
