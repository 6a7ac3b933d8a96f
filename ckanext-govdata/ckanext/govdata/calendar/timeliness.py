"""How timely a department answers, one rule for every time-limited workflow (access requests,
data demands, error reports, rectification of bad ratings): the on-time rate is the items answered
by their deadline over the items answered plus those still open past it, so an item left overdue
counts against the department as a late answer does."""
from __future__ import annotations

from collections.abc import Sequence


def on_time_rate(on_time: int, due: int) -> float | None:
    """``on_time`` over ``due`` (answered, plus open past the deadline); None before the first."""
    return round(on_time / due, 4) if due else None


def mean_days(days: Sequence[int]) -> float | None:
    """The mean of working days taken, to one decimal; None before the first answer."""
    return round(sum(days) / len(days), 1) if days else None
