"""CasePilot's evaluation set on the loaded data: the share answered right by kind, p50/p95 time.

    .venv/bin/python bench/casepilot.py [--rounds 3] [--show-wrong]

Run it against a database with the full code sets and the fee schedules imported (the
README's `import_codes` lines); with the demo codes alone it runs the demo items. Answers
are offline (no language model), through the same function the pages use after the
privacy guard; times are per answer, in-process, with DEBUG off. The first round warms the
process's caches and is not timed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "codeahead.settings")
os.environ["DEBUG"] = "0"
os.environ.setdefault("SECRET_KEY", "bench-only-" + os.urandom(24).hex())
os.environ["CASEPILOT_LLM_URL"] = ""  # offline figures


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds after one warm-up round")
    parser.add_argument("--show-wrong", action="store_true", help="print what each wrong answer lacked")
    options = parser.parse_args()

    import django

    django.setup()
    from casepilot.evaluation import full_data_loaded, items_for, run

    full = full_data_loaded()
    items = items_for(full_data=full)
    run(items, full_data=full)  # warm-up
    times: list[float] = []
    last = []
    for _ in range(max(1, options.rounds)):
        last = run(items, full_data=full)
        times += [outcome.seconds * 1000 for outcome in last]

    by_kind: dict[str, list[bool]] = defaultdict(list)
    for outcome in last:
        by_kind[outcome.item.kind].append(outcome.right)
    print(f"CasePilot evaluation on {'the full data' if full else 'the demo data'}: {len(items)} questions")
    print(f"{'kind':<18}{'right':>8}{'of':>5}{'share':>9}")
    for kind, results in sorted(by_kind.items()):
        print(f"{kind:<18}{sum(results):>8}{len(results):>5}{sum(results) / len(results):>9.0%}")
    right = sum(o.right for o in last)
    print(f"{'all':<18}{right:>8}{len(last):>5}{right / len(last):>9.0%}")
    print(
        f"answer time over {len(times)} answers: p50 {statistics.median(times):.1f} ms, "
        f"p95 {percentile(times, 0.95):.1f} ms, max {max(times):.1f} ms"
    )
    if options.show_wrong:
        for outcome in last:
            if not outcome.right:
                print(f"WRONG {outcome.item.question[:70]!r}: {'; '.join(outcome.problems)}")


if __name__ == "__main__":
    main()
