"""The deployment files, checked with real parsers: Docker's own Dockerfile parser and the Compose
Specification's JSON schema (as vendored by check-jsonschema). No Docker engine runs here."""

import re
import subprocess
import sys
from pathlib import Path

import dockerfile
import yaml

from tests.support import ROOT

CHECK_JSONSCHEMA = str(Path(sys.executable).parent / "check-jsonschema")


def test_compose_file_is_valid_against_the_compose_specification():
    done = subprocess.run([CHECK_JSONSCHEMA, "--builtin-schema", "vendor.compose-spec", str(ROOT / "docker-compose.yml")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "ok -- validation done" in done.stdout


def test_compose_runs_the_bot_and_the_indexer_on_one_data_volume():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    bot, indexer = compose["services"]["bot"], compose["services"]["indexer"]
    assert bot["command"] == ["newsdesk", "bot"]
    assert "newsdesk index update --prune" in indexer["command"][-1]
    assert 'sleep "$${NEWSDESK_UPDATE_INTERVAL:-3600}"' in indexer["command"][-1]
    for service in (bot, indexer):
        assert service["volumes"][0] == "newsdesk-data:/data"
        assert service["environment"]["NEWSDESK_DATA"] == "/data"
        assert service["env_file"] == ".env"
        assert service["restart"] == "unless-stopped"
        assert service["image"] == "newsdesk:latest"
    assert bot["healthcheck"]["test"] == ["CMD", "newsdesk", "health", "--max-age", "60"]
    assert "newsdesk-data" in compose["volumes"]
    assert (ROOT / "config" / "sources.toml").exists()


def test_the_milvus_profile_runs_milvus_standalone_and_points_the_bot_and_the_indexer_at_it():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    milvus, etcd, minio = services["milvus"], services["etcd"], services["minio"]
    assert all(s["profiles"] == ["milvus"] for s in (milvus, etcd, minio))
    assert all("profiles" not in services[name] for name in ("bot", "indexer"))  # the default stays FAISS + FTS5
    assert milvus["image"].startswith("milvusdb/milvus:v2.5.") and milvus["command"] == ["milvus", "run", "standalone"]
    assert (milvus["environment"]["ETCD_ENDPOINTS"], milvus["environment"]["MINIO_ADDRESS"]) == ("etcd:2379", "minio:9000")
    assert milvus["depends_on"] == {"etcd": {"condition": "service_healthy"}, "minio": {"condition": "service_healthy"}}
    assert "9091/healthz" in " ".join(milvus["healthcheck"]["test"])
    for name in ("bot", "indexer"):
        service = services[name]
        assert service["environment"]["NEWSDESK_ENGINE"] == "${NEWSDESK_ENGINE:-faiss}"
        assert service["environment"]["NEWSDESK_MILVUS_URI"] == "${NEWSDESK_MILVUS_URI:-http://milvus:19530}"
        assert service["depends_on"] == {"milvus": {"condition": "service_healthy", "required": False}}
    assert {"milvus-etcd", "milvus-minio", "milvus-data"} <= compose["volumes"].keys()


def test_secrets_come_from_an_ignored_env_file_with_a_committed_example():
    example = (ROOT / ".env.example").read_text()
    names = set(re.findall(r"^([A-Z_]+)=", example, flags=re.M))
    assert {"TELEGRAM_BOT_TOKEN", "NEWSDESK_ALLOWED_USERS", "NEWSDESK_ALLOWED_CHATS", "NEWSDESK_PUBLIC",
            "NEWSDESK_UPDATE_INTERVAL"} <= names
    assert ".env" in (ROOT / ".gitignore").read_text().splitlines()


def test_dockerfile_builds_with_cpu_torch_and_the_packaged_model():
    commands = dockerfile.parse_file(str(ROOT / "Dockerfile"))
    assert commands[0].cmd == "FROM" and commands[0].value == ("python:3.11-slim",)
    runs = [" ".join(c.value) for c in commands if c.cmd == "RUN"]
    assert 'pip install --no-cache-dir --index-url "${TORCH_INDEX_URL}" torch==2.13.0' in runs[0]
    assert any("TORCH_INDEX_URL=" in c.value[0] and c.value[0].endswith("/whl/cpu") for c in commands if c.cmd == "ARG")
    assert 'pip install --no-cache-dir ".[${NEWSDESK_EXTRAS}]"' in runs[1] and ".dimension == 384" in runs[1]  # offline
    assert ("NEWSDESK_EXTRAS=engines",) in [c.value for c in commands if c.cmd == "ARG"]  # pymilvus and Ray inside
    env = dict(zip(*[iter(next(c.value for c in commands if c.cmd == "ENV"))] * 2))
    assert (env["HF_HUB_OFFLINE"], env["NEWSDESK_DATA"]) == ("1", "/data")
    # the default model is built into the image, outside the data volume, and the bot's user may add to it
    assert env["NEWSDESK_MODEL_CACHE"] == "/opt/newsdesk" and runs[1].endswith("&& newsdesk index model")
    assert "chown -R newsdesk /opt/newsdesk" in runs[2]
    for copy in (c for c in commands if c.cmd == "COPY"):
        for source in copy.value[:-1]:
            assert (ROOT / source).exists(), f"COPY {source}: not in the repository"
    assert [c.value for c in commands if c.cmd == "CMD"] == [("newsdesk", "bot")]
    assert [c.value for c in commands if c.cmd == "USER"] == [("newsdesk",)]


def test_the_readme_documents_a_crontab_line_for_hosts_without_docker():
    readme = (ROOT / "README.md").read_text()
    line = next(l for l in readme.splitlines() if "newsdesk index update" in l and re.match(r"[\d*]", l))
    fields = line.split(None, 5)
    assert len(fields) == 6 and all(re.fullmatch(r"[\d*/,-]+", f) for f in fields[:5])


def test_the_wheel_the_image_installs_has_every_package_and_the_bots_catalogues(tmp_path):
    # The Dockerfile installs Newsdesk with `pip install .`: a subpackage or data file the wheel
    # leaves out works in the editable checkout and fails only in the image.
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(tmp_path), str(ROOT)], check=True, capture_output=True, timeout=300)
    import zipfile

    (wheel,) = tmp_path.glob("newsdesk-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    packages = {str(p.parent.relative_to(ROOT)) for top in ("index", "retrieval", "bot")
                for p in (ROOT / top).rglob("__init__.py")}
    assert {f"{p}/__init__.py" for p in packages} <= names
    assert "bot/handlers/asking.py" in names
    catalogues = {str(p.relative_to(ROOT)) for p in (ROOT / "bot" / "locales").rglob("*.po*")}
    assert catalogues == {"bot/locales/newsdesk.pot", "bot/locales/uk/LC_MESSAGES/newsdesk.po",
                          "bot/locales/ru/LC_MESSAGES/newsdesk.po"}
    assert catalogues <= names
