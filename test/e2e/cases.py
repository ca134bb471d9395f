"""What the end-to-end scripts share: a case failure with its message,
expect(), booting an ISO until the kernel says it is ready, running a
list of cases with one PASS/FAIL line each and a closing count (also written
to BM_RESULTS_DIR for ./check's summary), and the main() of a suite that boots
the build's ISO and variants of it."""
import argparse
import pathlib
import sys
import tempfile
import time
import traceback

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "tools"))
import qemu  # noqa: E402
import test_verdict  # noqa: E402
import variant_iso  # noqa: E402

READY = "BareMetal-OS ready."
BOOT_TIMEOUT = 90


class CaseFailure(Exception):
    pass


def expect(condition, message):
    if not condition:
        raise CaseFailure(message)


def wait_for_screen_row(read_rows, matches, what, timeout, interval):
    """Reads the screen's rows with read_rows() until one satisfies matches(row); returns
    them. After `timeout` seconds the case fails, showing the last screen."""
    deadline = time.monotonic() + timeout
    while True:
        rows = read_rows()
        if any(matches(row) for row in rows):
            return rows
        if time.monotonic() > deadline:
            raise CaseFailure(f"{what} not on the screen within {timeout} s:\n" +
                              "\n".join(rows))
        time.sleep(interval)


def boot_until_ready(iso, memory, **options):
    """Starts QEMU (options as for qemu.QemuRun) and waits for READY on COM1."""
    run = qemu.QemuRun(iso, memory=memory, **options).start()
    elapsed = run.wait_for_serial(READY, BOOT_TIMEOUT)
    if elapsed is None:
        log = run.serial()
        run.close()
        raise CaseFailure(f"no '{READY}' within {BOOT_TIMEOUT} s\n---- serial ----\n{log}")
    return run


def run_cases(title, results_name, cases, args) -> int:
    """Runs case(args) for each case in order; returns the exit status."""
    passed = failed = 0
    for case in cases:
        name = case.__name__.removeprefix("case_")
        try:
            case(args)
            passed += 1
            print(f"PASS {name}", flush=True)
        except CaseFailure as failure:
            failed += 1
            print(f"FAIL {name}: {failure}", flush=True)
        except Exception:  # a broken harness is a failure too, with its traceback
            failed += 1
            print(f"FAIL {name}:\n{traceback.format_exc()}", flush=True)

    test_verdict.write_report(results_name, passed, failed, registered=len(cases))
    print(f"{title}: {passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


def run_iso_suite(description, title, results_name, cases, add_arguments=None,
                  cleanup=None) -> int:
    """The main() of a suite run on the build's ISO (--iso) and on variants of it: parses the
    arguments (add_arguments(parser) adds a suite's own), gives args a work directory and a
    VariantMaker in it, runs the cases, and calls cleanup() at the end, however they ended."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--iso", required=True, help="the ISO this build made")
    variant_iso.add_arguments(parser)
    if add_arguments is not None:
        add_arguments(parser)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix=f"bm-{results_name}-") as workdir:
        args.workdir = workdir
        args.variant_iso = variant_iso.VariantMaker(args, workdir)
        try:
            return run_cases(title, results_name, cases, args)
        finally:
            if cleanup is not None:
                cleanup()
