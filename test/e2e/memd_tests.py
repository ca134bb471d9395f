#!/usr/bin/env python3
"""memd in QEMU, once per heap policy: boots init, memd and the test client
(test/memd/memd_client.cpp) in several roles, and reads their PASS/FAIL lines from COM1.

Every "MEMD PASS|FAIL <role>: <check>" line is one case, named after the policy, role and
check. Beyond the clients' own checks: each role must finish; the crasher, restarted by init
after each fault, must allocate from memd in every run; and once every client has ended
memd's pool must be back to 0 pages used (a client that exits returns all its pages,
including the one that never frees and the one that faults); and the cacher, which faults
with blocks in its block cache, must have them taken back: memd's line about its end names
them as cached.
"""
import argparse
import re
import sys
import tempfile
import time

from cases import BOOT_TIMEOUT, qemu
import heap_strategies  # tools/, which cases puts on the path
import test_verdict  # tools/, which cases puts on the path
import variant_iso

POLICIES = heap_strategies.names()
ROLES = ("heap", "a", "b", "exiter", "cacher")
# crasher faults after each allocation; init restarts it until its crash-loop limit (5 restarts
# within 30 s, servers/init/restart_policy.h), so 6 runs.
CRASHER_RUNS = 6
RUN_TIMEOUT = 120


def make_iso(args, workdir, policy):
    lines = [f"server memd priority=13 pool=1024 args=policy={policy}",
             "server memd_heap priority=8 args=role=heap",
             "server memd_a priority=7 args=role=a",
             "server memd_b priority=7 args=role=b",
             "server memd_exiter priority=7 args=role=exiter",
             "server memd_cacher priority=7 args=role=cacher",
             "server memd_crasher priority=7 restart=yes args=role=crasher"]
    modules = [f"{args.init}:init", f"{args.memd}:memd"]
    modules += [f"{args.client}:memd_{role}" for role in ROLES + ("crasher",)]
    return variant_iso.build_iso(f"{workdir}/memd-{policy}.iso", args.kernel, args.grub_cfg,
                                 modules, lines, args.manifest_tool, args.grub_mkrescue)


def run_policy(args, workdir, policy):
    """Returns [(case name, passed, detail)]."""
    iso = make_iso(args, workdir, policy)
    run = qemu.QemuRun(iso, memory="256M").start()
    results = []
    try:
        deadline = time.monotonic() + BOOT_TIMEOUT + RUN_TIMEOUT
        done = re.compile(r"^MEMD DONE (\w+)", re.MULTILINE)
        while time.monotonic() < deadline:
            log = run.serial()
            finished = set(done.findall(log))
            if (finished >= set(ROLES) and log.count("MEMD DONE crasher") >= CRASHER_RUNS and
                    log.count("memd: client ") >= len(ROLES) + CRASHER_RUNS):
                break
            if run.process.poll() is not None:
                break
            time.sleep(0.2)
        log = run.serial()
        for verdict, role, check in re.findall(r"^MEMD (PASS|FAIL) (\w+): (.*)$", log,
                                               re.MULTILINE):
            if role != "crasher":
                results.append((f"{policy}/{role}: {check}", verdict == "PASS", ""))
        crasher_passes = len(re.findall(r"^MEMD PASS crasher: allocate in a fresh run$", log,
                                        re.MULTILINE))
        results.append((f"{policy}/crasher: each of {CRASHER_RUNS} runs "
                        f"({CRASHER_RUNS - 1} restarts after a fault) allocates from memd again",
                        crasher_passes == CRASHER_RUNS,
                        f"{crasher_passes} runs allocated"))
        finished = set(done.findall(log))
        for role in ROLES:
            results.append((f"{policy}/{role}: finished", role in finished, ""))
        cached = re.findall(r"^MEMD CACHER cached (\d+) blocks", log, re.MULTILINE)
        held = re.findall(r"memd: client \d+ ended: pool \d+ of \d+ pages used; it held (\d+) "
                          r"blocks, (\d+) of them cached", log)
        results.append((f"{policy}/cacher: killed with blocks in its cache, memd takes them back",
                        len(cached) == 1 and int(cached[0]) > 0 and
                        (cached[0], cached[0]) in held,
                        f"cacher reported {cached}, memd's ends (held, cached): {held}"))
        ended = re.findall(r"memd: client \d+ ended: pool (\d+) of \d+ pages used", log)
        results.append((f"{policy}/memd: every client's pages back in the pool at the end",
                        len(ended) == len(ROLES) + CRASHER_RUNS and ended[-1] == "0",
                        f"pool use after each client ended: {ended}"))
        failed = any(not passed for _, passed, _ in results)
        if failed:
            results = [(name, passed, detail + ("\n---- serial ----\n" + log if not passed
                                                 else "")) for name, passed, detail in results]
    finally:
        run.close()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--grub-mkrescue", default="grub-mkrescue")
    parser.add_argument("--kernel", required=True)
    parser.add_argument("--grub-cfg", required=True)
    parser.add_argument("--init", required=True)
    parser.add_argument("--memd", required=True)
    parser.add_argument("--client", required=True)
    parser.add_argument("--manifest-tool", required=True)
    args = parser.parse_args()
    passed = failed = 0
    with tempfile.TemporaryDirectory(prefix="bm-memd-e2e-") as workdir:
        for policy in POLICIES:
            for name, ok, detail in run_policy(args, workdir, policy):
                if ok:
                    passed += 1
                    print(f"PASS {name}", flush=True)
                else:
                    failed += 1
                    print(f"FAIL {name} {detail}", flush=True)
    test_verdict.write_report("memd-tests", passed, failed)
    print(f"memd tests: {passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
