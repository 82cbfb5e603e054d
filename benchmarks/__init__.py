"""Benchmarks run by hand or in CI with ``--check``."""
