"""Side-by-side benchmarks: ``python -m benchmarks`` writes ``benchmarks/RESULTS.md``."""
