"""Scale-out benchmark: the scenario of tests/support/scale_out.py with many conversations, then
its correctness problems, throughput and latency. Timings are printed, never asserted.

    python -m bench.scale_out --model models/doumi-<hash>.tar.gz [--conversations 50]
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from tests.support.scale_out import ADMIN_URL, REDIS_URL, run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", required=True, type=Path)
    parser.add_argument("--conversations", type=int, default=50)
    parser.add_argument(
        "--in-memory-locks",
        action="store_true",
        help="no Redis: each server locks only its own requests (to see why Redis is needed)",
    )
    parser.add_argument(
        "--port-base",
        type=int,
        default=int(os.environ.get("SCALE_PORT_BASE", 5100)),
        help="Rasa servers on this port and the next, action servers on the two after",
    )
    args = parser.parse_args()
    redis_url = None if args.in_memory_locks else REDIS_URL
    print(
        f"two Rasa servers (ports {args.port_base}, {args.port_base + 1}), two action servers, "
        f"PostgreSQL tracker store ({ADMIN_URL.rsplit('/', 1)[0]}/<fresh database>), "
        f"locks {'in memory' if args.in_memory_locks else f'in Redis ({REDIS_URL})'}; machine: {os.cpu_count()} cores",
        flush=True,
    )
    report = run(args.model, args.conversations, args.port_base, redis_url=redis_url)
    print(report.summary())
    sys.exit(1 if report.problems else 0)


if __name__ == "__main__":
    main()
