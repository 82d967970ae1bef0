"""Benchmarks and evaluation scripts (run as files: `.venv/bin/python bench/NAME.py`)."""
