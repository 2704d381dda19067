"""Benchmarks of armsgate (issue 2): separate programs, never run by the test suite.

Each one is run as `.venv/bin/python -m benchmarks.<name> [--options]`, generates its data
with a seeded `random.Random`, prints its results to stdout and writes nothing into the
repository. Measured figures are recorded by hand in `docs/performance.md`.
"""
