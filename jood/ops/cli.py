"""`flask ops backup PATH` and `flask ops restore PATH [--force]` (docs/deployment.md, "Backup and restore")."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy.exc import OperationalError

from jood.ledger.cli import verify_command
from jood.ops import backup as archive

ops_cli = AppGroup("ops", help="Back up and restore the database and the uploads.")


def _size(path: Path) -> str:
    size = path.stat().st_size
    return f"{size / 1_000_000:.1f} MB" if size >= 100_000 else f"{size} bytes"


def _summary(manifest: dict) -> str:
    rows = sum(n for table, n in manifest["counts"].items() if table != archive.SCHEMA_TABLE)
    head = manifest["ledger_head"]
    return (f"{manifest['database']} database of {rows} rows in {len(manifest['counts'])} tables "
            f"(schema {manifest['revision']}), {manifest['uploads']['files']} uploaded files, "
            f"ledger head {head['seq']} {head['hash']}")


@ops_cli.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(path: Path) -> None:
    """Write the database, the uploads and a manifest to one new archive at PATH (a .tar file)."""
    try:
        manifest = archive.backup(path)
    except archive.BackupError as error:
        raise click.ClickException(str(error)) from None
    except OperationalError as error:
        raise click.ClickException(f"cannot reach the database: {error.orig}") from None
    click.echo(f"OK: {path} ({_size(path)}), taken at {manifest['created_at']}: {_summary(manifest)}")


@ops_cli.command("restore")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace a database or upload folder that already holds data.")
@click.pass_context
def restore_command(ctx: click.Context, path: Path, force: bool) -> None:
    """Replace the app's database and upload folder with the archive at PATH, then verify the ledger."""
    try:
        restored = archive.restore(path, force=force)
    except archive.BackupError as error:
        raise click.ClickException(str(error)) from None
    except OperationalError as error:
        raise click.ClickException(f"cannot reach the database: {error.orig}") from None
    click.echo(f"Restored {path}, taken at {restored.manifest['created_at']}: {_summary(restored.manifest)}")
    if restored.problems:
        click.echo(f"FAIL: the restored data differs from the backup's manifest ({len(restored.problems)}):", err=True)
        for problem in restored.problems:
            click.echo(f"  - {problem}", err=True)
        raise SystemExit(1)
    ctx.invoke(verify_command)  # `flask ledger verify`: chain, balances and counters; prints the restored head


commands = [ops_cli]
