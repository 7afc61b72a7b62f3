#!/usr/bin/env python3
"""Verify Jood's public ledger hash chain from the outside, with nothing but the Python standard library.

    python tools/verify_ledger.py https://jood.example            # page through GET /api/v1/ledger
    python tools/verify_ledger.py --file ledger.json              # a saved dump: {"items": [...]} or [...]

Exit status: 0 the chain is intact, 1 problems were found, 2 the ledger could not be read.
The canonical form is copied from jood/ledger/core.py on purpose: this script must not trust (or import) the code
it is checking. docs/ledger.md describes the form byte by byte.
"""

import argparse
import hashlib
import json
import re
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from datetime import datetime
from typing import Any

GENESIS_HASH = "0" * 64
MAX_PAGES = 100_000
TIMEOUT_SECONDS = 30

_KIND_RE = re.compile(r"[a-z][a-z_]{0,31}")
_ACCOUNT_RE = re.compile(r"[!-~]{1,200}")
_TIMESTAMP_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")
_HASH_RE = re.compile(r"[0-9a-f]{64}")


class Malformed(ValueError):
    """An item does not have the published shape, so its hash cannot be recomputed."""


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def canonical_form(seq: Any, kind: Any, created_at: Any, postings: Any, prev_hash: Any) -> bytes:
    """Same bytes as jood.ledger.core.canonical_form (jood-ledger-v1)."""
    if not _is_int(seq) or seq < 1:
        raise Malformed(f"seq must be a positive integer, got {seq!r}")
    if not isinstance(kind, str) or not _KIND_RE.fullmatch(kind):
        raise Malformed(f"bad kind {kind!r}")
    if not isinstance(created_at, str) or not _TIMESTAMP_RE.fullmatch(created_at):
        raise Malformed(f"bad created_at {created_at!r}")
    try:
        datetime.strptime(created_at, "%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        raise Malformed(f"created_at is not a real moment: {created_at!r}") from None
    if not isinstance(prev_hash, str) or not _HASH_RE.fullmatch(prev_hash):
        raise Malformed(f"bad prev_hash {prev_hash!r}")
    if not isinstance(postings, list) or not postings:
        raise Malformed("postings must be a non-empty list")
    pairs = []
    for posting in postings:
        account = posting.get("account") if isinstance(posting, dict) else None
        amount = posting.get("amount") if isinstance(posting, dict) else None
        if not isinstance(account, str) or not _ACCOUNT_RE.fullmatch(account) or not _is_int(amount):
            raise Malformed(f"bad posting {posting!r}")
        pairs.append((account, amount))
    lines = ["jood-ledger-v1", str(seq), kind, created_at]
    lines += [f"{account}\t{amount}" for account, amount in sorted(pairs)]
    lines.append(prev_hash)
    return "\n".join(lines).encode("utf-8")


def verify(items: list[Any]) -> tuple[list[str], str]:
    """Return (problems, head hash); mirrors jood.ledger.core.verify_chain."""
    problems: list[str] = []
    expected_seq, expected_prev = 1, GENESIS_HASH
    for item in items:
        seq = item.get("seq") if isinstance(item, dict) else None
        where = f"seq {seq}" if _is_int(seq) else f"item after seq {expected_seq - 1}"
        try:
            if not isinstance(item, dict):
                raise Malformed("a transaction must be an object")
            stored = item.get("hash")
            if not isinstance(stored, str) or not _HASH_RE.fullmatch(stored):
                raise Malformed(f"bad hash {stored!r}")
            form = canonical_form(
                seq, item.get("kind"), item.get("created_at"), item.get("postings"), item.get("prev_hash")
            )
        except Malformed as exc:
            problems.append(f"{where}: malformed: {exc}")
            expected_seq = seq + 1 if _is_int(seq) else expected_seq + 1
            stored = item.get("hash") if isinstance(item, dict) else None
            expected_prev = stored if isinstance(stored, str) else expected_prev
            continue
        if seq != expected_seq:
            problems.append(f"{where}: seq_gap: expected seq {expected_seq}")
        if item["prev_hash"] != expected_prev:
            problems.append(f"{where}: broken_link: prev_hash {item['prev_hash']} != previous hash {expected_prev}")
        total = sum(p["amount"] for p in item["postings"])
        if total != 0:
            problems.append(f"{where}: unbalanced: postings sum to {total}")
        recomputed = hashlib.sha256(form).hexdigest()
        if recomputed != stored:
            problems.append(f"{where}: bad_hash: stored {stored}, recomputed {recomputed}")
        expected_seq, expected_prev = seq + 1, stored
    return problems, expected_prev


def _items_from(document: Any) -> list[Any]:
    items = document.get("items") if isinstance(document, dict) else document
    if not isinstance(items, list):
        raise ValueError('expected {"items": [...]} or a list of transactions')
    return items


def fetch_pages(base_url: str) -> Iterator[Any]:
    """Yield every item from GET {base}/api/v1/ledger?page=N, following next_page until it is null."""
    if urllib.parse.urlsplit(base_url).scheme not in ("http", "https"):
        raise ValueError(f"base URL must start with http:// or https://, got {base_url!r}")
    page: Any = 1
    seen: set[int] = set()
    while page is not None:
        if not _is_int(page) or page in seen or len(seen) >= MAX_PAGES:
            raise ValueError(f"the server sent a bad next_page: {page!r}")
        seen.add(page)
        url = f"{base_url.rstrip('/')}/api/v1/ledger?page={page}"
        request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310 - scheme checked
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 - scheme checked
            document = json.load(response)
        yield from _items_from(document)
        page = document.get("next_page") if isinstance(document, dict) else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Recompute and check Jood's public ledger hash chain.")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("base_url", nargs="?", help="site to check, e.g. http://127.0.0.1:8000")
    source.add_argument("--file", help="a saved JSON dump instead of a live site")
    args = parser.parse_args(argv)
    try:
        if args.file:
            with open(args.file, encoding="utf-8") as handle:
                items = _items_from(json.load(handle))
        else:
            items = list(fetch_pages(args.base_url))
    except (OSError, ValueError, urllib.error.URLError) as exc:
        print(f"ERROR: could not read the ledger: {exc}", file=sys.stderr)
        return 2
    problems, head = verify(items)
    if problems:
        for problem in problems:
            print(problem)
        print(f"FAILED: {len(problems)} problem(s) in {len(items)} transactions")
        return 1
    print(f"OK: {len(items)} transactions, head {head}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
