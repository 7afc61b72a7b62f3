"""One archive holds a whole site: the database, the uploads and a manifest that says what a restore must give back.

An archive is a plain tar file:

    manifest.json        format, time, database kind, schema revision, the ledger's chain head, the row count of
                         every table, the number of uploaded files, the SHA-256 of the database member
    database.pgdump      PostgreSQL: pg_dump's custom format        (or)
    database.sqlite3     SQLite: a page-by-page copy made with SQLite's backup API
    uploads/...          every file under UPLOAD_FOLDER

On PostgreSQL the dump is taken inside a REPEATABLE READ transaction whose snapshot pg_dump imports
(``--snapshot``), and the manifest's head and counts are read in that same transaction, so the three describe exactly
one moment even while donations keep arriving. On SQLite they are read from the copy itself.

A restore checks the whole archive before it touches anything (manifest, member names, the database member's
checksum, the uploads' count), refuses a target that holds data unless forced, replaces the database in one
transaction (PostgreSQL: the schema is dropped and the dump loaded by one ``psql --single-transaction``; a failure
leaves the old database as it was), then swaps in the uploads, invalidates the page cache, and finally compares every
table's row count and the chain head with the manifest. The caller then runs ``ledger verify``.

The append-only triggers (migration 0009) need nothing special: pg_dump writes them with the schema and pg_restore
creates them after the data is loaded (COPY fires no UPDATE or DELETE trigger anyway), and SQLite's backup API
copies pages, never rows.
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess  # noqa: S404 - pg_dump, pg_restore and psql, called with argument lists, never a shell
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from flask import current_app
from sqlalchemy.engine import make_url

from jood.cache import refresh_all
from jood.extensions import db
from jood.ledger import core

FORMAT = "jood-backup"
VERSION = 1
MANIFEST = "manifest.json"
MEMBERS = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}
UPLOADS = "uploads"
SCHEMA_TABLE = "alembic_version"  # not data: a migrated but empty database counts as empty
PG_BIN_GLOB = "/usr/lib/postgresql/*/bin"


class BackupError(Exception):
    """An expected failure (bad archive, non-empty target, missing tool): told to the operator, nothing changed."""


@dataclass
class Restored:
    manifest: dict
    problems: list[str] = field(default_factory=list)  # the restored data disagrees with the manifest


# --- what a database holds -----------------------------------------------------------------------------------------


def _quote(name: str) -> str:
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        raise BackupError(f"unexpected table name {name!r}")
    return f'"{name}"'


def _facts(rows: Callable[[str], list[tuple]], kind: str) -> dict:
    """Row counts of every table, the chain head and the schema revision, through ``rows(sql)``."""
    listing = ("SELECT tablename FROM pg_tables WHERE schemaname = 'public'" if kind == "postgresql" else
               "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    tables = sorted(name for (name,) in rows(listing))
    counts = {name: int(rows(f"SELECT count(*) FROM {_quote(name)}")[0][0]) for name in tables}  # noqa: S608
    head = rows("SELECT seq, hash FROM ledger_head WHERE id = 1") if "ledger_head" in counts else []
    revision = rows(f"SELECT version_num FROM {SCHEMA_TABLE}") if SCHEMA_TABLE in counts else []  # noqa: S608
    seq, hash_ = head[0] if head else (0, core.GENESIS_HASH)
    return {"counts": counts, "ledger_head": {"seq": int(seq), "hash": hash_},
            "revision": revision[0][0] if revision else None}


def _app_facts() -> dict:
    with db.engine.connect() as connection:
        return _facts(lambda sql: list(connection.exec_driver_sql(sql)), db.engine.dialect.name)


def _sqlite_facts(path: Path) -> dict:
    connection = sqlite3.connect(path)
    try:
        return _facts(lambda sql: connection.execute(sql).fetchall(), "sqlite")
    finally:
        connection.close()


def _upload_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(path for path in folder.rglob("*") if path.is_file() and not path.is_symlink())


def _kind() -> str:
    kind = db.engine.dialect.name
    if kind not in MEMBERS:
        raise BackupError(f"backups support PostgreSQL and SQLite, not {kind}")
    return kind


def _sqlite_path() -> Path:
    database = db.engine.url.database
    if not database or database == ":memory:":
        raise BackupError("the SQLite database is in memory: there is no file to back up or restore")
    return Path(database)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


# --- PostgreSQL's tools ----------------------------------------------------------------------------------------


def _libpq_url() -> str:
    """The app's database URL as libpq reads it (no SQLAlchemy driver suffix), without the password: that goes in
    the tools' environment (``_libpq_env``), never in their arguments, which any local user can list."""
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"]).set(drivername="postgresql", password=None)
    return url.render_as_string(hide_password=False)


def _libpq_env() -> dict[str, str]:
    password = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"]).password
    return {**os.environ, **({"PGPASSWORD": password} if password else {})}


def _tool_major(path: str) -> int:
    output = subprocess.run([path, "--version"], capture_output=True, text=True, check=False).stdout  # noqa: S603
    match = re.search(r"(\d+)(?:\.\d+)?", output)
    return int(match.group(1)) if match else 0


def pg_tool(name: str) -> str:
    """The newest ``name`` among Debian's /usr/lib/postgresql/<version>/bin and PATH, refusing one older than the
    server (pg_dump cannot dump a newer server; pg_restore cannot read a newer dump)."""
    candidates = [str(Path(folder) / name) for folder in glob.glob(PG_BIN_GLOB)]
    on_path = shutil.which(name)
    candidates += [on_path] if on_path else []
    found = [(major, path) for path in candidates if os.access(path, os.X_OK) and (major := _tool_major(path))]
    if not found:
        raise BackupError(f"{name} not found (install postgresql-client, or PostgreSQL under /usr/lib/postgresql)")
    major, path = max(found)
    with db.engine.connect() as connection:
        server = int(connection.exec_driver_sql("SHOW server_version_num").scalar_one()) // 10000
    if major < server:
        raise BackupError(f"{path} is version {major} but the server is {server}: install a client >= {server}")
    return path


def _run(args: list[str], **kwargs) -> None:
    done = subprocess.run(args, capture_output=True, text=True, check=False, env=_libpq_env(),  # noqa: S603
                          **kwargs)
    if done.returncode != 0:
        raise BackupError(f"{Path(args[0]).name} failed: {done.stderr.strip()[-2000:]}")


# --- backup ----------------------------------------------------------------------------------------------------


def backup(path: Path, *, now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> dict:
    """Write the archive to ``path`` (a new file; written beside it first, then renamed) and return its manifest."""
    path = Path(path)
    if path.exists():
        raise BackupError(f"{path} already exists: choose a new file name")
    if not path.parent.is_dir():
        raise BackupError(f"the folder {path.parent} does not exist")
    kind = _kind()
    started = now()
    with tempfile.TemporaryDirectory(prefix=".jood-backup-", dir=path.parent) as work:
        dump = Path(work) / MEMBERS[kind]
        facts = _dump_postgresql(dump) if kind == "postgresql" else _copy_sqlite(dump)
        uploads_root = Path(current_app.config["UPLOAD_FOLDER"])
        partial = Path(work) / "archive.tar"
        files = size = 0
        with tarfile.open(partial, "w", format=tarfile.PAX_FORMAT) as tar:
            tar.add(dump, arcname=dump.name)
            for file in _upload_files(uploads_root):  # after the database: every file a row names is there
                try:
                    length = file.stat().st_size
                    tar.add(file, arcname=f"{UPLOADS}/{file.relative_to(uploads_root).as_posix()}", recursive=False)
                except FileNotFoundError:  # removed meanwhile (its unit of work rolled back): no row names it
                    continue
                files, size = files + 1, size + length
            manifest = {
                "format": FORMAT, "version": VERSION, "created_at": core.format_timestamp(started),
                "database": kind, "database_member": dump.name, "database_sha256": _sha256(dump), **facts,
                "uploads": {"files": files, "bytes": size},
            }
            (Path(work) / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
            tar.add(Path(work) / MANIFEST, arcname=MANIFEST)  # last: it counts what the archive really holds
        os.replace(partial, path)
    return manifest


def _dump_postgresql(target: Path) -> dict:
    pg_dump = pg_tool("pg_dump")
    with db.engine.connect().execution_options(isolation_level="REPEATABLE READ") as connection:
        with connection.begin():
            snapshot = connection.exec_driver_sql("SELECT pg_export_snapshot()").scalar_one()
            facts = _facts(lambda sql: list(connection.exec_driver_sql(sql)), "postgresql")
            # The exporting transaction stays open while pg_dump runs: that is what keeps the snapshot importable.
            _run([pg_dump, "--format=custom", f"--snapshot={snapshot}", f"--file={target}",
                  f"--dbname={_libpq_url()}"])
    return facts


def _copy_sqlite(target: Path) -> dict:
    source_path = _sqlite_path()
    if not source_path.is_file():
        raise BackupError(f"the SQLite database {source_path} does not exist")
    source, copy = sqlite3.connect(source_path), sqlite3.connect(target)
    try:
        source.backup(copy)  # a consistent copy even while the app writes (SQLite restarts it if it must)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
    finally:
        copy.close()
        source.close()
    return _sqlite_facts(target)


# --- restore ---------------------------------------------------------------------------------------------------


def read_manifest(tar: tarfile.TarFile, kind: str) -> dict:
    """The manifest of an open archive, checked against the archive's members and the app's database kind."""
    try:
        manifest = json.load(tar.extractfile(MANIFEST))
    except (KeyError, AttributeError, ValueError):
        raise BackupError("not a Jood backup: the archive has no readable manifest.json") from None
    except (tarfile.TarError, OSError) as error:
        raise BackupError(f"the archive is damaged or truncated: {error}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("not a Jood backup: manifest.json is not a jood-backup manifest")
    if manifest.get("version") != VERSION:
        raise BackupError(f"this archive is format version {manifest.get('version')}; this code reads {VERSION}")
    if manifest.get("database") != kind:
        raise BackupError(f"this archive holds a {manifest.get('database')} database but the app uses {kind}: "
                          f"restore it into a {manifest.get('database')} database")
    files = 0
    try:
        members = tar.getmembers()
    except (tarfile.TarError, OSError) as error:
        raise BackupError(f"the archive is damaged or truncated: {error}") from None
    for member in members:
        name = PurePosixPath(member.name)
        if member.name in (MANIFEST, MEMBERS[kind]) and member.isfile():
            continue
        if name.parts[:1] == (UPLOADS,) and member.isfile() and ".." not in name.parts and not name.is_absolute():
            files += 1
            continue
        raise BackupError(f"unexpected member {member.name!r} in the archive: refusing to restore it")
    if MEMBERS[kind] not in {member.name for member in members}:
        raise BackupError(f"the archive has no {MEMBERS[kind]}")
    if files != manifest.get("uploads", {}).get("files"):
        raise BackupError(f"the archive holds {files} uploaded files, its manifest says "
                          f"{manifest.get('uploads', {}).get('files')}: it is incomplete")
    return manifest


def target_contents() -> tuple[int, int]:
    """(rows in the app's database, schema revision aside; files in the upload folder)."""
    counts = _app_facts()["counts"]
    rows = sum(n for table, n in counts.items() if table != SCHEMA_TABLE)
    return rows, len(_upload_files(Path(current_app.config["UPLOAD_FOLDER"])))


def restore(path: Path, *, force: bool = False) -> Restored:
    """Replace the app's database and upload folder with the archive at ``path``; see the module's docstring."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path}: no such file")
    if not tarfile.is_tarfile(path):
        raise BackupError(f"{path} is not a Jood backup (not a tar archive)")
    kind = _kind()
    uploads_root = Path(current_app.config["UPLOAD_FOLDER"])
    uploads_root.parent.mkdir(parents=True, exist_ok=True)
    # Staged beside the upload folder, so that swapping the folders is a rename on one file system.
    with tarfile.open(path) as tar, tempfile.TemporaryDirectory(prefix=".jood-restore-",
                                                                dir=uploads_root.parent) as work:
        manifest = read_manifest(tar, kind)
        rows, files = target_contents()
        if (rows or files) and not force:
            raise BackupError(f"the target is not empty ({rows} rows in the database, {files} uploaded files): "
                              "restore into an empty database, or add --force to replace it")
        try:
            tar.extractall(work, filter="data")
        except (tarfile.TarError, OSError) as error:
            raise BackupError(f"the archive cannot be read: {error}") from None
        dump = Path(work) / MEMBERS[kind]
        if _sha256(dump) != manifest.get("database_sha256"):
            raise BackupError(f"{dump.name} does not match the checksum in the manifest: the archive is damaged")
        db.session.remove()
        if kind == "postgresql":
            _load_postgresql(dump)
        else:
            _load_sqlite(dump)
        db.engine.dispose()  # no pooled connection may hold a view of the database that was replaced
        _swap_uploads(Path(work) / UPLOADS, uploads_root, Path(work) / "previous-uploads")
    refresh_all()  # no page cached from the database that was replaced may be served again
    return Restored(manifest, _compare(manifest, _app_facts(), uploads_root))


def _load_postgresql(dump: Path) -> None:
    """One transaction drops the old schema, creates the dump's objects, loads the rows, adds indexes and triggers.

    pg_restore writes the SQL, psql runs it after ``BEGIN``; the ``COMMIT`` is sent only once pg_restore has written
    everything and exited 0. If either fails (psql stops at the first error), psql ends without committing and
    PostgreSQL rolls all of it back: the old database stays as it was.
    """
    pg_restore, psql = pg_tool("pg_restore"), pg_tool("psql")
    _run([pg_restore, "--list", str(dump)])  # a dump pg_restore cannot read fails here, before anything is dropped
    db.engine.dispose()
    with tempfile.TemporaryFile() as producer_errors, tempfile.TemporaryFile() as loader_errors:
        producer = subprocess.Popen([pg_restore, "--no-owner", "--no-acl", "--file=-", str(dump)],  # noqa: S603
                                    stdout=subprocess.PIPE, stderr=producer_errors, env=_libpq_env())
        loader = subprocess.Popen(  # noqa: S603
            [psql, "--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1", f"--dbname={_libpq_url()}",
             "--command=SET client_min_messages = warning", "--command=BEGIN",
             "--command=DROP SCHEMA IF EXISTS public CASCADE", "--command=CREATE SCHEMA public",
             "--file=-"],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=loader_errors, env=_libpq_env())
        try:
            while chunk := producer.stdout.read(1 << 20):
                loader.stdin.write(chunk)
            if producer.wait() == 0:
                loader.stdin.write(b"\nCOMMIT;\n")
            loader.stdin.close()
        except BrokenPipeError:  # psql stopped at an error: nothing was committed
            producer.kill()
        finally:
            producer.stdout.close()
            produced, loaded = producer.wait(), loader.wait()
        if produced != 0 or loaded != 0:
            errors = b""
            for stream in (producer_errors, loader_errors):
                stream.seek(0)
                errors += stream.read()
            message = errors.decode(errors="replace").strip()[-2000:]
            raise BackupError(f"the restore failed and was rolled back: {message}")


def _load_sqlite(copy: Path) -> None:
    try:
        source = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
        status = source.execute("PRAGMA quick_check").fetchone()[0]
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{copy.name} is not a usable SQLite database: {error}") from None
    try:
        if status != "ok":
            raise BackupError(f"{copy.name} is damaged: {status}")
        db.engine.dispose()
        target = sqlite3.connect(_sqlite_path(), timeout=30)
        try:
            source.backup(target)  # replaces every page of the target in one write transaction
        finally:
            target.close()
    finally:
        source.close()


def _swap_uploads(restored: Path, root: Path, previous: Path) -> None:
    """Replace the folder's contents, not the folder: UPLOAD_FOLDER is often a mount point (shared storage), which
    cannot be renamed. Within one file system each move is a rename; across two, shutil copies."""
    restored.mkdir(exist_ok=True)  # an archive without uploads restores an empty folder
    root.mkdir(parents=True, exist_ok=True)
    previous.mkdir()
    for entry in list(root.iterdir()):
        shutil.move(entry, previous / entry.name)
    for entry in list(restored.iterdir()):
        shutil.move(entry, root / entry.name)


def _compare(manifest: dict, facts: dict, uploads_root: Path) -> list[str]:
    problems = []
    expected, found = manifest.get("counts", {}), facts["counts"]
    for table in sorted(set(expected) | set(found)):
        if expected.get(table) != found.get(table):
            problems.append(f"table {table}: {found.get(table)} rows restored, the backup had {expected.get(table)}")
    if facts["ledger_head"] != manifest.get("ledger_head"):
        problems.append(f"ledger head: restored {facts['ledger_head']}, the backup had {manifest.get('ledger_head')}")
    files = len(_upload_files(uploads_root))
    if files != manifest["uploads"]["files"]:
        problems.append(f"uploads: {files} files restored, the backup had {manifest['uploads']['files']}")
    return problems
