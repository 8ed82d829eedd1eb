"""The ``corneum`` command line: thin over the knowledge base and the assessment engine.

Bad input exits with code 2 and one line on stderr naming the field and what is allowed;
nothing is written to stdout then.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from pydantic import ValidationError

from corneum import __version__
from corneum.assessment import Profile, assess, validate_profile
from corneum.cli import render
from corneum.cli.backup import backup_command, restore_command
from corneum.cli.db import db_app
from corneum.cli.serve import serve_command
from corneum.cli.user import user_app
from corneum.cli.worker import worker_command
from corneum.knowledge import (
    KnowledgeBase,
    KnowledgeBaseError,
    default_knowledge_base,
    load_knowledge_base,
)
from corneum.knowledge.load import default_data_dir
from corneum.knowledge.translations import load_translation, translation_languages

FORMATS = ("text", "json")
USAGE_ERROR = 2

app = typer.Typer(
    name="corneum",
    help="Corneum: skin cleansing and exfoliation care for clinics.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
kb_app = typer.Typer(help="The clinical knowledge base.", no_args_is_help=True)
app.add_typer(kb_app, name="kb")
app.add_typer(db_app, name="db")
app.add_typer(user_app, name="user")

FormatOption = Annotated[str, typer.Option("--format", "-f", help="text or json")]


def fail(message: str) -> NoReturn:
    """Report bad input on one line of stderr and exit with the usage-error code."""
    typer.echo(f"corneum: {message}", err=True)
    raise typer.Exit(USAGE_ERROR)


def check_format(value: str) -> str:
    if value not in FORMATS:
        fail(f"--format: unknown value {value!r}; allowed: {', '.join(FORMATS)}")
    return value


def knowledge() -> KnowledgeBase:
    try:
        return default_knowledge_base()
    except KnowledgeBaseError as exc:
        typer.echo(f"corneum: the knowledge base does not load: {exc}", err=True)
        raise typer.Exit(1) from exc


def emit_json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))


def version_callback(value: bool) -> None:
    if value:
        kb = knowledge()
        typer.echo(f"corneum {__version__} (knowledge base {kb.version}, sha256 {kb.sha256})")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=version_callback, is_eager=True, help="Show versions."),
    ] = False,
) -> None:
    """Corneum: skin cleansing and exfoliation care for clinics."""


@app.command("assess")
def assess_command(
    profile_path: Annotated[str, typer.Argument(metavar="PROFILE", help="Profile JSON, or -")],
    output: FormatOption = "text",
) -> None:
    """Screen a client profile against every procedure and recommend the suitable ones."""
    check_format(output)
    kb = knowledge()
    profile = read_profile(profile_path, kb)
    result = assess(profile, kb, assessed_on=date.today())
    if output == "json":
        emit_json(result.to_dict())
    else:
        render.assessment(result, kb)


def read_profile(path: str, kb: KnowledgeBase) -> Profile:
    data = parse_json(path)
    if not isinstance(data, dict):
        fail("profile: expected a JSON object with the fields age, skin_type, fitzpatrick, ...")
    try:
        profile = validate_profile(data, kb, today=date.today())
    except ValidationError as exc:
        fail("invalid profile: " + " | ".join(describe(e) for e in exc.errors()))
    unknown = sorted(set(data) - set(Profile.model_fields))
    if unknown:
        typer.echo(
            f"corneum: warning: ignored unknown profile fields: {', '.join(unknown)}", err=True
        )
    return profile


def parse_json(path: str) -> Any:
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        fail(f"PROFILE: cannot read {path!r}: {exc.__class__.__name__}")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        fail(f"profile: not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}")


def describe(error: Any) -> str:
    field = ".".join(str(part) for part in error["loc"]) or "profile"
    return f"{field}: {error['msg']}"


@app.command("procedures")
def procedures_command(output: FormatOption = "text") -> None:
    """List the procedures in the knowledge base."""
    check_format(output)
    kb = knowledge()
    if output == "json":
        emit_json([render.procedure_summary(p) for p in kb.procedures])
    else:
        render.procedure_table(kb)


@app.command("procedure")
def procedure_command(
    procedure_id: Annotated[str, typer.Argument(metavar="ID")],
    output: FormatOption = "text",
) -> None:
    """Show one procedure: stages, timings, indications, rules, course and care."""
    check_format(output)
    kb = knowledge()
    ids = [p.id for p in kb.procedures]
    if procedure_id not in ids:
        fail(f"ID: unknown procedure {procedure_id!r}; allowed: {', '.join(ids)}")
    procedure = kb.procedure(procedure_id)
    if output == "json":
        emit_json(render.procedure_detail(procedure, kb))
    else:
        render.procedure_text(procedure, kb)


@app.command("codes")
def codes_command(output: FormatOption = "text") -> None:
    """List the vocabulary: concerns, conditions, medications, skin types, areas..."""
    check_format(output)
    kb = knowledge()
    if output == "json":
        emit_json(kb.vocabulary.model_dump(mode="json"))
    else:
        render.codes(kb)


@kb_app.command("check")
def kb_check_command(
    data_dir: Annotated[
        Path | None, typer.Option("--data-dir", help="Check this folder, not the shipped one.")
    ] = None,
) -> None:
    """Load and validate the knowledge base and its translations; print its version and
    content hash."""
    folder = data_dir or default_data_dir()
    try:
        kb = load_knowledge_base(data_dir) if data_dir else default_knowledge_base()
        for language in translation_languages(folder):
            load_translation(kb, language, folder)
    except KnowledgeBaseError as exc:
        for problem in exc.problems:
            typer.echo(f"corneum: {problem}", err=True)
        typer.echo(f"corneum: knowledge base invalid: {len(exc.problems)} problem(s)", err=True)
        raise typer.Exit(1) from exc
    render.kb_summary(kb)


app.command("serve")(serve_command)
app.command("backup")(backup_command)
app.command("restore")(restore_command)
app.command("worker")(worker_command)


def run() -> None:
    app()
