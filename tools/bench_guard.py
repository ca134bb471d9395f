#!/usr/bin/env python3
"""Guards the guest-instruction figures of tools/bench.

Under QEMU's -icount the TSC advances once per guest instruction, so these
figures are deterministic: the same build gives the same counts on any host,
busy or not. This test measures them (the core's system calls and IPC, an
interrupt to its driver, a keystroke to the screen, malloc + free through
memd, the boot's work from the kernel's entry) and fails when one
exceeds its ceiling by more than 5 %.

Each figure's ceiling is its goal (issue 12, docs/performance.md) where the
code meets it. Where it does not yet, the ceiling is the figure the code
reached, marked "interim": the test still catches a regression, and the
ceiling comes down to the goal when the work that meets it lands. Wall-clock
figures (boot ratios) and the host allocator ratios stay in tools/bench:
on a shared machine they are noise, not a test.

The boot's goal is such a ratio, so the boot is guarded by budgets instead: the
exact quantities its wall time follows, each ceiling the figure a reviewed
change reached. They are the guest instructions from the kernel's entry to its
ready line and to the shell's prompt, and the bytes GRUB reads from the ISO
(under QEMU's emulated CD about 0.08-0.1 ms a KB, docs/performance.md). A change
that grows the boot by more than 5 % fails here until it raises the budget,
where a reviewer sees it.

  tools/bench_guard.py --build build
"""
import argparse
import dataclasses
import importlib.machinery
import importlib.util
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import test_verdict  # noqa: E402

TOLERANCE = 1.05


@dataclasses.dataclass(frozen=True)
class Ceiling:
    goal: int
    interim: int = 0  # the figure reached so far, while it is above the goal

    def limit(self):
        return int((self.interim or self.goal) * TOLERANCE)

    def describe(self):
        status = "interim" if self.interim else "goal"
        return f"{status} {self.interim or self.goal} + 5 %; goal {self.goal}"


@dataclasses.dataclass(frozen=True)
class Budget:
    """A ceiling with no goal in its unit behind it: the figure a reviewed change reached."""
    reached: int

    def limit(self):
        return int(self.reached * TOLERANCE)

    def describe(self):
        return f"budget {self.reached} + 5 %"


CORE = {
    "null_syscall": Ceiling(goal=60),
    "ipc_round_trip_raw": Ceiling(goal=400),
    "ipc_round_trip": Ceiling(goal=450),
    "ipc_round_trip_512": Ceiling(goal=1500),
    "notification_wakeup": Ceiling(goal=300),
    # Not in the table: the driver's case of the same goal (the signal switches).
    "notification_to_higher": Ceiling(goal=300),
    "context_switch": Ceiling(goal=200),
    "irq_to_driver": Ceiling(goal=1000),
}
KEYSTROKE = Ceiling(goal=3500)
MALLOC_FREE_SIZES = (16, 64, 256)  # the goal covers small blocks
MALLOC_FREE = {
    "bump": Ceiling(goal=1000),
    "linked_list": Ceiling(goal=1000),
    "fixed_block": Ceiling(goal=1000),
}
# The figures of the night of 2026-12-02 (docs/performance.md, "The boot's budgets").
BOOT_INSTRUCTIONS = {
    "kernel_entry_to_ready": Budget(reached=423_763),
    "kernel_entry_to_prompt": Budget(reached=5_692_186),
}
BOOT_BYTES = Budget(reached=562_554)  # kernel 119 592 + modules 442 962, BIOS boot


def load_bench():
    path = pathlib.Path(__file__).resolve().parent / "bench"
    loader = importlib.machinery.SourceFileLoader("bench", str(path))
    spec = importlib.util.spec_from_loader("bench", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def check(name, value, ceiling, passed, failed, unit="instructions"):
    line = f"{name}: {value} {unit}, ceiling {ceiling.limit()} ({ceiling.describe()})"
    if value is not None and value <= ceiling.limit():
        passed.append(name)
        print(f"PASS {line}")
    else:
        failed.append(name)
        print(f"FAIL {line}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", default="build")
    args = parser.parse_args()
    build = pathlib.Path(args.build).resolve()
    bench = load_bench()
    passed, failed = [], []

    core = bench.core_figures(build)
    for name, ceiling in CORE.items():
        check(name, core.get(name), ceiling, passed, failed)

    keystroke = bench.keystroke_figures(build)
    if keystroke is None:
        print("FAIL keystroke_to_echo: this build has no shell or no vga server")
        failed.append("keystroke_to_echo")
    else:
        check("keystroke_to_echo", keystroke["keystroke_to_echo"], KEYSTROKE, passed, failed)

    memd = (bench.memd_figures(build) or {}).get("pairs", {})
    for policy, ceiling in MALLOC_FREE.items():
        for size in MALLOC_FREE_SIZES:
            check(f"malloc_free_{policy}_{size}", memd.get(policy, {}).get(size), ceiling,
                  passed, failed)

    boot = bench.boot_instructions(build)
    for name, budget in BOOT_INSTRUCTIONS.items():
        check(name, boot.get(name), budget, passed, failed)
    kernel_bytes, module_bytes, _ = bench.bios_boot_files(build / "baremetal.iso")
    check("bios_boot_bytes", kernel_bytes + module_bytes, BOOT_BYTES, passed, failed, unit="bytes")

    test_verdict.write_report("bench-guard", len(passed), len(failed))
    print(f"{len(passed)} passed, {len(failed)} failed")
    return 0 if not failed else 1


if __name__ == "__main__":
    sys.exit(main())
