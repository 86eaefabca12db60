"""docker-compose.yml, checked as a reader would check it (no container engine runs here): two web
processes behind the load balancer, a worker, exactly one beat, migrations run once, PostgreSQL, Redis
and MinIO with its bucket created first, and every app process on the same database, broker and bucket.
Where docker is installed, `docker compose config` validates the file too."""

import os
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
SHARED = ("DATABASE_URL", "CELERY_BROKER_URL")
HEALTHY = {"condition": "service_healthy"}
COMPLETED = {"condition": "service_completed_successfully"}


@pytest.fixture(scope="module")
def services():
    return yaml.safe_load((REPO / "docker-compose.yml").read_text())["services"]


def app_services(services):
    """The services running bporeg's own image: they must all see the same state."""
    return {name: service for name, service in services.items() if service.get("image") == "bporeg:latest"}


def running(services, words):
    return [name for name, service in app_services(services).items() if words in str(service.get("command"))]


def shared_environment(service):
    env = service["environment"]
    return {key: value for key, value in env.items() if key in SHARED or key.startswith("AWS_")}


def test_the_stack_has_every_part(services):
    assert {"postgres", "redis", "minio", "createbucket", "worker", "beat", "migrate", "lb"} <= set(services)
    assert services["minio"]["image"].startswith("minio/minio")
    assert services["minio"]["command"] == "server /data --console-address :9001"
    assert "mc" in services["minio"]["healthcheck"]["test"]
    assert services["postgres"]["image"].startswith("postgres:")
    assert services["redis"]["image"].startswith("redis:")


def test_two_web_processes_behind_the_load_balancer(services):
    web = running(services, "gunicorn")
    assert sum(services[name].get("deploy", {}).get("replicas", 1) for name in web) == 2
    assert services["lb"]["ports"] == ["8000:80"]
    assert not any("ports" in services[name] for name in web), "only the load balancer publishes a port"
    nginx = (REPO / "ops" / "nginx.conf").read_text()
    assert sorted(re.findall(r"^\s*server (\S+):8000", nginx, re.MULTILINE)) == sorted(web)
    assert services["lb"]["depends_on"] == dict.fromkeys(web, HEALTHY)
    for name in web:
        # The load balancer waits for web processes that reach the database, the broker and the bucket.
        assert "/readyz" in " ".join(services[name]["healthcheck"]["test"])


def test_metrics_add_up_per_container_and_the_worker_serves_its_own(services):
    for name, service in app_services(services).items():
        assert service["environment"]["PROMETHEUS_MULTIPROC_DIR"] in service["tmpfs"], name
    worker = services["worker"]["environment"]
    assert worker["CELERY_METRICS_PORT"] == 9100
    assert "ports" not in services["worker"], "task metrics stay inside the compose network"


def test_every_app_process_shares_the_database_broker_and_bucket(services):
    apps = app_services(services)
    assert set(running(services, "gunicorn")) | {"worker", "beat", "migrate"} <= set(apps)
    environments = {name: shared_environment(service) for name, service in apps.items()}
    first = next(iter(environments.values()))
    assert set(first) >= {*SHARED, "AWS_STORAGE_BUCKET_NAME", "AWS_S3_ENDPOINT_URL", "AWS_ACCESS_KEY_ID"}
    assert all(env == first for env in environments.values()), environments
    assert urlsplit(first["DATABASE_URL"]).hostname == "postgres"
    assert urlsplit(first["CELERY_BROKER_URL"]).hostname == "redis"
    assert urlsplit(first["AWS_S3_ENDPOINT_URL"]).hostname == "minio"
    # The uploads are in the bucket: no app process keeps files on its own disk.
    assert not any("volumes" in service for service in apps.values())


def test_the_bucket_is_created_private_before_the_app_starts(services):
    bucket = app_services(services)["worker"]["environment"]["AWS_STORAGE_BUCKET_NAME"]
    create = services["createbucket"]
    assert create["image"].startswith("minio/mc")
    assert create["environment"]["BUCKET"] == bucket
    script = " ".join(create["command"])
    assert "mc mb --ignore-existing" in script
    assert "mc anonymous set none" in script
    assert create["depends_on"] == {"minio": HEALTHY}
    assert (
        create["environment"]["MINIO_ROOT_PASSWORD"]
        == services["minio"]["environment"]["MINIO_ROOT_PASSWORD"]
    )


def test_migrations_run_once_and_exactly_one_beat(services):
    assert running(services, "manage.py migrate") == ["migrate"]
    assert services["migrate"]["restart"] == "no"
    assert running(services, "beat") == ["beat"]
    assert "-B" not in services["worker"]["command"].split()
    assert "deploy" not in services["beat"]


def test_app_processes_wait_for_the_database_broker_bucket_and_migrations(services):
    for name in [*running(services, "gunicorn"), "worker", "beat"]:
        assert services[name]["depends_on"] == {
            "postgres": HEALTHY,
            "redis": HEALTHY,
            "createbucket": COMPLETED,
            "migrate": COMPLETED,
        }, name


def docker_compose_missing():
    if not shutil.which("docker"):
        return "docker is not installed: the file is checked by reading only"
    version = subprocess.run(["docker", "compose", "version"], capture_output=True, check=False)
    return "docker has no compose plugin: the file is checked by reading only" if version.returncode else ""


def test_docker_compose_accepts_the_file():
    if missing := docker_compose_missing():
        pytest.skip(missing)
    env = {**os.environ, "SECRET_KEY": "compose-config-check"}
    checked = subprocess.run(
        ["docker", "compose", "config", "-q"], cwd=REPO, env=env, capture_output=True, text=True, check=False
    )
    assert checked.returncode == 0, checked.stderr
