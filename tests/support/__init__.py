"""Helpers the tests share (plain modules, no fixtures: those live in the conftest.py files)."""
