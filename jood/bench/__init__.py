"""Benchmark tooling that runs inside the app: `flask bench-data` (cli.py, data.py); the harness is tools/bench.py."""
