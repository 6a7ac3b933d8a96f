"""Pass rates (质检合格率): values passing over values checked, summed over results."""
from __future__ import annotations

import dataclasses
from typing import Any


def rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


@dataclasses.dataclass
class Tally:
    checked: int = 0
    failed: int = 0

    def add(self, checked: int, failed: int) -> None:
        self.checked += checked
        self.failed += failed

    def rate(self) -> float | None:
        return rate(self.checked - self.failed, self.checked)

    def as_dict(self, target: float | None = None) -> dict[str, Any]:
        found: dict[str, Any] = {"checked": self.checked, "failed": self.failed, "pass_rate": self.rate()}
        if target is not None:
            pass_rate = self.rate()
            found["meets_target"] = pass_rate is not None and pass_rate >= target
        return found
