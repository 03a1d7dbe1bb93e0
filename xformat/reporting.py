"""How results are told: text for people, JSON for tools, annotations for GitHub Actions.

>>> from xformat.reporting import reporter
>>> out = reporter("github")
>>> for result in validate_records(records):
...     for issue in result.errors:
...         print(out.issue(result, issue))
>>> print(out.validation(summary), file=sys.stderr)
>>> print(out.conversion(run_summary, shown_rejects=10), file=sys.stderr)

A reporter is chosen by name (``REPORTERS``); the command line, the Dask integration and any
other front end use the same ones, so a run is told the same way wherever it ran.
"""

from __future__ import annotations

from typing import Any

from xformat import summary as conversion
from xformat import validate
from xformat.errors import UsageError
from xformat.records import STDIN, shown_name
from xformat.wording import count

__all__ = ["REPORTERS", "GitHubReporter", "JsonReporter", "TextReporter", "reporter"]

SHOWN_CODES = 12
"""Losses and unknown fields a text summary lists; the JSON summary has them all."""


class TextReporter:
    """Lines for people: ``file:line: $.path: reason``, and summaries in sentences."""

    name = "text"

    def issue(self, result: validate.Result, issue: validate.Issue) -> str:
        """One line for one issue of an invalid record."""
        return f"{result.where}: {issue.path}: {issue.reason}"

    def validation(self, summary: validate.Summary, *, stopped: bool = False) -> str:
        """The closing line of a validation run (``stopped``: at ``--max-errors``)."""
        status = f"stopped at invalid record {summary.invalid:,}: " if stopped else ""
        counts = summary.kinds
        kinds = f"{count(counts['post'], 'post')}, {count(counts['delete'], 'deletion')}, "
        # Kinds most archives do not hold are named when there are some.
        if counts["compliance"]:
            kinds += count(counts["compliance"], "compliance event") + ", "
        kinds += count(counts["info"], "info line")
        if counts["warn"] + counts["error"]:
            kinds += ", " + count(counts["warn"] + counts["error"], "system message")
        if counts["page"] + counts["stream-line"]:
            kinds += ", " + count(counts["page"] + counts["stream-line"], "X API v2 page")
        others = counts["errors"] + counts["compliance-job"] + counts["compliance-result"]
        if others:
            kinds += ", " + count(others, "X API v2 non-post record")
        return (
            f"xformat validate: {status}{count(summary.records, 'record')}: {summary.valid:,} valid ({kinds}), "
            f"{summary.invalid:,} invalid, " + count(summary.keep_alives, "keep-alive")
        )

    def conversion(
        self, summary: conversion.Summary, *, shown_rejects: int = 0, summary_json: str | None = None
    ) -> str:
        """What a conversion run did; ``shown_rejects`` is how many rejects were already shown,
        ``summary_json`` where the whole summary is written, if anywhere."""
        s = summary
        rate = f" ({s.read / s.seconds:,.0f}/s)" if s.seconds > 0 else ""
        # Kinds most archives do not hold are named when there are some.
        kinds = [count(s.converted, "post"), count(s.deletions, "deletion")]
        if s.events:
            kinds.append(count(s.events, "compliance event"))
        converted = ", ".join(kinds[:-1]) + f" and {kinds[-1]} converted"
        notes = [f"{s.unchanged:,} already in the target format, copied"] if s.unchanged else []
        if s.not_converted:
            notes.append(f"{s.not_converted:,} without a form in the target format, not written")
        if notes:
            converted += f" ({'; '.join(notes)})"
        parts = [converted]
        if s.pages:
            held = count(s.page_posts, "post")
            parts.append(f"{count(s.pages, 'page')} of X API v2 holding {held}, each post taken on its own")
        parts.append(count(s.info, "info line"))
        if s.system:
            parts.append(count(s.system, "system message"))
        if s.non_posts:
            parts.append(f"{count(s.non_posts, 'record')} of no post (errors only, compliance jobs), counted")
        if s.api_errors:
            parts.append(f"{count(s.api_errors, 'API error')} (errors entries) counted")
        parts += [count(s.keepalives, "keep-alive"), f"{s.rejected:,} rejected"]
        lines = [f"read {count(s.read, 'record')} in {s.seconds:.1f} s{rate}: " + ", ".join(parts)]
        if s.losses:
            lines.append("losses applied (records): " + _counts(s.losses, summary_json))
        if s.unknown_fields:
            lines.append("unknown fields dropped (records): " + _counts(s.unknown_fields, summary_json))
        if s.rejected and s.rejects_file:
            lines.append(f"rejects written to {shown_name(s.rejects_file)}")
        elif s.rejected > shown_rejects:
            lines.append(f"{s.rejected - shown_rejects:,} more rejects not shown: keep them all with --rejects PATH")
        if s.stopped_early:
            lines.append(f"stopped after {s.rejected:,} rejected records (--max-errors): no output written")
        elif s.outputs and s.outputs != [STDIN]:
            shown = ", ".join(shown_name(name) for name in s.outputs[:3])
            lines.append("wrote " + shown + (" …" if len(s.outputs) > 3 else ""))
        return "\n".join(lines) + "\n"


class JsonReporter(TextReporter):
    """One JSON object per issue (a JSON line), and summaries as JSON documents."""

    name = "json"

    def issue(self, result: validate.Result, issue: validate.Issue) -> str:
        fields: dict[str, Any] = {
            "file": result.source,
            "line": result.line,
            "item": result.item,
            "format": result.format,
            "kind": result.kind,
            "path": issue.path,
            "reason": issue.reason,
        }
        import json  # here: only reports in JSON need it (2 ms of every run's start-up)

        return json.dumps(fields, ensure_ascii=False)

    def conversion(
        self, summary: conversion.Summary, *, shown_rejects: int = 0, summary_json: str | None = None
    ) -> str:
        import json

        return json.dumps(summary.to_dict(), indent=2) + "\n"


class GitHubReporter(TextReporter):
    """GitHub Actions workflow commands: an ``::error`` annotation per issue, on its file and line.

    https://docs.github.com/actions/reference/workflow-commands-for-github-actions: data escapes
    %, CR and LF; property values also , and :. Standard input is no file to annotate.
    """

    name = "github"

    def issue(self, result: validate.Result, issue: validate.Issue) -> str:
        where = f"file={_property(result.source)},line={result.line}," if result.source != STDIN else ""
        item = f" (item {result.item})" if result.item is not None else ""
        message = f"{issue.path}: {issue.reason}{item}"
        return f"::error {where}title=xformat validate::{_data(message)}"


REPORTERS: dict[str, TextReporter] = {r.name: r for r in (TextReporter(), JsonReporter(), GitHubReporter())}


def reporter(name: str) -> TextReporter:
    """The reporter called ``name`` (``text``, ``json``, ``github``)."""
    found = REPORTERS.get(name) if isinstance(name, str) else None
    if found is None:
        raise UsageError(f"unknown output {name!r}: expected one of {', '.join(REPORTERS)}")
    return found


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def _counts(counter: Any, summary_json: str | None) -> str:
    """The commonest codes of ``counter`` with their counts; the rest said where they are to be
    found. One more than are shown is shown too: naming it takes no more room than counting it."""
    limit = SHOWN_CODES if len(counter) > SHOWN_CODES + 1 else SHOWN_CODES + 1
    shown = ", ".join(f"{name} {n:,}" for name, n in counter.most_common(limit))
    more = len(counter) - limit
    if more <= 0:
        return shown
    where = f"in {shown_name(summary_json)}" if summary_json else "all of them with --summary-json PATH"
    return f"{shown} and {more:,} more ({where})"
