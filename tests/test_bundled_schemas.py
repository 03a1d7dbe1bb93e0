"""Bundled schemas: self-contained, so that other JSON Schema tools give xformat's verdicts.

The schema files ``$ref`` each other by URN, which no other tool can fetch. Each record kind's
bundled schema carries every definition it needs; these tests hand them to jsonschema without a
registry, to jsonschema-rs and to the check-jsonschema command, on the golden records and on
records broken in ways each tool must notice.
"""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import jsonschema_rs
import pytest
from click.testing import CliRunner

from tests.conftest import GOLDEN, golden_cases, load_json
from tests.test_schema import walk
from xformat import registry, schema
from xformat.cli import main
from xformat.decoding import decode
from xformat.models.base import CURRENT_ERA, ERAS
from xformat.registry import SOURCE_SCHEMAS

KINDS = {"native-post": ("native", "post"), "activity": ("activity", "post")}
REGISTRY = registry.default_registry().registry
CHECK_JSONSCHEMA = Path(sys.executable).parent / "check-jsonschema"


def bundled_file(name: str, era: str = CURRENT_ERA) -> Path:
    return SOURCE_SCHEMAS / era / "bundled" / f"{name}.json"


def golden_records(fmt: str) -> list[tuple[str, dict[str, Any]]]:
    """(case, record) of every golden post of ``fmt`` (deletion and compliance cases hold none)."""
    out = []
    for case in golden_cases():
        path = case / f"{fmt}.json"
        if path.exists() and decode(path.read_bytes()).kind == "post":
            out.append((case.name, load_json(path)))
    return out


Path_ = list[str | int]
DROP = object()
"""In place of a value: the member is removed."""

# (schema, golden case, where, new value): each reaches a definition another file held.
BROKEN: list[tuple[str, str, Path_, Any]] = [
    ("native-post", "plain_post", ["id_str"], "12a"),
    ("native-post", "plain_post", ["id_str"], "1404786881983418163\n"),
    ("native-post", "plain_post", ["user"], DROP),
    ("native-post", "plain_post", ["created_at"], "2021-06-15 13:04:27"),
    ("native-post", "hashtag_cashtag", ["entities", "hashtags", 0, "indices"], "0,5"),
    ("native-post", "retweet", ["retweeted_status", "user", "id_str"], 5),
    ("native-post", "long_post", ["extended_tweet", "full_text"], 5),
    ("activity", "plain_post", ["actor", "id"], "id:twitter.com:abc"),
    ("activity", "retweet", ["object", "objectType"], "person"),
    ("activity", "quote", ["twitter_quoted_status", "actor", "followersCount"], "many"),
    ("activity", "hashtag_cashtag", ["twitter_entities", "symbols", 0, "text"], 7),
]


def broken(name: str, case: str, path: Path_, value: Any) -> dict[str, Any]:
    record = load_json(GOLDEN / case / f"{KINDS[name][0]}.json")
    node: Any = record
    for step in path[:-1]:
        node = node[step]
    if value is DROP:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return record


def error_path(path: Path_, value: Any) -> Path_:
    """Where a validator reports the change: a missing member at the object that lacks it."""
    return path[:-1] if value is DROP else path


def json_path(path: Path_) -> str:
    return "$" + "".join(f"[{step}]" if isinstance(step, int) else f".{step}" for step in path)


def test_every_record_kind_of_every_era_has_a_committed_bundled_schema() -> None:
    expected = {f"{era}/bundled/{name}.json" for era in ERAS for name in schema.record_kinds()}
    assert {p for p in schema.generate_all() if "/bundled/" in p} == expected
    assert "common" not in schema.record_kinds() and "native-post" in schema.record_kinds()
    for path in expected:
        assert (SOURCE_SCHEMAS / path).is_file(), path


@pytest.mark.parametrize("era", ERAS)
@pytest.mark.parametrize("name", schema.record_kinds())
def test_a_bundled_schema_is_self_contained_and_holds_only_what_it_uses(name: str, era: str) -> None:
    bundled = load_json(bundled_file(name, era))
    refs = [node["$ref"] for node in walk(bundled) if "$ref" in node]
    assert refs and all(ref.startswith("#/$defs/") for ref in refs), name
    used = {ref.removeprefix("#/$defs/") for ref in refs}
    assert used == set(bundled["$defs"]), "a definition is missing or unused"
    original = registry.get_schema(name, era)
    assert bundled["$id"] == original["$id"] + ":bundled"
    assert bundled["$ref"] == original["$ref"] and bundled.get("required") == original.get("required")
    # Each definition is the original one, only its refs made local.
    by_name = {d: s for s in schema.generate(era).values() for d, s in s["$defs"].items()}
    for def_name, definition in bundled["$defs"].items():
        localised = json.dumps(by_name[def_name]).replace(f"urn:xformat:schema:{era}:common#", "#")
        for other in schema.record_kinds():
            localised = localised.replace(f"urn:xformat:schema:{era}:{other}#", "#")
        assert json.loads(localised) == definition, def_name


@pytest.mark.parametrize("era", ERAS)
@pytest.mark.parametrize("name", list(KINDS))
def test_jsonschema_without_a_registry_gives_the_registrys_verdicts(name: str, era: str) -> None:
    bundled = jsonschema.Draft202012Validator(load_json(bundled_file(name, era)))  # no registry: nothing to fetch
    linked = jsonschema.Draft202012Validator(registry.get_schema(name, era), registry=REGISTRY)
    records = [record for _, record in golden_records(KINDS[name][0])]
    records += [broken(*case) for case in BROKEN if case[0] == name]
    verdicts = []
    for record in records:
        got = sorted((e.json_path, e.message) for e in bundled.iter_errors(record))
        assert got == sorted((e.json_path, e.message) for e in linked.iter_errors(record))
        verdicts.append(not got)
    assert True in verdicts and False in verdicts  # both verdicts were given in every era


@pytest.mark.parametrize("name", list(KINDS))
def test_jsonschema_rs_accepts_golden_records_with_the_bundled_schema(name: str) -> None:
    validator = jsonschema_rs.validator_for(load_json(bundled_file(name)))
    for case, record in golden_records(KINDS[name][0]):
        assert validator.is_valid(record), (case, [e.message for e in validator.iter_errors(record)])


@pytest.mark.parametrize(("name", "case", "path", "value"), BROKEN, ids=[f"{b[0]}:{json_path(b[2])}" for b in BROKEN])
def test_jsonschema_rs_rejects_broken_records_where_they_are_broken(
    name: str, case: str, path: Path_, value: Any
) -> None:
    validator = jsonschema_rs.validator_for(load_json(bundled_file(name)))
    record = broken(name, case, path, value)
    assert not validator.is_valid(record)
    assert error_path(path, value) in [list(e.instance_path) for e in validator.iter_errors(record)]


def test_jsonschema_rs_applies_the_era_of_the_bundled_schema() -> None:
    edited = load_json(GOLDEN / "edited_post" / "native.json")
    assert jsonschema_rs.validator_for(load_json(bundled_file("native-post", "2022"))).is_valid(edited)
    assert not jsonschema_rs.validator_for(load_json(bundled_file("native-post", "2012"))).is_valid(edited)


def _check_jsonschema(schema_file: Path, *instances: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(CHECK_JSONSCHEMA), "--schemafile", str(schema_file), *map(str, instances)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_check_jsonschema_validates_golden_records_with_the_bundled_schema() -> None:
    for name, (fmt, _) in KINDS.items():
        files = [GOLDEN / case / f"{fmt}.json" for case, _ in golden_records(fmt)]
        run = _check_jsonschema(bundled_file(name), *files)
        assert run.returncode == 0, run.stdout + run.stderr
    # What the published files alone cannot do, and why the bundle exists:
    run = _check_jsonschema(SOURCE_SCHEMAS / CURRENT_ERA / "native-post.json", GOLDEN / "plain_post" / "native.json")
    assert run.returncode != 0 and "Unresolvable: urn:xformat:schema:" in run.stdout + run.stderr


def test_check_jsonschema_rejects_broken_records_naming_each(tmp_path: Path) -> None:
    for name in KINDS:
        cases = [case for case in BROKEN if case[0] == name]
        files = []
        for i, case in enumerate(cases):
            files.append(tmp_path / f"{name}-{i}.json")
            files[-1].write_text(json.dumps(broken(*case)), encoding="utf-8")
        run = _check_jsonschema(bundled_file(name), *files)
        assert run.returncode == 1, run.stderr
        for file, (_, _, path, value) in zip(files, cases, strict=True):
            where = json_path(error_path(path, value))
            assert f"{file}::{where}:" in run.stdout, (file, where, run.stdout)


def test_check_jsonschema_applies_the_era_of_the_bundled_schema() -> None:
    edited = GOLDEN / "edited_post" / "activity.json"
    assert _check_jsonschema(bundled_file("activity", "2022"), edited).returncode == 0
    old = _check_jsonschema(bundled_file("activity", "2012"), edited)
    assert old.returncode == 1 and "::$.edit_history:" in old.stdout


def xformat(*args: str) -> Any:
    return CliRunner().invoke(main, list(args))


@pytest.mark.parametrize("era", ERAS)
def test_schema_show_bundle_prints_the_committed_bundled_file(era: str) -> None:
    shown = xformat("schema", "show", "activity-delete", "--bundle", "--version", era)
    assert shown.exit_code == 0
    assert shown.stdout == bundled_file("activity-delete", era).read_text(encoding="utf-8")


def test_schema_show_bundle_of_common_is_a_usage_error() -> None:
    result = xformat("schema", "show", "common", "--bundle")
    assert result.exit_code == 2
    assert result.stderr == "xformat schema: common holds shared definitions, not a record kind: nothing to bundle\n"


def test_drift_covers_the_bundled_files_and_write_repairs_them(tmp_path: Path) -> None:
    shutil.copytree(SOURCE_SCHEMAS, tmp_path, dirs_exist_ok=True)
    post = tmp_path / "2017" / "bundled" / "native-post.json"
    changed = json.loads(post.read_text(encoding="utf-8"))
    del changed["$defs"]["Hashtag"]
    post.write_text(schema.dumps(changed), encoding="utf-8")
    (tmp_path / "2022" / "bundled" / "feed-info.json").unlink()
    (tmp_path / "2012" / "bundled" / "tweet.json").write_text("{}", encoding="utf-8")
    assert schema.drift(tmp_path) == [
        "missing: 2022/bundled/feed-info.json",
        "not generated (stale): 2012/bundled/tweet.json",
        "changed: 2017/bundled/native-post.json: $.$defs.Hashtag",
    ]
    assert schema.write(tmp_path) == [
        "2012/bundled/tweet.json", "2017/bundled/native-post.json", "2022/bundled/feed-info.json"
    ]  # fmt: skip
    assert schema.drift(tmp_path) == []


def test_bundling_refuses_what_it_cannot_make_self_contained() -> None:
    era = schema.generate("2022")
    dangling = copy.deepcopy(era)
    dangling["native-delete"]["$defs"]["DeleteNotice"]["properties"]["delete"]["$ref"] = "#/$defs/Nowhere"
    with pytest.raises(ValueError, match="'#/\\$defs/Nowhere' is not a definition of its era"):
        schema.bundle(dangling, "native-delete")
    elsewhere = copy.deepcopy(era)
    elsewhere["native-delete"]["$defs"]["DeleteNotice"]["properties"]["delete"]["$ref"] = (
        "urn:xformat:schema:2017:common#/$defs/Point"
    )
    with pytest.raises(ValueError, match="'urn:xformat:schema:2017:common#/\\$defs/Point' is not a definition"):
        schema.bundle(elsewhere, "native-delete")
    twice = copy.deepcopy(era)
    twice["native-delete"]["$defs"]["Provider"] = {"type": "object"}  # activity.json defines another Provider
    twice["native-delete"]["$defs"]["DeleteNotice"]["properties"]["extra"] = {"$ref": "#/$defs/Provider"}
    twice["native-delete"]["$defs"]["DeleteNotice"]["properties"]["other"] = {
        "$ref": "urn:xformat:schema:2022:activity#/$defs/Provider"
    }
    with pytest.raises(ValueError, match="two definitions named Provider"):
        schema.bundle(twice, "native-delete")
