"""``corneum backup PATH`` and ``corneum restore PATH``, for the embedded SQLite database.

For PostgreSQL both refuse (exit code 2) and name ``pg_dump -Fc`` and ``pg_restore``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from corneum.cli.db import database_errors, load_settings
from corneum.cli.errors import fail


def backup_command(
    path: Annotated[Path, typer.Argument(metavar="PATH", help="The backup file, or a folder.")],
    force: Annotated[bool, typer.Option("--force", help="Replace PATH if it exists.")] = False,
) -> None:
    """Back up the SQLite database, consistently, even while the server writes to it."""
    from corneum.db import backup

    settings = load_settings()
    with database_errors():
        try:
            result = backup.backup(settings.database_url, path, overwrite=force)
        except backup.BackupError as exc:
            fail(str(exc))
    size_kib = max(1, result.size // 1024)
    typer.echo(
        f"backup written to {result.path} (schema revision {result.revision or 'none'}, "
        f"{size_kib} KiB, integrity ok)"
    )


def restore_command(
    path: Annotated[Path, typer.Argument(metavar="PATH", help="A backup made by corneum backup.")],
) -> None:
    """Replace the SQLite database with a backup; the current one is kept beside it first.

    Stop the server before restoring: its signed-in users and open work belong to the old data.
    """
    from corneum.db import backup

    settings = load_settings()
    with database_errors():
        try:
            result = backup.restore(settings.database_url, path)
        except backup.BackupError as exc:
            fail(str(exc))
    typer.echo(f"restored {path} into {result.database} (schema revision {result.revision})")
    if result.kept is not None:
        typer.echo(f"the database as it was is kept at {result.kept}")
    if result.needs_upgrade:
        typer.echo("the backup's schema is older: run `corneum db upgrade` before serving it")
