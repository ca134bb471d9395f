#!/usr/bin/env python3
"""The ring-3 syscall fuzzer and the IPC soak test, booted in QEMU (docs/reliability.md).

  tools/fuzz.py --build build                       # what ./check runs: 5 seeds + a short soak
  tools/fuzz.py --build build --long                # 10^6 fuzzed calls and 10^6 soak round trips
  tools/fuzz.py --build build --seed 7 --calls 20000 --trace 12000   # replay one seed

Each seed boots its own ISO: init, echo and the fuzzer (test/fuzz), whose manifest args
carry the seed, so a seed replays the same calls. A seed fails on a kernel panic or CPU
exception in ring 0, a reset or triple fault (QEMU exits without isa-debug-exit), a hang
(timeout), init reporting a fault (the fuzzer supervises its own faulting children, so init
never should), or the fuzzer's own checks (echo and init still answer, registers and RFLAGS
preserved, every deliberate fault reported, tasks and threads back to their baseline).
On failure it prints the seed, the last calls and the serial log; when the kernel died, it
boots the seed again with tracing from the last progress mark to show the calls before it.
"""
import argparse
import pathlib
import re
import sys
import tempfile
import time

TOOLS = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(TOOLS))
import qemu  # noqa: E402
import test_verdict  # noqa: E402
import variant_iso  # noqa: E402

DEFAULT_SEEDS = [1, 2, 3, 4, 5]
DEFAULT_CALLS = 20000
DEFAULT_TRIPS = 100000
LONG_CALLS = 200000  # per seed: 5 seeds = 10^6 calls
LONG_TRIPS = 1000000
BOOT_SECONDS = 30
MEMORY = "128M"
SERIAL_TAIL_LINES = 300

KERNEL_DIED = [
    (re.compile(r"\*\*\* KERNEL PANIC"), "kernel panic"),
    (re.compile(r"\*\*\* CPU exception"), "CPU exception in ring 0"),
    (re.compile(r"^System (halted|rebooting)", re.MULTILINE), "the system halted or rebooted"),
]
INIT_SAW_FAULT = re.compile(r"^init: .* faulted: .*$", re.MULTILINE)


def paths(args):
    build = pathlib.Path(args.build)
    source = TOOLS.parent
    return {
        "kernel": args.kernel or build / "kernel/kernel.elf",
        "grub_cfg": args.grub_cfg or source / "boot/grub.cfg",
        "init": args.init or build / "servers/init/init.elf",
        "echo": args.echo or build / "servers/echo/echo.elf",
        "fuzz": args.fuzz or build / "test/fuzz/fuzz.elf",
        "child": args.child or build / "test/fuzz/fuzz-child.elf",
        "soak": args.soak or build / "test/fuzz/soak.elf",
        "manifest_tool": args.manifest_tool or variant_iso.manifest_tool_of(build),
    }


def fuzz_iso(args, files, workdir, seed, calls, trace=None):
    words = [f"seed={seed}", f"calls={calls}"]
    if trace is not None:
        words.append(f"trace={trace}")
    if args.nt:
        words.append("nt=1")
    lines = ["server echo priority=8",
             # frames= at its maximum: the exhaustion mix runs the machine out of its last
             # frame, not just out of the fuzzer's quota (quota_* tests cover that).
             "server fuzz priority=8 ports=0xf4:1,0x80:1 irqs=5 modules=fuzz_child frames=1048576 args="
             + ",".join(words)]
    modules = [f"{files['init']}:init", f"{files['echo']}:echo", f"{files['fuzz']}:fuzz",
               f"{files['child']}:fuzz_child"]
    name = f"fuzz-{seed}" + (f"-trace{trace}" if trace is not None else "")
    return variant_iso.build_iso(f"{workdir}/{name}.iso", files["kernel"], files["grub_cfg"],
                                 modules, lines, files["manifest_tool"], args.grub_mkrescue)


def soak_iso(args, files, workdir, trips):
    lines = ["server echo priority=8", f"server soak priority=8 ports=0xf4:1 args=trips={trips}"]
    modules = [f"{files['init']}:init", f"{files['echo']}:echo", f"{files['soak']}:soak"]
    return variant_iso.build_iso(f"{workdir}/soak.iso", files["kernel"], files["grub_cfg"],
                                 modules, lines, files["manifest_tool"], args.grub_mkrescue)


def boot(iso, timeout, memory=MEMORY):
    """Returns (QEMU exit code, or None if it was stopped: timeout or a halted kernel,
    serial log, seconds)."""
    run = qemu.QemuRun(iso, memory=memory).start()
    try:
        deadline = time.monotonic() + timeout
        code = None
        while time.monotonic() < deadline:
            code = run.process.poll()
            if code is not None:
                break
            # A halted kernel never leaves QEMU: stop as soon as it says so.
            if "System halted." in run.serial():
                time.sleep(0.5)
                break
            time.sleep(0.2)
        run.kill()
        return code, run.serial(), time.monotonic() - run.start_time
    finally:
        run.close()


def problems_in(code, log, pass_line):
    problems = []
    for pattern, what in KERNEL_DIED:
        if pattern.search(log):
            problems.append(what)
    for line in INIT_SAW_FAULT.findall(log):
        problems.append(f"init reported a fault: {line.strip()}")
    if code is None and not any(pattern.search(log) for pattern, _ in KERNEL_DIED):
        problems.append("timed out (hang)")
    elif code != qemu.EXIT_SUCCESS:
        problems.append(f"QEMU exit code {code}" + (" (triple fault or reset)" if code == 0 else ""))
    if code == qemu.EXIT_SUCCESS and not re.search(pass_line, log, re.MULTILINE):
        problems.append("no pass line")
    return problems


def save_log(args, name, log):
    if args.logs:
        directory = pathlib.Path(args.logs)
        directory.mkdir(parents=True, exist_ok=True)
        (directory / f"{name}.log").write_text(log)


def tail(log, lines=SERIAL_TAIL_LINES):
    split = log.splitlines()
    skipped = len(split) - lines
    head = [f"... ({skipped} earlier lines)"] if skipped > 0 else []
    return "\n".join(head + split[-lines:])


def run_seed(args, files, workdir, seed, calls):
    """Returns (passed, summary)."""
    iso = fuzz_iso(args, files, workdir, seed, calls, args.trace)
    timeout = BOOT_SECONDS + calls * args.seconds_per_call
    code, log, seconds = boot(iso, timeout, args.memory)
    save_log(args, f"fuzz-{seed}", log)
    problems = problems_in(code, log, rf"^FUZZ PASS seed={seed} ")
    for line in re.findall(r"^FUZZ (?:figures|faults|statuses|exhaust|leak) .*$", log, re.MULTILINE):
        print(f"  {line}")
    if not problems:
        return True, f"seed {seed}: {calls} calls in {seconds:.1f} s"
    print(f"---- seed {seed}: serial log (last {SERIAL_TAIL_LINES} lines) ----")
    print(tail(log))
    print("----")
    print(f"FAILED seed {seed}: {'; '.join(problems)}")
    last_calls = re.findall(r"^FUZZ LAST .*$", log, re.MULTILINE)
    if last_calls:
        print(f"last calls of seed {seed}:")
        print("\n".join(last_calls))
    elif args.trace is None and not args.no_replay:
        # The fuzzer could not print its ring (the kernel or the machine died): boot the
        # seed again printing every call from the last progress mark on.
        marks = [int(m) for m in re.findall(rf"^FUZZ progress seed={seed} calls=(\d+)", log,
                                            re.MULTILINE)]
        start = marks[-1] if marks else 0
        print(f"replaying seed {seed} with trace={start} to show the calls before the failure")
        replay = fuzz_iso(args, files, workdir, seed, calls, start)
        code2, log2, _ = boot(replay, timeout, args.memory)
        traced = re.findall(r"^FUZZ (?:CALL|  ->) .*$", log2, re.MULTILINE)
        print("\n".join(traced[-2 * 40:]))
        again = problems_in(code2, log2, rf"^FUZZ PASS seed={seed} ")
        print(f"replay: {'; '.join(again) if again else 'passed (the failure did not repeat)'}")
        if again:
            print("---- replay serial log (tail) ----")
            print(tail(log2, 60))
    print(f"replay: tools/fuzz.py --build {args.build} --seed {seed} --calls {calls}"
          f" --trace N{' --nt' if args.nt else ''}")
    return False, f"seed {seed}: {'; '.join(problems)}"


def run_soak(args, files, workdir, trips):
    iso = soak_iso(args, files, workdir, trips)
    timeout = BOOT_SECONDS + trips * args.seconds_per_trip
    code, log, seconds = boot(iso, timeout, args.memory)
    save_log(args, "soak", log)
    problems = problems_in(code, log, r"^SOAK PASS ")
    for line in re.findall(r"^SOAK (?:figures|PASS|FAIL).*$", log, re.MULTILINE):
        print(f"  {line}")
    if not problems:
        return True, f"soak: {trips} round trips in {seconds:.1f} s"
    print("---- soak: serial log ----")
    print(tail(log))
    print(f"FAILED soak: {'; '.join(problems)}")
    return False, f"soak: {'; '.join(problems)}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", default="build")
    for name in ("kernel", "grub-cfg", "init", "echo", "fuzz", "child", "soak", "manifest-tool"):
        parser.add_argument(f"--{name}", help=f"path of the {name} file (default: from --build)")
    parser.add_argument("--grub-mkrescue", default="grub-mkrescue")
    parser.add_argument("--seeds", default=",".join(map(str, DEFAULT_SEEDS)))
    parser.add_argument("--seed", type=int, help="run only this seed (a replay)")
    parser.add_argument("--calls", type=int, help="calls per seed")
    parser.add_argument("--trace", type=int, help="print every call from this call number on")
    parser.add_argument("--no-nt", dest="nt", action="store_false",
                        help="leave RFLAGS.NT out of the random flags (it is in by default)")
    parser.add_argument("--trips", type=int, help="soak round trips")
    parser.add_argument("--long", action="store_true",
                        help=f"{LONG_CALLS} calls per seed and {LONG_TRIPS} soak round trips")
    parser.add_argument("--no-fuzz", action="store_true")
    parser.add_argument("--no-soak", action="store_true")
    parser.add_argument("--no-replay", action="store_true")
    parser.add_argument("--seconds-per-call", type=float, default=0.004,
                        help="timeout budget per call, on top of the boot")
    parser.add_argument("--seconds-per-trip", type=float, default=0.0002)
    parser.add_argument("--memory", default=MEMORY, help=f"guest RAM (default {MEMORY})")
    parser.add_argument("--logs", help="keep each boot's serial log in this directory")
    parser.add_argument("--name", default="fuzz", help="name of the BM_RESULTS_DIR report")
    args = parser.parse_args()

    files = paths(args)
    seeds = [args.seed] if args.seed is not None else [int(s) for s in args.seeds.split(",") if s]
    calls = args.calls or (LONG_CALLS if args.long else DEFAULT_CALLS)
    trips = args.trips or (LONG_TRIPS if args.long else DEFAULT_TRIPS)
    if args.seed is not None:
        args.no_soak = True

    results = []
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="bm-fuzz-") as workdir:
        if not args.no_fuzz:
            for seed in seeds:
                results.append(run_seed(args, files, workdir, seed, calls))
                print(("PASS " if results[-1][0] else "FAIL ") + results[-1][1], flush=True)
        if not args.no_soak:
            results.append(run_soak(args, files, workdir, trips))
            print(("PASS " if results[-1][0] else "FAIL ") + results[-1][1], flush=True)
    passed = sum(1 for ok, _ in results if ok)
    failed = len(results) - passed
    fuzzed = 0 if args.no_fuzz else calls * len(seeds)
    print(f"fuzz: {fuzzed} calls over {0 if args.no_fuzz else len(seeds)} seeds; "
          f"{passed} passed, {failed} failed ({time.monotonic() - started:.0f} s)")
    test_verdict.write_report(args.name, passed, failed)
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
