"""What bench/load_bench.py prints once every phase has run: requests/s, p50/p99 and the
2-worker/1-worker ratios; CPU ms per request per component with the ratio the machine's cores
could give at best; how busy the workers were and the context switches per request
(docs/performance.md, "The 2-worker/1-worker gap")."""

from __future__ import annotations

from typing import Any

from _cpu import CORES, CpuUse


def report(results: dict[int, list[Any]], cpu: dict[int, list[CpuUse]]) -> None:
    print(f"{'workers':>7} {'phase':32} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>6}")
    for count, phases in results.items():
        for phase in phases:
            print(
                f"{count:>7} {phase.name:32} {phase.rate:8.1f} {phase.percentile(0.5):8.1f}"
                f" {phase.percentile(0.99):8.1f} {phase.errors:>6}"
            )
    for i, name in enumerate(("spread", "hot dossier")):
        ratio = results[2][i].rate / results[1][i].rate
        print(f"2-worker/1-worker ratio ({name}): {ratio:.2f}x  (target >= 1.6x)")
    for count in (1, 2):
        p99 = results[count][2].percentile(0.99)
        print(f"p99 at half the peak rate, {count} worker(s): {p99:.1f} ms  (target <= 100 ms)")
    report_cpu(results, cpu)


def report_cpu(results: dict[int, list[Any]], cpu: dict[int, list[CpuUse]]) -> None:
    """CPU ms per request per component, and the 2-worker/1-worker ratio the machine's cores
    could give at best: all cores busy with this phase's CPU per request (ours, not other),
    divided by the 1-worker rate."""
    names = list(next(iter(cpu.values()))[0].seconds)
    print(f"CPU ms per request ({CORES} cores; 'other' is the rest of the machine):")
    print(f"{'workers':>7} {'phase':32} " + " ".join(f"{n[:14]:>14}" for n in names) + "  ours")
    for count, uses in cpu.items():
        for phase, use in zip(results[count], uses, strict=True):
            n = phase.rate * use.wall  # requests answered in the measured wall time
            cells = " ".join(f"{use.seconds[k] / n * 1e3:14.2f}" for k in names)
            print(f"{count:>7} {phase.name:32} {cells} {use.ours / n * 1e3:5.2f}")
    report_switches(results, cpu)
    for i, name in enumerate(("spread", "hot dossier")):
        for count in (1, 2):
            use, phase = cpu[count][i], results[count][i]
            per_request = use.ours / (phase.rate * use.wall)
            best = CORES / per_request
            print(
                f"{name}, CPU of {count} worker(s): at most {best:.0f} req/s on {CORES} cores"
                f" = {best / results[1][i].rate:.2f}x the 1-worker rate"
                f" (cores busy: ours {use.ours / use.wall:.2f}, other"
                f" {use.seconds['other'] / use.wall:.2f})"
            )
        # The reference deployment: PostgreSQL, nginx and the load elsewhere, the cores the
        # workers' own (docs/deploy.md, "What the 2/1 ratio can be on one 2-core machine").
        use, phase = cpu[2][i], results[2][i]
        alone = CORES / (use.seconds["rugzak workers"] / (phase.rate * use.wall))
        print(
            f"{name}, the workers alone on the {CORES} cores at the 2-worker cost: at most"
            f" {alone:.0f} req/s = {alone / results[1][i].rate:.2f}x the 1-worker rate"
        )


def report_switches(results: dict[int, list[Any]], cpu: dict[int, list[CpuUse]]) -> None:
    """How busy the workers were (cores; 1.00 is one worker saturated) and the context
    switches per request: the machine's, and each component's voluntary (waits) and
    involuntary (preempted while running: a core was wanted by someone else)."""
    print("Workers' cores busy, and context switches per request (voluntary / involuntary):")
    names = ("rugzak workers", "postgresql", "nginx")
    head = " ".join(f"{n[:16]:>16}" for n in names)
    print(f"{'workers':>7} {'phase':32} {'worker cores':>12} {'machine':>8} {head}")
    for count, uses in cpu.items():
        for phase, use in zip(results[count], uses, strict=True):
            n = phase.rate * use.wall
            busy = use.seconds["rugzak workers"] / use.wall
            per = {k: v / n for k, v in use.switches.items()}
            cells = " ".join(
                f"{per[f'{k} voluntary']:7.1f} /{per[f'{k} involuntary']:6.2f}" for k in names
            )
            print(f"{count:>7} {phase.name:32} {busy:12.2f} {per['machine']:8.1f} {cells}")
