"""Measuring harness for Pasar Daring's buyer pages (see bench/README.md)."""
