"""Benchmarks: each module's main() prints time, HTTP requests and memory next to a baseline."""
