"""Helpers the tests share: plain modules that test modules import (the fixtures stay in the fixture files)."""
