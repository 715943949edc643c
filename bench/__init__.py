"""Benchmarks of the console: `python -m bench` (or `make bench`) measures and prints one table."""
