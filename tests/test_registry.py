"""The registry: every era's schemas side by side, found installed or in a checkout, ready to validate."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import jsonschema
import msgspec
import pytest

from tests.conftest import GOLDEN, ROOT, load_json
from xformat import registry, schema
from xformat.errors import UsageError
from xformat.models.base import CURRENT_ERA, ERAS
from xformat.registry import SOURCE_SCHEMAS, SchemaRegistry


def test_lists_every_schema_of_every_era() -> None:
    infos = registry.list_schemas()
    assert {(i.name, i.version) for i in infos} == {(n, e) for n in schema.SCHEMAS for e in ERAS}
    assert len({i.id for i in infos}) == len(infos)
    post = next(i for i in infos if (i.name, i.version) == ("native-post", "2017"))
    assert post.id == "urn:xformat:schema:2017:native-post" and post.title == "Enriched Native post (2017 era)"


def test_get_defaults_to_the_current_era() -> None:
    assert registry.get_schema("activity")["$id"] == f"urn:xformat:schema:{CURRENT_ERA}:activity"
    assert registry.get_schema("activity", "2012")["$id"] == "urn:xformat:schema:2012:activity"


@pytest.mark.parametrize(
    ("name", "version", "message"),
    [
        ("tweet", CURRENT_ERA, "no schema named 'tweet': expected one of activity, activity-compliance, activity-de"),
        ("activity", "2016", "no version '2016' of activity: expected one of 2012, 2017, 2022"),
    ],
)
def test_unknown_names_and_versions_are_usage_errors(name: str, version: str, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        registry.get_schema(name, version)


def test_validators_are_built_once_and_resolve_refs_across_files() -> None:
    assert registry.validator_for("activity-delete") is registry.validator_for("activity-delete")
    deletion = load_json(GOLDEN / "deletion_notice" / "activity.json")
    assert registry.validator_for("activity-delete").is_valid(deletion)
    deletion["provider"]["objectType"] = "person"  # Provider is defined in activity.json
    errors = list(registry.validator_for("activity-delete").iter_errors(deletion))
    assert [(e.json_path, e.message) for e in errors] == [
        ("$.provider.objectType", "'person' is not one of ['service']")
    ]


def test_an_integer_written_as_a_float_is_not_an_integer() -> None:
    # The models decode 2.0 as a float and reject it for an int field; so do xformat's validators.
    # Plain Draft 2020-12 cannot tell 2.0 from 2: the published files alone accept it.
    record = load_json(GOLDEN / "plain_post" / "native.json")
    record["retweet_count"] = 2.0
    assert not registry.validator_for("native-post").is_valid(record)
    plain = jsonschema.Draft202012Validator(
        registry.get_schema("native-post"), registry=registry.default_registry().registry
    )
    assert plain.is_valid(record)
    record["id"] = 2.0  # a float id is fine: JavaScript tooling mangles them
    record["retweet_count"] = 2
    assert registry.validator_for("native-post").is_valid(record)


def test_a_registry_reads_any_directory_of_schemas(tmp_path: Path) -> None:
    shutil.copytree(SOURCE_SCHEMAS / "2012", tmp_path / "2012")
    (tmp_path / "README.md").write_text("not a schema directory")
    (tmp_path / "2012" / "notes.txt").write_text("not a schema")
    own = SchemaRegistry.from_directory(tmp_path)
    assert {i.version for i in own.list()} == {"2012"}
    assert own.validator("native-post", "2012").is_valid(load_json(GOLDEN / "plain_post" / "native.json"))
    with pytest.raises(UsageError, match="no version '2022'"):
        own.get("native-post")


def test_an_empty_directory_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no schemas in"):
        SchemaRegistry.from_directory(tmp_path)


def test_a_source_checkout_serves_its_schemas_directory() -> None:
    assert Path(str(registry.schema_dir())) == ROOT / "schemas"


@pytest.mark.slow
def test_an_installed_wheel_carries_and_serves_the_schemas(tmp_path: Path) -> None:
    # Built offline (hatchling is a test dependency), installed without its dependencies into a
    # fresh venv that borrows this environment's site-packages for them through a .pth file (whose
    # entries come after the venv's own, and whose own .pth files, such as an editable install of
    # xformat, are not read): the wheel's xformat, and only it, is what runs.
    wheels = tmp_path / "wheels"
    build = [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "-w", str(wheels)]
    subprocess.run([*build, str(ROOT)], check=True, capture_output=True, timeout=120)
    (wheel,) = wheels.glob("xformat-*.whl")
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    site = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    install = [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps", str(wheel)]
    subprocess.run(install, check=True, capture_output=True, timeout=120)
    Path(site, "deps.pth").write_text(str(Path(msgspec.__file__).parent.parent) + "\n")

    clean_env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    probe = """
import json, sys, xformat
from xformat import registry
print(json.dumps({"file": xformat.__file__, "dir": str(registry.schema_dir()), "count": len(registry.list_schemas()),
                  "valid": registry.validator_for("native-post").is_valid(json.load(open(sys.argv[1])))}))
"""
    run = subprocess.run(
        [python, "-c", probe, str(GOLDEN / "plain_post" / "native.json")],
        check=True, capture_output=True, text=True, cwd=tmp_path, env=clean_env,
    )  # fmt: skip
    found = json.loads(run.stdout)
    assert found["file"].startswith(site) and found["dir"] == str(Path(site, "xformat", "schemas"))
    assert found["count"] == len(ERAS) * len(schema.SCHEMAS) and found["valid"] is True
    assert Path(found["dir"], CURRENT_ERA, "bundled", "native-post.json").is_file()  # for other tools
    assert Path(site, "xformat", "py.typed").is_file()  # type checkers read the package's annotations

    script = env_dir / "bin" / "xformat"
    check = subprocess.run([script, "schema", "check"], capture_output=True, text=True, cwd=tmp_path, env=clean_env)
    assert check.returncode == 0, check.stderr
    bad = tmp_path / "bad.ndjson"
    bad.write_text('{"id_str": 5}\n')
    result = subprocess.run([script, "validate", str(bad)], capture_output=True, text=True, cwd=tmp_path, env=clean_env)
    assert result.returncode == 1 and f"{bad}:1: $.id_str: expected a string, got an integer" in result.stdout
    assert "Traceback" not in result.stderr


def test_bundled_schemas_are_built_from_the_registrys_own_files(tmp_path: Path) -> None:
    shutil.copytree(SOURCE_SCHEMAS / "2017", tmp_path / "2017", ignore=shutil.ignore_patterns("bundled"))
    own = SchemaRegistry.from_directory(tmp_path)
    bundled = own.bundled("native-delete", "2017")
    assert bundled == load_json(SOURCE_SCHEMAS / "2017" / "bundled" / "native-delete.json")
    with pytest.raises(UsageError, match="no version '2022' of native-delete"):
        own.bundled("native-delete")
    with pytest.raises(UsageError, match="common holds shared definitions, not a record kind"):
        own.bundled("common", "2017")
