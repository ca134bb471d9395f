#!/usr/bin/env python3
"""Runs the in-QEMU kernel test image and checks its verdict.

Pass means: QEMU left through isa-debug-exit with 33, the image said how
many cases it registered ("... tests: N registered"), and every one of them
printed PASS. A hang (timeout), a triple fault (QEMU exits on its own because
of -no-reboot), any FAIL line, or fewer finished cases than registered fails
the run, and the whole serial log is printed.
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
    parser.add_argument("--icount", action="store_true",
                        help="run under -icount, so guest time follows executed instructions "
                             "and the timer cases do not depend on how busy the host is")
    args = parser.parse_args()

    extra = ["-cpu", args.cpu] if args.cpu else []
    run = qemu.QemuRun(args.iso, memory=args.memory, extra_args=extra,
                       icount=args.icount).start()
    try:
        code = run.wait_exit(args.timeout)
        log = run.serial()
    finally:
        run.close()

    passed = re.findall(r"^PASS (\S+)", log, re.MULTILINE)
    failed = re.findall(r"^FAIL (\S+)", log, re.MULTILINE)
    started = re.findall(r"^RUN  (\S+)", log, re.MULTILINE)
    announced = re.search(r"^\w+ tests: (\d+) registered", log, re.MULTILINE)
    registered = int(announced.group(1)) if announced else None
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
    # Cases that vanished (a runner that stopped early, a scheduler bug that
    # lost a thread) count as failures, never as a smaller total.
    if registered is None:
        problems.append("the image did not say how many cases it registered")
        registered = len(passed) + len(failed_names)
    never_ran = registered - len(passed) - len(failed_names)
    if never_ran > 0:
        problems.append(f"{never_ran} of {registered} registered cases never finished")

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
        failures = len(failed_names) + max(never_ran, 0)
        if problems and failures == 0:
            failures = 1
        path.write_text(json.dumps({"registered": registered, "passed": len(passed),
                                    "failed": failures}))
    return 0 if not problems and not failed_names else 1


if __name__ == "__main__":
    sys.exit(main())
