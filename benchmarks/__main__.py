"""python -m benchmarks: run every benchmark and print its table."""

from benchmarks import executor

executor.main()
