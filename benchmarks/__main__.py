"""python -m benchmarks: run every benchmark and print its table."""

import importlib.util

from benchmarks import peers, scaling, startup, throughput

print("## startup\n")
startup.main([])
print("\n## throughput\n")
throughput.main([])
print("\n## peers\n")
peers.main([])
print("\n## scaling\n")
scaling.main([])
print("\n## executor\n")
if importlib.util.find_spec("torch"):
    from benchmarks import executor

    executor.main([])
else:
    print("executor benchmark skipped: needs torch")
