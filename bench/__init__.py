"""Benchmarks: a deterministic workspace at three scales (``bench.generate``) and the timing
run that compares the product with bare DuckDB and with naive pandas (``bench.run``)."""
