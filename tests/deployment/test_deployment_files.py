"""What the image and the compose file promise, read from the files a deployment uses. The image
itself is built and smoke-tested with ../shared/tools/container/ (README "Production")."""

import re
import runpy
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
TEST_PACKAGES = {"pytest", "pytest-timeout", "selenium", "moto", "schemathesis", "hypothesis", "pypdfium2", "aiohttp"}
LOCK_FILES = ["requirements.txt", "requirements/dev.txt", "requirements/face.txt",
              "requirements/dlib-bin.txt", "requirements/dlib-source.txt"]


def pins(path: str) -> dict[str, str]:
    """name -> the requirement's text (its `==` line and its hash lines)."""
    text = (ROOT / path).read_text()
    entries = re.split(r"\n(?=[A-Za-z0-9])", re.sub(r"^#.*\n", "", text, flags=re.M).strip())
    return {re.split(r"[=\[ ]", entry, maxsplit=1)[0].lower(): entry for entry in entries if entry}


def test_every_requirement_is_pinned_with_hashes():
    for path in LOCK_FILES:
        for name, entry in pins(path).items():
            assert re.match(rf"{re.escape(name)}(\[[a-z,]+\])?==\S+ ", entry, re.I), (path, name)
            assert "--hash=sha256:" in entry, (path, name)


def test_the_runtime_requirements_hold_no_test_or_benchmark_package():
    runtime = pins("requirements.txt")
    assert not TEST_PACKAGES & set(runtime)
    assert TEST_PACKAGES <= set(pins("requirements/dev.txt"))
    # The salary-step PDF is laid out at run time: Typst and the Thai font belong to the image.
    assert {"typst", "fontpkg-sarabun", "face-recognition-models"} <= set(runtime)


def test_dev_requirements_agree_with_the_runtime_pins():
    runtime = pins("requirements.txt")
    for name, entry in pins("requirements/dev.txt").items():
        if name in runtime:
            assert entry.split()[0] == runtime[name].split()[0], name


def dockerfile() -> list[str]:
    return [line.strip() for line in (ROOT / "Dockerfile").read_text().replace("\\\n", " ").splitlines()
            if line.strip() and not line.strip().startswith("#")]


def test_image_installs_only_hashed_requirements_and_names_its_base_once():
    lines = dockerfile()
    assert lines[0].startswith("ARG BASE_IMAGE=")
    assert all(line.split()[1] == "${BASE_IMAGE}" for line in lines if line.startswith("FROM "))
    for line in lines:
        for command in re.findall(r"pip (?:install|wheel|download) [^&]*", line):
            assert "--require-hashes" in command or "/tmp/wheels/" in command, command


def test_image_runs_as_a_user_created_before_the_code_with_a_shared_data_volume():
    lines = dockerfile()
    final = lines[max(i for i, line in enumerate(lines) if line.startswith("FROM ")):]
    user = next(i for i, line in enumerate(final) if "useradd" in line)
    code = final.index("COPY . .")
    assert user < code and "--gid 0" in final[user]
    assert any("chmod 2775 /app/instance" in line for line in final)
    assert 'VOLUME ["/app/instance"]' in final and "USER 10001" in final
    assert any(line.startswith("HEALTHCHECK") and "checkin.healthcheck" in line for line in final)


def test_image_leaves_out_tests_benchmarks_ci_and_docs():
    ignored = set((ROOT / ".dockerignore").read_text().split())
    assert {"tests", "bench", ".ci", "docs", ".git", ".venv", "instance", ".env"} <= ignored


class ComposeLoader(yaml.SafeLoader):
    pass


ComposeLoader.add_multi_constructor("!", lambda loader, tag, node: loader.construct_mapping(node)
                                    if isinstance(node, yaml.MappingNode) else loader.construct_sequence(node))


def compose(name: str) -> dict:
    return yaml.load((ROOT / name).read_text(), Loader=ComposeLoader)


def test_compose_starts_each_process_after_what_it_needs_on_one_shared_volume():
    services = compose("docker-compose.yml")["services"]
    assert {"db", "redis", "migrate", "api", "worker", "beat"} <= set(services)
    assert "healthcheck" in services["db"] and "healthcheck" in services["redis"]
    assert services["migrate"]["depends_on"]["db"]["condition"] == "service_healthy"
    for name in ("api", "worker", "beat"):
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        assert services[name]["volumes"] == ["etkdata:/app/instance"]
        assert services[name]["read_only"] is True
    assert services["migrate"]["command"] == ["flask", "init-db"]


def test_the_host_override_runs_every_app_process_on_the_host_network():
    services = compose("compose.host.yml")["services"]
    assert services["db"]["profiles"] == ["bundled"] and services["redis"]["profiles"] == ["bundled"]
    for name in ("migrate", "api", "worker", "beat"):
        assert services[name]["network_mode"] == "host"
        assert "db" not in services[name]["depends_on"] and "redis" not in services[name]["depends_on"]


def test_gunicorn_opens_no_control_socket_unless_asked(monkeypatch):
    monkeypatch.delenv("GUNICORN_CONTROL_SOCKET", raising=False)
    assert runpy.run_path(str(ROOT / "gunicorn.conf.py"))["control_socket_disable"] is True
    monkeypatch.setenv("GUNICORN_CONTROL_SOCKET", "/tmp/etk.ctl")
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert settings["control_socket_disable"] is False and settings["control_socket"] == "/tmp/etk.ctl"
