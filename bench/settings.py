"""What every benchmark's app runs with: keys of its own (with PostgreSQL the app refuses the
public development keys) and no per-employee check-in limit (a benchmark's phones check in far
more often than people do). Set in the environment before anything imports checkin: its Config
reads the environment once, at import."""

import os

BENCH_BIOMETRIC_KEY = "YmVuY2htYXJrcy1vbmx5LWJpb21ldHJpYy1rZXktMDE="  # a Fernet key (base64 of 32 bytes)


def use_bench_settings(secret: str) -> dict:
    """Put the settings into this process's environment (child processes inherit them); returns them."""
    settings = {"SECRET_KEY": secret, "BIOMETRIC_KEYS": BENCH_BIOMETRIC_KEY, "CHECKIN_RATE_LIMIT": "1000000 per minute"}
    os.environ.update(settings)
    return settings
