"""Read a TEST_TIMELINE file (tests/conftest.py): how busy the test workers were over the
run, and which tests were still running when the others had finished.

    TEST_TIMELINE=/tmp/timeline.tsv scripts/test
    python -m devtools.timeline /tmp/timeline.tsv
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path


def read(path: Path) -> list[tuple[str, float, float, str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        worker, start, end, nodeid = line.split("\t", 3)
        rows.append((worker, float(start), float(end), nodeid))
    return rows


def report(rows: list[tuple[str, float, float, str]], *, buckets: int = 20, top: int = 15) -> str:
    if not rows:
        return "no tests in the timeline"
    begin = min(r[1] for r in rows)
    finish = max(r[2] for r in rows)
    span = finish - begin
    workers = sorted({r[0] for r in rows})
    lines = [f"{len(rows)} tests on {len(workers)} workers in {span:.0f} s"]
    ends: defaultdict[str, float] = defaultdict(float)
    busy: defaultdict[str, float] = defaultdict(float)
    for worker, start, end, _ in rows:
        ends[worker] = max(ends[worker], end)
        busy[worker] += end - start
    for worker in workers:
        lines.append(f"  {worker}: busy {busy[worker]:.0f} s, done at {ends[worker] - begin:.0f} s")
    lines.append("busy workers over the run:")
    width = span / buckets
    for i in range(buckets):
        lo, hi = begin + i * width, begin + (i + 1) * width
        overlap = sum(max(0.0, min(hi, e) - max(lo, s)) for _, s, e, _ in rows)
        lines.append(f"  {i * width:6.0f}-{(i + 1) * width:6.0f} s  {overlap / width:4.1f}")
    first_done = min(ends.values())
    lines.append(f"running after the first worker finished ({first_done - begin:.0f} s):")
    tail = sorted((r for r in rows if r[2] > first_done), key=lambda r: r[1])
    for worker, start, end, nodeid in tail[:top]:
        lines.append(f"  {worker} {start - begin:6.0f}-{end - begin:6.0f} s {nodeid}")
    lines.append("longest tests:")
    for worker, start, end, nodeid in sorted(rows, key=lambda r: r[1] - r[2])[:top]:
        lines.append(f"  {end - start:6.1f} s {worker} {nodeid}")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    print(report(read(Path(argv[0]))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
