#!/usr/bin/env python3
"""Programs run through init (ipc/programs.h) on a system with memd and echo: boots init, memd,
echo and test/e2e/program_launcher (a control=yes server holding the program images as boot
modules, as the shell will hold files it read), which runs hello, memdemo, fault and sleep and
prints a "PROGRAMS <name>: <how> <code> vector <n>" line for each; this script reads those
lines, the programs' own output and memd's, from COM1.
"""
import argparse
import re
import sys
import tempfile
import time

from cases import BOOT_TIMEOUT, qemu
import test_verdict  # tools/, which cases puts on the path
import variant_iso

RUN_TIMEOUT = 60
PROGRAMS = ("hello", "memdemo", "fault", "sleep")


def make_iso(args, workdir):
    lines = ["server memd priority=13 pool=1024 args=policy=fixed_block",
             "server echo priority=8",
             "server launcher priority=7 control=yes modules=" + ",".join(PROGRAMS)]
    modules = [f"{args.init}:init", f"{args.memd}:memd", f"{args.echo}:echo",
               f"{args.launcher}:launcher"]
    modules += [f"{path}:{name}" for name, path in zip(PROGRAMS, args.program)]
    return variant_iso.build_iso(f"{workdir}/programs.iso", args.kernel, args.grub_cfg, modules,
                                 lines, args.manifest_tool, args.grub_mkrescue)


def cases(log):
    """[(name, passed)] from the serial log."""
    def line(pattern):
        return re.search(pattern, log, re.MULTILINE) is not None

    return [
        ("hello prints its argument words", line(r"^hello from the launcher$")),
        ("hello exits 0", line(r"^PROGRAMS hello: exited 0 vector 0$")),
        ("memdemo's blocks come from memd and echo answers",
         line(r"^memdemo: \d+ blocks \(\d+ bytes\) from memd, 0 bad; 8 of 8 echo calls "
              r"correct: ok$")),
        ("memdemo exits 0", line(r"^PROGRAMS memdemo: exited 0 vector 0$")),
        ("memd takes a program's heap back when it ends",
         line(r"^memd: client \d{10,} ended: pool \d+ of \d+ pages used")),
        ("init reports a program's fault", line(r"^init: program fault \(task \d+\) faulted: "
                                                r"vector 0 ")),
        ("the starter hears of the fault", line(r"^PROGRAMS fault: faulted -1 vector 0$")),
        ("a bad argument is exit code 2", line(r"^usage: sleep MS") and
         line(r"^PROGRAMS sleep: exited 2 vector 0$")),
        ("list_programs shows a running program", line(r"^PROGRAMS listed: sleep running$")),
        ("kill ends it, and its wait says so", line(r"^PROGRAMS kill: ok$") and
         line(r"^PROGRAMS sleep: killed -1 vector 0$")),
        ("no server faulted or restarted", not line(r"^init: (memd|echo|launcher) faulted")),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--grub-mkrescue", default="grub-mkrescue")
    parser.add_argument("--kernel", required=True)
    parser.add_argument("--grub-cfg", required=True)
    parser.add_argument("--init", required=True)
    parser.add_argument("--memd", required=True)
    parser.add_argument("--echo", required=True)
    parser.add_argument("--launcher", required=True)
    parser.add_argument("--program", action="append", required=True,
                        help="the ELF of hello, memdemo, fault and sleep, in that order")
    parser.add_argument("--manifest-tool", required=True)
    args = parser.parse_args()
    if len(args.program) != len(PROGRAMS):
        parser.error(f"--program: {len(PROGRAMS)} needed ({', '.join(PROGRAMS)})")
    passed = failed = 0
    with tempfile.TemporaryDirectory(prefix="bm-programs-e2e-") as workdir:
        run = qemu.QemuRun(make_iso(args, workdir), memory="256M").start()
        try:
            deadline = time.monotonic() + BOOT_TIMEOUT + RUN_TIMEOUT
            while time.monotonic() < deadline and "PROGRAMS DONE" not in run.serial():
                if run.process.poll() is not None:
                    break
                time.sleep(0.2)
            log = run.serial()
        finally:
            run.close()
    results = cases(log)
    results.append(("the launcher finished", "PROGRAMS DONE" in log))
    for name, ok in results:
        if ok:
            passed += 1
            print(f"PASS {name}", flush=True)
        else:
            failed += 1
            print(f"FAIL {name}", flush=True)
    if failed:
        print("---- serial ----\n" + log)
    test_verdict.write_report("e2e-programs", passed, failed)
    print(f"program tests: {passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
