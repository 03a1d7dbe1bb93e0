"""Schema generation: deterministic, committed, self-describing, tolerant, era by era."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import msgspec
import pytest
from msgspec import inspect as mi

from tests.conftest import GOLDEN, load_json
from xformat import schema
from xformat.models import Activity, Post, common
from xformat.models.base import CURRENT_ERA, ERAS
from xformat.registry import SOURCE_SCHEMAS, default_registry, validator_for


def walk(node: Any) -> Iterator[dict[str, Any]]:
    """Every object inside a schema."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for item in node:
            yield from walk(item)


def test_generation_is_deterministic() -> None:
    first = {path: schema.dumps(s) for path, s in schema.generate_all().items()}
    second = {path: schema.dumps(s) for path, s in schema.generate_all().items()}
    assert first == second
    assert len(first) == len(ERAS) * (len(schema.SCHEMAS) + len(schema.record_kinds()))


def test_committed_schemas_match_the_models() -> None:
    assert schema.drift(SOURCE_SCHEMAS) == [], "run `xformat schema write`"


def test_drift_names_what_changed_and_write_repairs_it(tmp_path: Path) -> None:
    shutil.copytree(SOURCE_SCHEMAS, tmp_path, dirs_exist_ok=True)
    post = tmp_path / CURRENT_ERA / "native-post.json"
    changed = json.loads(post.read_text())
    changed["$defs"]["Post"]["properties"]["text"]["type"] = "integer"
    del changed["$defs"]["User"]
    post.write_text(json.dumps(changed))
    (tmp_path / "2012" / "feed-info.json").unlink()
    (tmp_path / "2017" / "extra.json").write_text("{}")
    (tmp_path / "2017" / "common.json").write_text(
        schema.dumps(json.loads((tmp_path / "2017" / "common.json").read_text()))[:-1]
    )

    assert schema.drift(tmp_path) == [
        "missing: 2012/feed-info.json",
        "not generated (stale): 2017/extra.json",
        "changed: 2017/common.json: formatting only",
        "changed: 2022/native-post.json: $.$defs.Post.properties.text.type, $.$defs.User",
    ]
    assert schema.write(tmp_path) == [
        "2012/feed-info.json", "2017/common.json", "2017/extra.json", "2022/native-post.json"
    ]  # fmt: skip
    assert schema.drift(tmp_path) == []


def test_every_ref_resolves_and_shared_objects_are_defined_once() -> None:
    registry = default_registry()
    common_names = {
        c.__name__ for c in vars(common).values() if isinstance(c, type) and c.__module__ == common.__name__
    }
    for era in ERAS:
        generated = schema.generate(era)
        defined = [name for s in generated.values() for name in s["$defs"]]
        assert len(defined) == len(set(defined)), f"a definition appears twice in {era}"
        assert set(generated["common"]["$defs"]) <= common_names
        for s in generated.values():
            resolver = registry.registry.resolver(base_uri=s["$id"])
            for node in walk(s):
                if isinstance(node.get("$ref"), str):
                    resolver.lookup(node["$ref"])  # raises if it does not resolve
        refs = {
            node["$ref"] for name in ("native-post", "activity") for node in walk(generated[name]) if "$ref" in node
        }
        assert f"urn:xformat:schema:{era}:common#/$defs/Entities" in refs


def test_schemas_describe_themselves() -> None:
    for era in ERAS:
        for name, s in schema.generate(era).items():
            assert s["$schema"] == "https://json-schema.org/draft/2020-12/schema"
            assert s["$id"] == f"urn:xformat:schema:{era}:{name}"
            assert s["title"].endswith(f"({era} era)") and ERAS[era] in s["description"]
    post = schema.generate()["native-post"]
    assert post["description"].startswith(Post.__doc__.split("\n")[0])  # type: ignore[union-attr]
    props = post["$defs"]["Post"]["properties"]
    assert props["id_str"]["pattern"] == "^[0-9]{1,20}(?!\\n)$"
    assert props["created_at"]["pattern"].startswith("^(Mon|Tue|")
    activity = schema.generate()["activity"]["$defs"]["Activity"]["properties"]
    assert activity["id"]["pattern"] == r"^tag:search\.(twitter|x)\.com,2005:[0-9]{1,20}(?!\n)$"
    assert "description" in activity["id"]


def test_published_schemas_tolerate_unknown_members() -> None:
    for s in schema.generate_all().values():
        assert not any(node.get("additionalProperties") is False for node in walk(s))
    record = load_json(GOLDEN / "plain_post" / "native.json")
    record["user"]["flavour"] = "salty"
    assert validator_for("native-post").is_valid(record)


def test_a_tag_is_required_only_where_it_picks_a_union_member_and_picks_it() -> None:
    activity = schema.generate()["activity"]
    assert activity["required"] == ["objectType"]
    assert "objectType" not in activity["$defs"]["Activity"]["required"]
    union = activity["$defs"]["Activity"]["properties"]["object"]
    assert union["required"] == ["objectType"] and union["properties"]["objectType"] == {"enum": ["note", "activity"]}
    assert [(m["if"]["properties"]["objectType"]["const"], m["then"]["$ref"]) for m in union["allOf"]] == [
        ("note", "#/$defs/Note"), ("activity", "#/$defs/Activity")
    ]  # fmt: skip
    quote = load_json(GOLDEN / "quote" / "activity.json")
    del quote["twitter_quoted_status"]["objectType"]  # the decode does not need it there either
    assert validator_for("activity").is_valid(quote)
    del quote["objectType"]
    assert not validator_for("activity").is_valid(quote)
    quote["objectType"] = "activity"
    quote["object"]["objectType"] = "person"
    errors = list(validator_for("activity").iter_errors(quote))
    assert [(e.json_path, e.message) for e in errors] == [
        ("$.object.objectType", "'person' is not one of ['note', 'activity']")
    ]


def _since_fields() -> list[tuple[str, str, str]]:
    """(struct, field, era) of every field annotated ``since(era, ...)``."""
    found = []
    for info in mi.multi_type_info([Post, Activity]):
        for struct in _structs(info, set()):
            for field in struct.fields:
                if isinstance(field.type, mi.Metadata) and field.type.extra_json_schema:
                    era = field.type.extra_json_schema.get("x-since")
                    if era:
                        found.append((struct.cls.__name__, field.encode_name, era))
    return sorted(set(found))


def _structs(info: mi.Type, seen: set[type]) -> Iterator[mi.StructType]:
    if isinstance(info, mi.StructType):
        if info.cls in seen:
            return
        seen.add(info.cls)
        yield info
        for field in info.fields:
            yield from _structs(field.type, seen)
    elif isinstance(info, mi.Metadata):
        yield from _structs(info.type, seen)
    elif isinstance(info, mi.UnionType):
        for t in info.types:
            yield from _structs(t, seen)
    elif isinstance(info, mi.ListType):
        yield from _structs(info.item_type, seen)


def test_each_era_forbids_the_fields_of_later_eras() -> None:
    since = _since_fields()
    assert ("Entities", "polls", "2017") in since and ("Post", "edit_history", "2022") in since
    for era in ERAS:
        defs = {name: d for s in schema.generate(era).values() for name, d in s["$defs"].items()}
        for struct, field, arrived in since:
            prop = defs[struct]["properties"][field]
            if arrived > era:
                assert prop["not"] == {} and prop["x-since"] == arrived, (era, struct, field)
            else:
                assert prop["x-since"] == arrived, (era, struct, field)


@pytest.mark.parametrize(
    ("case", "first_era"),
    [("edited_post", "2022"), ("long_post", "2017"), ("poll", "2017"), ("plain_post", "2012")],
)
def test_era_schemas_reject_records_with_later_fields(case: str, first_era: str) -> None:
    for fmt, name in (("native", "native-post"), ("activity", "activity")):
        path = GOLDEN / case / f"{fmt}.json"
        if case == "poll" and fmt == "activity":
            continue  # Activity Streams has no polls
        record = load_json(path)
        for era in ERAS:
            assert validator_for(name, era).is_valid(record) == (era >= first_era), (case, fmt, era)


def test_unused_definitions_are_left_out_of_earlier_eras() -> None:
    early = schema.generate("2012")
    assert "Poll" not in early["common"]["$defs"] and "EditHistory" not in early["common"]["$defs"]
    assert "ExtendedTweet" not in early["native-post"]["$defs"] and "LongObject" not in early["activity"]["$defs"]
    assert "Poll" in schema.generate("2017")["common"]["$defs"]


@pytest.mark.parametrize(("year", "era"), [("2006", "2012"), ("2012", "2012"), ("2016", "2012"), ("2017", "2017"),
                                           ("2021", "2017"), ("2022", "2022"), ("2031", "2022")])  # fmt: skip
def test_a_year_belongs_to_an_era(year: str, era: str) -> None:
    assert schema.era_of(year) == era


@pytest.mark.parametrize("bad", ["16", "latest", "20166"])
def test_a_year_must_be_a_year(bad: str) -> None:
    with pytest.raises(ValueError, match="not a year"):
        schema.era_of(bad)


def test_unknown_era_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown era '2016'"):
        schema.generate("2016")


def test_schema_files_are_what_msgspec_emits_plus_the_documented_changes() -> None:
    # Guard against the post-processing dropping anything else: per definition, the keys msgspec
    # gives are all kept except additionalProperties.
    _, components = msgspec.json.schema_components([Post], ref_template="#/$defs/{name}")
    published = schema.generate()["native-post"]["$defs"]["Post"]
    assert set(components["Post"]) - set(published) == {"additionalProperties"}
    assert list(components["Post"]["properties"]) == list(published["properties"])
