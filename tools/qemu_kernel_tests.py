#!/usr/bin/env python3
"""Runs the in-QEMU kernel test image and checks its verdict.

Pass means: QEMU left through isa-debug-exit with 33, the image said how
many cases it registered ("... tests: N registered"), and every one of them
printed PASS. A hang (timeout), a triple fault (QEMU exits on its own because
of -no-reboot), any FAIL line, or fewer finished cases than registered fails
the run, and the whole serial log is printed.
"""
import argparse
import sys

import qemu
import test_verdict


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
    parser.add_argument("--expect-line", action="append", default=[],
                        help="a line the serial log must contain (the run's configuration "
                             "took effect), checked like a test case")
    args = parser.parse_args()

    extra = ["-cpu", args.cpu] if args.cpu else []
    run = qemu.QemuRun(args.iso, memory=args.memory, extra_args=extra,
                       icount=args.icount).start()
    try:
        code = run.wait_exit(args.timeout)
        log = run.serial()
    finally:
        run.close()

    verdict = test_verdict.judge(log, code, args.timeout)
    for line in args.expect_line:
        verdict.registered += 1  # one more case, so it cannot stand in for an unfinished one
        (verdict.passed if line in log else verdict.failed).append(f"log-has:{line}")
    for name in verdict.passed:
        print(f"PASS {name}")
    for name in verdict.failed:
        print(f"FAIL {name}")
    if not verdict.ok:
        print("---- serial log ----")
        print(log)
        print("--------------------")
        for problem in verdict.problems:
            print(f"error: {problem}")

    test_verdict.write_report(args.name, len(verdict.passed), verdict.failure_count(),
                              registered=verdict.registered)
    return 0 if verdict.ok else 1


if __name__ == "__main__":
    sys.exit(main())
