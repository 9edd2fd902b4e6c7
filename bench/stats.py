"""Small statistics for repeated timings: median with the spread, and percentiles."""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable, Sequence
from typing import Any


def percentile(samples: Sequence[float], fraction: float) -> float:
    """The ``fraction`` percentile (0..1) by linear interpolation between ranks."""
    if not samples:
        return math.nan
    ordered = sorted(samples)
    rank = fraction * (len(ordered) - 1)
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def summary(samples: Sequence[float], *, digits: int = 2) -> dict[str, Any]:
    """Median, spread (min, max, interquartile range), p95 and count of the samples."""
    if not samples:
        return {"median": None, "min": None, "max": None, "iqr": None, "p95": None, "n": 0}
    return {
        "median": round(statistics.median(samples), digits),
        "min": round(min(samples), digits),
        "max": round(max(samples), digits),
        "iqr": round(percentile(samples, 0.75) - percentile(samples, 0.25), digits),
        "p95": round(percentile(samples, 0.95), digits),
        "n": len(samples),
    }


def timed_ms(action: Callable[[], object]) -> tuple[float, object]:
    """Run ``action`` once; return (milliseconds, its result)."""
    start = time.perf_counter()
    result = action()
    return (time.perf_counter() - start) * 1000.0, result


def ratio(value: float | None, floor: float | None) -> float | None:
    """value / floor, rounded; None when either is missing or the floor is zero."""
    if value is None or floor is None or floor <= 0:
        return None
    return round(value / floor, 2)
