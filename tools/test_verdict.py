"""How a run of an in-QEMU test image is judged, apart from running it, so
the harness's own rules have tests (test/harness/verdict_test.py).

An image prints "<layer> tests: N registered", then "RUN  name" and
"PASS name" or "FAIL name" per case, and leaves QEMU through isa-debug-exit.
"""
import dataclasses
import json
import re

from qemu import EXIT_SUCCESS, results_path


@dataclasses.dataclass
class Verdict:
    registered: int
    passed: list
    failed: list        # printed FAIL, or started and never finished (crashed)
    problems: list      # what is wrong with the run as a whole

    @property
    def never_finished(self):
        return max(self.registered - len(self.passed) - len(self.failed), 0)

    @property
    def ok(self):
        return not self.problems and not self.failed

    def failure_count(self):
        """Failed cases for the summary: a run with problems but no failed
        case still counts as one failure, never as a pass."""
        failures = len(self.failed) + self.never_finished
        return failures if failures or not self.problems else 1


def judge(log, exit_code, timeout_seconds):
    """exit_code is QEMU's, or None if it was still running at the timeout."""
    passed = re.findall(r"^PASS (\S+)", log, re.MULTILINE)
    printed_fail = re.findall(r"^FAIL (\S+)", log, re.MULTILINE)
    started = re.findall(r"^RUN  (\S+)", log, re.MULTILINE)
    announced = re.search(r"^\w+ tests: (\d+) registered", log, re.MULTILINE)
    # A case that started but never finished crashed the kernel.
    crashed = [name for name in started if name not in passed and name not in printed_fail]
    failed = printed_fail + crashed
    problems = []
    if exit_code is None:
        problems.append(f"timed out after {timeout_seconds:.0f} s (hang?)")
    elif exit_code != EXIT_SUCCESS:
        problems.append(f"QEMU exit code {exit_code}, expected {EXIT_SUCCESS}"
                        + (" (triple fault or reset?)" if exit_code == 0 else ""))
    if not passed and not failed:
        problems.append("no test case reported a result")
    # Cases that vanished (a runner that stopped early, a scheduler bug that
    # lost a thread) count as failures, never as a smaller total.
    if announced:
        registered = int(announced.group(1))
    else:
        problems.append("the image did not say how many cases it registered")
        registered = len(passed) + len(failed)
    verdict = Verdict(registered, passed, failed, problems)
    if verdict.never_finished:
        problems.append(f"{verdict.never_finished} of {registered} registered cases "
                        "never finished")
    return verdict


def report_counts(report):
    """(passed, failed, skipped) of a BM_RESULTS_DIR report; registered cases
    that are in none of the three count as failed."""
    counts = (report["passed"], report["failed"], report.get("skipped", 0))
    missing = report.get("registered", 0) - sum(counts)
    return (counts[0], counts[1] + max(missing, 0), counts[2])


def write_report(name, passed, failed, registered=None):
    """Writes a layer's case counts where ./check collects them (BM_RESULTS_DIR), if it
    asks; `registered`, when the layer knows it, lets report_counts() count missing
    cases as failed."""
    path = results_path(name)
    if not path:
        return
    report = {"passed": passed, "failed": failed}
    if registered is not None:
        report["registered"] = registered
    path.write_text(json.dumps(report))
