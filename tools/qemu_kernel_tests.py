#!/usr/bin/env python3
"""Runs the in-QEMU kernel test image and checks its verdict.

Pass means: QEMU left through isa-debug-exit with 33, every case printed
PASS, and at least one case ran. A hang (timeout), a triple fault (QEMU
exits on its own because of -no-reboot) or any FAIL line fails the run, and
the whole serial log is printed.
"""
import argparse
import json
import re
import sys

import qemu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--iso", required=True)
    parser.add_argument("--memory", default="128M")
    parser.add_argument("--timeout", type=float, default=120)
    parser.add_argument("--name", default="kernel-tests")
    parser.add_argument("--cpu", help="QEMU CPU model, e.g. qemu64,+umip,+smep,+smap")
    args = parser.parse_args()

    extra = ["-cpu", args.cpu] if args.cpu else []
    run = qemu.QemuRun(args.iso, memory=args.memory, extra_args=extra).start()
    try:
        code = run.wait_exit(args.timeout)
        log = run.serial()
    finally:
        run.close()

    passed = re.findall(r"^PASS (\S+)", log, re.MULTILINE)
    failed = re.findall(r"^FAIL (\S+)", log, re.MULTILINE)
    started = re.findall(r"^RUN  (\S+)", log, re.MULTILINE)
    # A case that started but never finished crashed the kernel.
    crashed = [name for name in started if name not in passed and name not in failed]
    problems = []
    if code is None:
        problems.append(f"timed out after {args.timeout:.0f} s (hang?)")
    elif code != qemu.EXIT_SUCCESS:
        problems.append(f"QEMU exit code {code}, expected {qemu.EXIT_SUCCESS}"
                        + (" (triple fault or reset?)" if code == 0 else ""))
    if not passed and not failed:
        problems.append("no test case reported a result")
    failed_names = failed + crashed

    for name in passed:
        print(f"PASS {name}")
    for name in failed_names:
        print(f"FAIL {name}")
    if problems or failed_names:
        print("---- serial log ----")
        print(log)
        print("--------------------")
        for problem in problems:
            print(f"error: {problem}")

    path = qemu.results_path(args.name)
    if path:
        failures = len(failed_names) + (1 if problems and not failed_names else 0)
        path.write_text(json.dumps({"passed": len(passed), "failed": failures}))
    return 0 if not problems and not failed_names else 1


if __name__ == "__main__":
    sys.exit(main())
