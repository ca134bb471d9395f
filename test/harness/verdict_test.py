#!/usr/bin/env python3
"""The harness's own rules (tools/test_verdict.py): a run of an in-QEMU image
passes only when every case it registered printed PASS and QEMU left through
isa-debug-exit; vanished cases, crashes, hangs and resets are failures, and a
report that counts fewer cases than it registered is topped up with failures.

Writes its case counts to BM_RESULTS_DIR like the other layers."""
import pathlib
import sys
import unittest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "tools"))
import qemu  # noqa: E402
from test_verdict import judge, report_counts, write_report  # noqa: E402

OK = qemu.EXIT_SUCCESS


def log_of(registered, *cases):
    """A serial log: the registered line, then RUN plus PASS/FAIL/nothing per case."""
    lines = [] if registered is None else [f"user tests: {registered} registered, timer 1000 Hz"]
    for name, result in cases:
        lines.append(f"RUN  {name}")
        if result:
            lines.append(f"{result} {name} (3 ticks)")
    return "\n".join(lines) + "\n"


class Verdicts(unittest.TestCase):
    def test_all_registered_cases_passed(self):
        verdict = judge(log_of(2, ("a", "PASS"), ("b", "PASS")), OK, 10)
        self.assertTrue(verdict.ok)
        self.assertEqual((verdict.registered, verdict.failure_count()), (2, 0))

    def test_vanished_cases_are_failures_not_a_smaller_total(self):
        # The scheduler bug this rule was written for: 114 registered, 56 reported.
        cases = [(f"c{i}", "PASS") for i in range(55)] + [("c55", "FAIL")]
        verdict = judge(log_of(114, *cases), OK, 10)
        self.assertFalse(verdict.ok)
        self.assertEqual(verdict.never_finished, 58)
        self.assertEqual(verdict.failure_count(), 59)

    def test_a_case_that_started_and_never_finished_crashed(self):
        verdict = judge(log_of(2, ("a", "PASS"), ("b", None)), None, 10)
        self.assertEqual(verdict.failed, ["b"])
        self.assertIn("timed out after 10 s (hang?)", verdict.problems)

    def test_a_missing_registered_line_fails_the_run(self):
        verdict = judge(log_of(None, ("a", "PASS")), OK, 10)
        self.assertFalse(verdict.ok)
        self.assertEqual(verdict.failure_count(), 1)

    def test_a_reset_fails_even_if_every_case_passed(self):
        verdict = judge(log_of(1, ("a", "PASS")), 0, 10)
        self.assertFalse(verdict.ok)
        self.assertIn("triple fault", verdict.problems[0])
        self.assertEqual(verdict.failure_count(), 1)

    def test_no_case_at_all_fails(self):
        verdict = judge("", OK, 10)
        self.assertFalse(verdict.ok)
        self.assertGreaterEqual(verdict.failure_count(), 1)

    def test_report_counts_top_up_missing_cases_as_failed(self):
        self.assertEqual(report_counts({"registered": 10, "passed": 7, "failed": 1}), (7, 3, 0))
        self.assertEqual(report_counts({"registered": 3, "passed": 2, "failed": 0,
                                        "skipped": 1}), (2, 0, 1))
        self.assertEqual(report_counts({"passed": 4, "failed": 0}), (4, 0, 0))


def main():
    result = unittest.TextTestRunner(verbosity=2).run(
        unittest.defaultTestLoader.loadTestsFromTestCase(Verdicts))
    failed = len(result.failures) + len(result.errors)
    write_report("harness", result.testsRun - failed, failed, registered=result.testsRun)
    return 0 if result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main())
