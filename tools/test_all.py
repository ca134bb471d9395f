#!/usr/bin/env python3
"""Runs every test layer through `meson test` and counts test cases, not
just test programs: GoogleTest reports through GTEST_OUTPUT JSON files, the
QEMU-based suites through BM_RESULTS_DIR. A program that crashed before
writing its report counts as one failed case, and a report that finished
fewer cases than it registered counts the missing ones as failed.

Prints one closing line: "N passed, N failed" (", N skipped" if any).
"""
import argparse
import json
import os
import pathlib
import shutil
import subprocess
import sys

import test_verdict


def gtest_counts(report):
    data = json.loads(report.read_text())
    passed = failed = skipped = 0
    for suite in data.get("testsuites", []):
        for case in suite.get("testsuite", []):
            if case.get("failures"):
                failed += 1
            elif case.get("result") == "SKIPPED" or case.get("status") == "NOTRUN":
                skipped += 1
            else:
                passed += 1
    return passed, failed, skipped


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--build", default="build")
    parser.add_argument("meson_args", nargs="*", help="extra arguments for meson test")
    args = parser.parse_args()

    build = pathlib.Path(args.build).resolve()
    results = build / "test-results"
    shutil.rmtree(results, ignore_errors=True)
    results.mkdir(parents=True)
    env = dict(os.environ, BM_RESULTS_DIR=str(results), GTEST_OUTPUT=f"json:{results}/")

    meson = subprocess.run(["meson", "test", "-C", str(build), "--print-errorlogs",
                            *args.meson_args], env=env)

    log = build / "meson-logs" / "testlog.json"
    if not log.exists():
        # meson test stopped before running anything (a build error, say).
        print("meson test produced no results")
        print("0 passed, 1 failed")
        return 1
    entries = [json.loads(line) for line in log.read_text().splitlines() if line.strip()]
    totals = [0, 0, 0]
    print("\nTest cases by program:")
    for entry in entries:
        # Meson names tests "project:suite / name"; reports use the bare name.
        name = entry["name"].split(" / ")[-1]
        program_ok = entry["result"] in ("OK", "EXPECTEDFAIL")
        skipped_program = entry["result"] == "SKIP"
        gtest_report = None
        command = entry.get("command") or []
        if command:
            gtest_report = results / (pathlib.Path(command[0]).name + ".json")
        own_report = results / f"{name}.json"
        if gtest_report and gtest_report.exists():
            counts = gtest_counts(gtest_report)
        elif own_report.exists():
            counts = test_verdict.report_counts(json.loads(own_report.read_text()))
        elif skipped_program:
            counts = (0, 0, 1)
        else:
            counts = (1, 0, 0) if program_ok else (0, 1, 0)
        # A program that failed must never be reported as all-passing.
        if not program_ok and not skipped_program and counts[1] == 0:
            counts = (counts[0], 1, counts[2])
        print(f"  {name:<16} {counts[0]:6} passed {counts[1]:4} failed"
              + (f" {counts[2]:4} skipped" if counts[2] else ""))
        totals = [t + c for t, c in zip(totals, counts)]

    passed, failed, skipped = totals
    line = f"{passed} passed, {failed} failed"
    if skipped:
        line += f", {skipped} skipped"
    print(line)
    return 0 if failed == 0 and meson.returncode == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
