"""Benchmarks a maintainer runs (`python -m benchmarks`); they print ratios measured in one run."""
