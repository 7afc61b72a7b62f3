"""tools/verify_ledger.py must agree with jood.ledger.core without importing it."""

import ast
import importlib.util
import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from jood.ledger.core import (
    GENESIS_HASH,
    REFUNDED,
    TransactionDraft,
    canonical_form,
    case_account,
    clearing_account,
    credit,
    debit,
    disbursed_account,
    format_timestamp,
    pool_account,
    seal,
    transfer,
)
from tests.unit.test_ledger_core import published

SCRIPT = Path(__file__).resolve().parents[2] / "tools" / "verify_ledger.py"
CASE = "JE-1448-00042"


def build_chain() -> list[dict]:
    stripe = clearing_account("stripe")
    drafts = [
        TransactionDraft(
            "payment", (credit(stripe, 10000), debit(case_account(CASE), 7500), debit(pool_account("rent"), 2500))
        ),
        transfer("allocation", pool_account("rent"), case_account("JE-1448-00043"), 2500),
        transfer("disbursement", case_account(CASE), disbursed_account(CASE), 7500),
        transfer("payment", stripe, case_account(CASE, zakat=True), 5000),
        transfer("refund", case_account(CASE, zakat=True), REFUNDED, 5000),
    ]
    start = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)
    chain, prev = [], GENESIS_HASH
    for seq, item in enumerate(drafts, start=1):
        sealed = seal(item, seq=seq, created_at=format_timestamp(start + timedelta(hours=seq)), prev_hash=prev)
        chain.append(published(sealed))
        prev = sealed.hash
    return chain


def run_script(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True, timeout=60, check=False)


def dump(tmp_path: Path, document: object) -> str:
    path = tmp_path / "ledger.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return str(path)


@pytest.fixture
def chain() -> list[dict]:
    return build_chain()


def test_intact_chain_is_ok(tmp_path, chain):
    result = run_script("--file", dump(tmp_path, {"items": chain, "next_page": None}))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == f"OK: 5 transactions, head {chain[-1]['hash']}"


def test_a_bare_list_and_an_empty_chain_are_accepted(tmp_path, chain):
    assert run_script("--file", dump(tmp_path, chain)).returncode == 0
    result = run_script("--file", dump(tmp_path, {"items": []}))
    assert result.returncode == 0
    assert result.stdout.strip() == f"OK: 0 transactions, head {GENESIS_HASH}"


def test_tampered_amount_fails(tmp_path, chain):
    chain[2]["postings"][1]["amount"] = 750
    result = run_script("--file", dump(tmp_path, {"items": chain}))
    assert result.returncode == 1
    assert "seq 3: bad_hash" in result.stdout
    assert "seq 3: unbalanced" in result.stdout
    assert "FAILED: 2 problem(s) in 5 transactions" in result.stdout


def test_removed_transaction_fails(tmp_path, chain):
    del chain[1]
    result = run_script("--file", dump(tmp_path, {"items": chain}))
    assert result.returncode == 1
    assert "seq 3: seq_gap" in result.stdout
    assert "seq 3: broken_link" in result.stdout


def test_reordered_transactions_fail(tmp_path, chain):
    chain[3], chain[4] = chain[4], chain[3]
    result = run_script("--file", dump(tmp_path, {"items": chain}))
    assert result.returncode == 1
    assert "seq 5: seq_gap" in result.stdout


def test_float_amount_is_malformed(tmp_path, chain):
    chain[0]["postings"][0]["amount"] = -10000.0
    result = run_script("--file", dump(tmp_path, {"items": chain}))
    assert result.returncode == 1
    assert "seq 1: malformed" in result.stdout


def test_unreadable_input_exits_2(tmp_path):
    assert run_script("--file", str(tmp_path / "missing.json")).returncode == 2
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    assert run_script("--file", str(bad)).returncode == 2
    assert run_script("--file", dump(tmp_path, {"rows": []})).returncode == 2
    assert run_script("ftp://example.invalid").returncode == 2


def test_needs_a_source():
    assert run_script().returncode == 2


def load_script():
    spec = importlib.util.spec_from_file_location("verify_ledger", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_script_copy_of_canonical_form_matches_core(chain):
    script = load_script()
    for tx in chain:
        args = (tx["seq"], tx["kind"], tx["created_at"], tx["postings"], tx["prev_hash"])
        assert script.canonical_form(*args) == canonical_form(*args)


def test_script_imports_only_the_standard_library():
    tree = ast.parse(SCRIPT.read_text(encoding="utf-8"))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert imported
    assert {name.split(".")[0] for name in imported} <= sys.stdlib_module_names


def test_script_pages_through_the_api(monkeypatch, capsys, chain):
    script = load_script()
    pages = {1: {"items": chain[:2], "next_page": 2}, 2: {"items": chain[2:], "next_page": None}}
    requested = []

    class Response:
        def __init__(self, body: dict) -> None:
            self.body = json.dumps(body).encode()

        def read(self, *args: object) -> bytes:
            return self.body

        def __enter__(self):
            return self

        def __exit__(self, *exc: object) -> None:
            return None

    def fake_urlopen(request, timeout):
        requested.append(request.full_url)
        return Response(pages[int(request.full_url.rsplit("=", 1)[1])])

    monkeypatch.setattr(script.urllib.request, "urlopen", fake_urlopen)
    assert script.main(["http://127.0.0.1:8000/"]) == 0
    assert requested == ["http://127.0.0.1:8000/api/v1/ledger?page=1", "http://127.0.0.1:8000/api/v1/ledger?page=2"]
    assert capsys.readouterr().out.strip() == f"OK: 5 transactions, head {chain[-1]['hash']}"


def test_script_refuses_a_looping_next_page(monkeypatch, capsys, chain):
    script = load_script()

    def fake_urlopen(request, timeout):
        class Response:
            def read(self, *args: object) -> bytes:
                return json.dumps({"items": chain[:1], "next_page": 1}).encode()

            def __enter__(self):
                return self

            def __exit__(self, *exc: object) -> None:
                return None

        return Response()

    monkeypatch.setattr(script.urllib.request, "urlopen", fake_urlopen)
    assert script.main(["http://127.0.0.1:8000"]) == 2
    assert "bad next_page" in capsys.readouterr().err
