"""`flask ops backup` and `flask ops restore`: give through the real services, read the chain head /api/v1/ledger
publishes, back up, restore into a fresh database (a new PostgreSQL database on the suite's server, or another SQLite
file), and find every row, every upload and that very head again, with `ledger verify` passing."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import pytest
from sqlalchemy import select, text

from jood import cache as page_cache
from jood.core import uploads
from jood.extensions import db
from jood.ledger import services as ledger
from jood.ops import backup as archive
from tests.conftest import append_only_suspended

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def published_head(client) -> str:
    """The hash of the last transaction /api/v1/ledger publishes, paging as tools/verify_ledger.py does."""
    page, last = 1, None
    while page is not None:
        response = client.get(f"/api/v1/ledger?page={page}")
        assert response.status_code == 200, response.get_data(as_text=True)
        document = response.get_json()
        last = document["items"][-1]["hash"] if document["items"] else last
        page = document["next_page"]
    return last


def every_row() -> dict[str, list[tuple]]:
    """Every row of every table of the app's database, in primary-key order."""
    rows = {}
    with db.engine.connect() as connection:
        for table in db.metadata.sorted_tables:
            query = select(table).order_by(*table.primary_key.columns)
            rows[table.name] = [tuple(row) for row in connection.execute(query)]
    return rows


def uploaded_files(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


@pytest.fixture
def site(app, client, make_case, donate):
    """Donations (zakat and not, one filling its case) and a stored document."""
    rent = make_case(target_amount=500_00)
    ownership = make_case(target_amount=2_000_00)
    donate(rent, "120", email="a@example.org")
    donate(rent, "80.50", email="b@example.org", zakat="y")
    donate(ownership, "1000", email="c@example.org")
    donate(rent, "299.50", email="d@example.org")  # fills the case
    stored = uploads.store(PDF, "evidence")
    db.session.commit()
    assert ledger.verify() == []
    head = published_head(client)
    assert head == ledger.public_head()["hash"] and ledger.public_head()["seq"] >= 4
    return {"head": head, "rows": every_row(), "files": uploaded_files(Path(app.config["UPLOAD_FOLDER"])),
            "stored": stored}


def test_a_backup_restored_into_a_fresh_database_gives_back_every_row_the_head_and_the_uploads(
        app, site, restored_app, tmp_path):
    path = tmp_path / "jood-backup.tar"
    made = app.test_cli_runner().invoke(args=["ops", "backup", str(path)])
    assert made.exit_code == 0, made.output
    assert made.output.startswith(f"OK: {path}") and site["head"] in made.output
    with tarfile.open(path) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        names = set(tar.getnames())
    assert manifest["ledger_head"] == ledger.public_head()
    assert manifest["counts"]["donations"] == 4 and manifest["uploads"]["files"] == len(site["files"])
    assert {"manifest.json", archive.MEMBERS[db.engine.dialect.name],
            f"uploads/evidence/{site['stored'].stored_name}"} <= names

    with restored_app.app_context():
        store = page_cache.store()
        site_tag = page_cache.tag_keys_for(store.prefix, ())
        version = store.lookup(site_tag, "none")[0]
        restored = restored_app.test_cli_runner().invoke(args=["ops", "restore", str(path)])
        assert restored.exit_code == 0, restored.output
        assert store.lookup(site_tag, "none")[0] > version  # no page cached before the restore is served after it
        assert restored.output.strip().splitlines()[-1] == (
            f"OK: {manifest['ledger_head']['seq']} transactions, head {site['head']}")
        assert published_head(restored_app.test_client()) == site["head"]
        assert ledger.verify() == []
        assert every_row() == site["rows"]  # not one row lost or altered
        assert uploaded_files(Path(restored_app.config["UPLOAD_FOLDER"])) == site["files"]
        gone = restored_app.test_cli_runner().invoke(args=["ops", "restore", str(path)])
        assert gone.exit_code == 1 and "not empty" in gone.output  # restored: no longer an empty target


@pytest.mark.parametrize("damage", ["lose_a_row", "alter_an_amount"])
def test_a_restore_that_lost_or_altered_a_row_fails(app, site, restored_app, tmp_path, monkeypatch, damage):
    """The restore's own checks (row counts and head against the manifest, then `ledger verify`) catch a bad load."""
    path = tmp_path / "jood-backup.tar"
    assert app.test_cli_runner().invoke(args=["ops", "backup", str(path)]).exit_code == 0
    kind = db.engine.dialect.name
    load = archive._load_postgresql if kind == "postgresql" else archive._load_sqlite

    def lossy_load(dump):
        load(dump)
        with append_only_suspended() as connection:
            if damage == "lose_a_row":
                connection.execute(text("DELETE FROM donation_lines WHERE id = (SELECT min(id) FROM donation_lines)"))
            else:
                connection.execute(text("UPDATE ledger_entries SET amount = amount + 100 "
                                        "WHERE id = (SELECT max(id) FROM ledger_entries WHERE amount > 0)"))
        db.engine.dispose()

    monkeypatch.setattr(archive, f"_load_{kind}", lossy_load)
    with restored_app.app_context():
        result = restored_app.test_cli_runner().invoke(args=["ops", "restore", str(path)])
    assert result.exit_code == 1, result.output
    expected = "table donation_lines: 3 rows restored, the backup had 4" if damage == "lose_a_row" else "bad_hash"
    assert expected in result.output


def test_bad_archives_are_refused_and_change_nothing(app, site, restored_app, tmp_path):
    runner = restored_app.test_cli_runner()
    (tmp_path / "notes.txt").write_text("not an archive")
    with tarfile.open(tmp_path / "other.tar", "w") as tar:
        tar.add(tmp_path / "notes.txt", arcname="notes.txt")
    good = tmp_path / "good.tar"
    assert app.test_cli_runner().invoke(args=["ops", "backup", str(good)]).exit_code == 0
    truncated = tmp_path / "truncated.tar"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    damaged = tmp_path / "damaged.tar"
    with tarfile.open(good) as source, tarfile.open(damaged, "w") as tar:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name.startswith("database."):
                data = data[:-1] + bytes([data[-1] ^ 1])
            tar.addfile(member, fileobj=io.BytesIO(data))
    cases = {
        tmp_path / "missing.tar": "no such file",
        tmp_path / "notes.txt": "not a tar archive",
        tmp_path / "other.tar": "no readable manifest.json",
        truncated: "damaged or truncated",
        damaged: "does not match the checksum",
    }
    with restored_app.app_context():
        for path, message in cases.items():
            result = runner.invoke(args=["ops", "restore", "--force", str(path)])
            assert result.exit_code == 1 and message in result.output, (path, result.output)
        assert archive.target_contents() == (0, 0)  # nothing was written
        assert not Path(restored_app.config["UPLOAD_FOLDER"]).exists()


def test_a_database_that_holds_data_is_replaced_only_with_force(app, site, make_case, donate, tmp_path):
    path = tmp_path / "jood-backup.tar"
    runner = app.test_cli_runner()
    assert runner.invoke(args=["ops", "backup", str(path)]).exit_code == 0
    again = runner.invoke(args=["ops", "backup", str(path)])
    assert again.exit_code == 1 and "already exists" in again.output

    donate(make_case(target_amount=300_00), "50")  # given after the backup
    uploads.store(PDF, "evidence")
    db.session.commit()
    folder = Path(app.config["UPLOAD_FOLDER"])
    inode = folder.stat().st_ino
    after = every_row()
    refused = runner.invoke(args=["ops", "restore", str(path)])
    assert refused.exit_code == 1 and "not empty" in refused.output and "--force" in refused.output
    assert every_row() == after

    forced = runner.invoke(args=["ops", "restore", "--force", str(path)])
    assert forced.exit_code == 0, forced.output
    assert forced.output.strip().endswith(f"head {site['head']}")
    assert every_row() == site["rows"] and ledger.verify() == []
    # The folder's contents are replaced, never the folder itself: on shared storage it is a mount point.
    assert uploaded_files(folder) == site["files"] and folder.stat().st_ino == inode


@pytest.mark.postgres_only
def test_a_restore_whose_pg_restore_fails_changes_nothing(app, site, restored_app, make_charity, tmp_path,
                                                          monkeypatch):
    """psql commits only once pg_restore has written everything and exited 0. Here pg_restore writes the whole,
    valid SQL and then fails: had psql committed, the charity added after the first restore would be gone."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("pg_restore and psql: PostgreSQL only")
    path = tmp_path / "jood-backup.tar"
    assert app.test_cli_runner().invoke(args=["ops", "backup", str(path)]).exit_code == 0
    with restored_app.app_context():
        runner = restored_app.test_cli_runner()
        assert runner.invoke(args=["ops", "restore", str(path)]).exit_code == 0
        make_charity(slug="added-after-the-restore")
        before = every_row()
        real = archive.pg_tool

        def breaking(name):
            tool = real(name)
            if name != "pg_restore":
                return tool
            script = tmp_path / "pg_restore"
            script.write_text(f'#!/bin/sh\ncase "$1" in --list|--version) exec {tool} "$@";; esac\n'
                              f'{tool} "$@"\nexit 1\n')
            script.chmod(0o755)
            return str(script)

        monkeypatch.setattr(archive, "pg_tool", breaking)
        broken = runner.invoke(args=["ops", "restore", "--force", str(path)])
        assert broken.exit_code == 1 and "rolled back" in broken.output, broken.output
        assert "NOTICE" not in broken.output
        assert every_row() == before and ledger.verify() == []
