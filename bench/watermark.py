"""What does the watermark cost a grantee's CSV download of grade-3 data?

A CSV of --rows rows (default 500,000; about 40 MB, Chinese text, one quoted field with a line
break in every hundredth row) is passed through in 64 KB chunks, as a download streams it:

* baseline: the chunks joined as they arrive (what an unmarked download does in Python);
* ours: ``access.watermark.marked_text``, which decodes, parses, adds the ``_watermark`` column
  and encodes again.

Medians of --rounds runs each, alternated; prints MB/s of both and the ratio. No services needed:

    .venv/bin/python bench/watermark.py --rows 200000
"""
from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Iterator

CHUNK = 64 * 1024


def _content(rows: int) -> bytes:
    lines = ["统一社会信用代码,单位名称,金额,备注"]
    for number in range(rows):
        note = '"两行\n备注"' if number % 100 == 0 else "正常"
        lines.append(f"91330600MA2BC{number:05d},绍兴市第{number}号企业,{number * 37 % 100000},{note}")
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def _chunks(content: bytes) -> Iterator[bytes]:
    for start in range(0, len(content), CHUNK):
        yield content[start:start + CHUNK]


def main() -> None:
    from ckanext.govdata.access import watermark

    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=500_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    content = _content(args.rows)
    text = "授权使用 Licensed to applicant | 授权编号 Grant 0f8fad5b-d9cb-469f-a165-70867728950e | 2026-12-04"
    baseline, ours = [], []
    for _ in range(args.rounds):
        started = time.perf_counter()
        plain = b"".join(_chunks(content))
        baseline.append(time.perf_counter() - started)
        started = time.perf_counter()
        marked = b"".join(watermark.marked_text(_chunks(content), text))
        ours.append(time.perf_counter() - started)
    assert plain == content and marked.count(b"_watermark") == 1
    megabytes = len(content) / 1e6
    base, mine = statistics.median(baseline), statistics.median(ours)
    print(f"file: {megabytes:.1f} MB, {args.rows} rows; marked file {len(marked) / 1e6:.1f} MB")
    print(f"baseline (pass-through): {base:.3f} s ({megabytes / base:.0f} MB/s)")
    print(f"ours (watermarked):      {mine:.3f} s ({megabytes / mine:.1f} MB/s)")
    print(f"ratio ours / baseline:   {mine / base:.0f}")


if __name__ == "__main__":
    main()
