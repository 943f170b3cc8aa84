"""Benchmarks: figures for people to read, never assertions (see bench/README.md)."""
