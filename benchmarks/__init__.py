"""Benchmarks for netcheck (issue #3): a synthetic AWS estate generator and a runner.

- `benchmarks.generate`: a seeded generator of `aws ec2 describe-*` JSON snapshot folders.
- `benchmarks.references`: plain-JSON checks that every id a generated file mentions exists.
- `benchmarks.run`: times json.load, `load_snapshot`, compile and warm queries per size.

See docs/performance.md for the measured results.
"""
