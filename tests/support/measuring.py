"""Time and peak memory of a block of code."""

from __future__ import annotations

import time
from pathlib import Path


def peak_rss_reset() -> bool:
    """Reset the kernel's peak resident size of this process (VmHWM); False where not allowed.

    Memory freed earlier but still held by the allocator would hide the next allocation, so it
    is handed back to the kernel first."""
    import ctypes
    import gc

    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmHWM")


class Measured:
    """Elapsed seconds and peak memory growth (MB) of what runs inside the block."""

    def __enter__(self):
        import resource

        self._exact = peak_rss_reset()
        self._base = peak_rss_mb() if self._exact else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self._started = time.perf_counter()
        return self

    def __exit__(self, *exc):
        import resource

        self.seconds = time.perf_counter() - self._started
        peak = peak_rss_mb() if self._exact else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self.grown_mb = peak - self._base
        return False
