"""docker/: the production ini takes every secret from the environment and sets the security
options; the CKAN and Solr entrypoints refuse to start without real secrets."""
from __future__ import annotations

import base64
import configparser
import hashlib
import json
import os
import re
import string
import subprocess
from pathlib import Path

import pytest
import yaml

DOCKER = Path(__file__).resolve().parent.parent / "docker"
SECRET = "0123456789abcdef0123456789abcdef"
GOOD_ENVIRONMENT = {
    "CKAN_SITE_URL": "https://data.example.gov.cn",
    "CKAN_SECRET_KEY": SECRET,
    "CKAN_JWT_SECRET": SECRET[::-1],
    "CKAN_SQLALCHEMY_URL": f"postgresql://ckan:{SECRET}@db:5432/ckan",
    "CKAN_DATASTORE_WRITE_URL": f"postgresql://ckan:{SECRET}@db:5432/datastore",
    "CKAN_DATASTORE_READ_URL": f"postgresql://datastore_ro:{SECRET}@db:5432/datastore",
    "CKAN_SOLR_URL": "http://solr:8983/solr/ckan",
    "CKAN_SOLR_USER": "ckan",
    "CKAN_SOLR_PASSWORD": SECRET.upper(),
    "CKAN_REDIS_URL": "redis://redis:6379/0",
}
# Options whose value is a secret: each must be nothing but a reference to the environment.
SECRET_OPTIONS = (
    "SECRET_KEY", "WTF_CSRF_SECRET_KEY", "api_token.jwt.encode.secret", "api_token.jwt.decode.secret",
    "sqlalchemy.url", "ckan.datastore.write_url", "ckan.datastore.read_url", "ckanext.xloader.jobs_db.uri",
    "solr_user", "solr_password",
)
SECRET_VARIABLES = ("CKAN_SECRET_KEY", "CKAN_JWT_SECRET", "POSTGRES_PASSWORD", "DATASTORE_RO_PASSWORD",
                    "CKAN_SOLR_PASSWORD", "SOLR_ADMIN_PASSWORD")


def _template() -> str:
    return (DOCKER / "production.ini.tmpl").read_text(encoding="utf-8")


def _options(text: str) -> dict[str, str]:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string(text)
    return dict(parser["app:main"])


def _check(environment: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": os.environ["PATH"], **environment}
    return subprocess.run(["sh", str(DOCKER / "entrypoint.sh"), "check", *args], env=env,
                          capture_output=True, text=True, timeout=30, check=False)


def test_every_secret_option_is_only_a_reference_to_the_environment():
    options = _options(_template())

    for name in SECRET_OPTIONS:
        assert re.fullmatch(r"(string:)?\$\{[A-Z_]+\}|[a-z]+://[a-z_]+:\$\{[A-Z_]+\}@.*|\$\{CKAN_[A-Z_]+_URL\}",
                            options[name]), f"{name} = {options[name]}"


def test_the_security_options_are_set():
    options = _options(string.Template(_template()).substitute(GOOD_ENVIRONMENT))

    assert options["SESSION_COOKIE_SECURE"] == "true"
    assert options["SESSION_COOKIE_HTTPONLY"] == "true"
    assert options["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert options["REMEMBER_COOKIE_SECURE"] == "true"
    assert options["REMEMBER_COOKIE_HTTPONLY"] == "true"
    assert options["REMEMBER_COOKIE_SAMESITE"] == "Lax"
    assert options["WTF_CSRF_SSL_STRICT"] == "true"
    assert options["solr_user"] == "ckan" and options["solr_password"] == SECRET.upper()
    assert int(options["ckanext.govdata.max_request_size"]) >= max(
        int(options["ckan.max_resource_size"]), int(options["ckan.max_image_size"])
    )
    assert "ckanext.govdata.content_security_policy" not in options, "the declared policy is the one tested"
    assert options["ckan.plugins"].split()[0] == "govdata"


def test_the_rendered_ini_loads_in_ckan(tmp_path):
    from ckan.cli import CKANConfigLoader

    rendered = tmp_path / "production.ini"
    rendered.write_text(string.Template(_template()).substitute(GOOD_ENVIRONMENT), encoding="utf-8")

    config = CKANConfigLoader(str(rendered)).get_config()

    assert config["SECRET_KEY"] == SECRET and config["solr_password"] == SECRET.upper()
    assert config["debug"] == "false"


def test_the_entrypoint_starts_with_a_complete_environment():
    result = _check(GOOD_ENVIRONMENT)

    assert result.returncode == 0, result.stderr
    assert "environment complete" in result.stdout


@pytest.mark.parametrize("name", sorted(set(re.findall(r"\$\{([A-Z_]+)\}", _template()))))
def test_the_entrypoint_refuses_to_start_without_each_setting_the_ini_reads(name):
    environment = {key: value for key, value in GOOD_ENVIRONMENT.items() if key != name}

    result = _check(environment)

    assert result.returncode == 1
    assert f"{name} is not set" in result.stderr


def test_the_entrypoint_refuses_the_example_values_naming_each():
    example = dict(
        line.split("=", 1) for line in (DOCKER / "env.example").read_text().splitlines()
        if line and not line.startswith("#")
    )
    environment = {**GOOD_ENVIRONMENT, **{key: value for key, value in example.items() if key in GOOD_ENVIRONMENT}}
    environment["CKAN_SQLALCHEMY_URL"] = f"postgresql://ckan:{example['POSTGRES_PASSWORD']}@db:5432/ckan"

    result = _check(environment)

    assert result.returncode == 1
    for name in ("CKAN_SECRET_KEY", "CKAN_JWT_SECRET", "CKAN_SOLR_PASSWORD", "CKAN_SQLALCHEMY_URL"):
        assert f"{name} still has its example value" in result.stderr


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("CKAN_SECRET_KEY", "short", "shorter than 32 characters"),
        ("CKAN_SQLALCHEMY_URL", "postgresql://ckan:@db:5432/ckan", "has no password"),
        ("CKAN_DATASTORE_READ_URL", "postgresql://datastore_ro@db:5432/datastore", "has no password"),
        ("CKAN_SITE_URL", "http://data.example.gov.cn", "must start with https://"),
        ("CKAN_JWT_SECRET", SECRET + "%", "a line break or %"),
        ("CKAN_SOLR_PASSWORD", SECRET + "\nsolr_user = admin", "a line break or %"),
    ],
)
def test_the_entrypoint_refuses_weak_or_unsafe_values(name, value, message):
    result = _check({**GOOD_ENVIRONMENT, name: value})

    assert result.returncode == 1
    assert name in result.stderr and message in result.stderr


def test_the_entrypoint_warns_when_uploads_cannot_reach_the_datastore():
    without = _check(GOOD_ENVIRONMENT)
    with_token = _check({**GOOD_ENVIRONMENT, "CKAN_XLOADER_API_TOKEN": "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.x.y"})

    assert without.returncode == 0 and "CKAN_XLOADER_API_TOKEN is not set" in without.stderr
    assert with_token.returncode == 0 and "CKAN_XLOADER_API_TOKEN" not in with_token.stderr


def test_the_example_environment_holds_no_secret():
    example = dict(
        line.split("=", 1) for line in (DOCKER / "env.example").read_text().splitlines()
        if line and not line.startswith("#")
    )

    assert {example[name] for name in SECRET_VARIABLES} == {"change-me"}


def test_compose_gives_no_secret_a_default_and_keeps_ckan_and_solr_off_the_network():
    text = (DOCKER / "compose.yaml").read_text()
    compose = yaml.safe_load(text)

    interpolated = re.findall(r"\$\{([A-Z_]+)([^}]*)\}", text)
    assert {name for name, _rest in interpolated} >= {"POSTGRES_PASSWORD", "DATASTORE_RO_PASSWORD", "SOLR_ADMIN_PASSWORD"}
    for name, rest in interpolated:
        assert name not in SECRET_VARIABLES or rest.startswith(":?"), f"{name} may be empty: ${{{name}{rest}}}"
    assert compose["x-ckan"]["env_file"] == ".env", "the CKAN secrets come from docker/.env"
    assert compose["services"]["ckan"]["ports"] == ["127.0.0.1:5000:5000"]
    assert "ports" not in compose["services"]["solr"]
    assert compose["services"]["solr"]["entrypoint"] == ["/opt/govdata/solr-entrypoint.sh"]


def _solr_start(tmp_path: Path, environment: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """solr-entrypoint.sh with the image's own start commands replaced by stand-ins."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    for command in ("init-var-solr", "solr-precreate"):
        (bin_dir / command).write_text('#!/bin/sh\necho "$0 $*"\n')
        (bin_dir / command).chmod(0o755)
    env = {"PATH": f"{bin_dir}:{os.environ['PATH']}", "SOLR_HOME": str(tmp_path), **environment}
    return subprocess.run(["sh", str(DOCKER / "solr-entrypoint.sh"), "ckan", "/configset"], env=env,
                          capture_output=True, text=True, timeout=30, check=False)


def test_solr_starts_with_basic_auth_for_the_accounts_in_the_environment(tmp_path):
    admin_password, ckan_password = SECRET, SECRET.upper()

    result = _solr_start(tmp_path, {"SOLR_ADMIN_PASSWORD": admin_password, "CKAN_SOLR_USER": "ckan",
                                    "CKAN_SOLR_PASSWORD": ckan_password})

    assert result.returncode == 0, result.stderr
    assert "solr-precreate ckan /configset" in result.stdout
    text = (tmp_path / "security.json").read_text()
    security = json.loads(text)
    assert admin_password not in text and ckan_password not in text
    assert security["authentication"]["blockUnknown"] is True
    for user, password in (("admin", admin_password), ("ckan", ckan_password)):
        digest, salt = security["authentication"]["credentials"][user].split()
        expected = hashlib.sha256(hashlib.sha256(base64.b64decode(salt) + password.encode()).digest()).digest()
        assert base64.b64decode(digest) == expected
    permissions = security["authorization"]["permissions"]
    assert permissions[-1] == {"name": "all", "role": "admin"}
    assert [p["role"] for p in permissions if p["name"] == "security-edit"] == ["admin"]
    # CKAN's account: its core, the synonyms of that core and reloading it (search synonyms page).
    granted = {p["name"]: p for p in permissions if "ckan" in p["role"]}
    assert set(granted) == {"ckan-core", "ckan-synonyms", "ckan-reload", "ckan-system-info"}
    assert granted["ckan-reload"]["params"] == {"action": ["RELOAD", "STATUS"], "core": ["ckan"]}
    names = [p["name"] for p in permissions]
    assert names.index("ckan-synonyms") < names.index("schema-edit")
    assert names.index("ckan-reload") < names.index("core-admin-edit")


@pytest.mark.parametrize(
    "environment",
    [
        {"CKAN_SOLR_USER": "ckan", "CKAN_SOLR_PASSWORD": SECRET},
        {"SOLR_ADMIN_PASSWORD": "change-me", "CKAN_SOLR_USER": "ckan", "CKAN_SOLR_PASSWORD": SECRET},
        {"SOLR_ADMIN_PASSWORD": SECRET, "CKAN_SOLR_USER": "ckan", "CKAN_SOLR_PASSWORD": "short"},
        {"SOLR_ADMIN_PASSWORD": SECRET, "CKAN_SOLR_USER": 'x", "admin": "', "CKAN_SOLR_PASSWORD": SECRET},
    ],
)
def test_solr_refuses_to_start_without_real_secrets(tmp_path, environment):
    result = _solr_start(tmp_path, environment)

    assert result.returncode == 1 and "refusing to start" in result.stderr
    assert not (tmp_path / "security.json").exists()


def _cron_jobs() -> list[tuple[str, list[str]]]:
    """(schedule, ckan arguments) of each job of docker/crontab."""
    jobs = []
    for line in (DOCKER / "crontab").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#") or re.match(r"[A-Z_]+=", line):
            continue
        fields = line.split()
        schedule, user, command = fields[:5], fields[5], fields[6:]
        assert user == "root" and command[:4] == ["runuser", "-u", "ckan", "--"], line
        assert command[4:7] == ["ckan", "-c", "/etc/ckan/production.ini"], line
        assert command[-2:] == [">/proc/1/fd/1", "2>/proc/1/fd/2"], f"{line}: logs to the container's output"
        jobs.append((" ".join(schedule), command[7:-2]))
    return jobs


def test_the_scheduler_runs_the_crontab_with_cron_in_the_same_image():
    compose = yaml.safe_load((DOCKER / "compose.yaml").read_text())
    scheduler = compose["services"]["scheduler"]
    dockerfile = (DOCKER / "Dockerfile").read_text()

    assert scheduler["command"] == ["scheduler"] and scheduler["user"] == "root"
    assert scheduler["image"] == compose["services"]["worker"]["image"]
    assert "COPY docker/crontab /etc/cron.d/govdata" in dockerfile and " cron " in dockerfile
    assert "exec cron -f" in (DOCKER / "entrypoint.sh").read_text()


@pytest.mark.usefixtures("with_plugins")
def test_every_cron_job_is_a_real_ckan_command(cli):
    from ckan.cli.cli import ckan

    jobs = _cron_jobs()
    commands = {" ".join(arguments) for _schedule, arguments in jobs}

    assert {"govdata stats flush", "govdata search-index suggest", "govdata catalogue remind-overdue",
            "govdata-demands remind", "govdata-access remind", "govdata stats bulletin daily",
            "govdata stats bulletin weekly"} <= commands
    for _schedule, arguments in jobs:
        result = cli.invoke(ckan, [*arguments, "--help"])
        assert result.exit_code == 0 and "Usage:" in result.output, f"ckan {' '.join(arguments)}: {result.output}"
    assert cli.invoke(ckan, ["govdata", "stats", "no-such-job", "--help"]).exit_code != 0, "the check can fail"
