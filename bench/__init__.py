"""The benchmark harness behind `make bench` (docs/performance.md): data, server, load, floors, report."""
