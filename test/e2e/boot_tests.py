#!/usr/bin/env python3
"""End-to-end boot tests: boot the real ISO in QEMU and check what a user
sees on COM1 and on the VGA text screen.

Each case prints PASS/FAIL with its name; the serial log is printed for every
failing case. Exit status 0 only if all cases pass.
"""
import copy
import pathlib
import re
import subprocess
import sys

from cases import BOOT_TIMEOUT, READY, CaseFailure, boot_until_ready, expect, qemu, run_iso_suite
import variant_iso  # tools/, which cases puts on the path


def case_banner_on_serial_and_screen(args):
    run = boot_until_ready(args.iso, "256M", monitor=True)
    try:
        log = run.serial()
        expect(re.search(r"BareMetal-OS \S+ \(x86_64 microkernel\)", log), "no banner on COM1")
        expect("Memory map" in log, "no memory map summary on COM1")
        # The BIOS boot keeps VGA text (boot/grub.cfg sets gfxpayload=text).
        expect("Screen: VGA text at 0xb8000\n" in log, "the kernel did not report VGA text")
        expect(re.search(r"frames: \d+ free of \d+ usable", log), "no frame summary on COM1")
        expect(f"Kernel heap: {args.heap} strategy" in log,
               f"heap strategy line for '{args.heap}' missing on COM1")
        screen = "\n".join(run.vga_text())
        expect("BareMetal-OS" in screen, f"banner not on the VGA screen:\n{screen}")
        expect(READY in screen, f"ready line not on the VGA screen:\n{screen}")
        expect(f"{args.heap} strategy" in screen, f"heap strategy not on screen:\n{screen}")
        # Still alive: the kernel idles in hlt and keeps answering the monitor.
        expect(run.process.poll() is None, "QEMU exited after boot")
    except CaseFailure as failure:
        raise CaseFailure(f"{failure}\n---- serial ----\n{run.serial()}")
    finally:
        run.close()


def usable_mib(log):
    match = re.search(r"Usable RAM (\d+) MiB", log)
    return int(match.group(1)) if match else None


def case_boots_with_32_mib(args):
    run = boot_until_ready(args.iso, "32M")
    try:
        mib = usable_mib(run.serial())
        expect(mib is not None and 20 <= mib <= 32, f"usable RAM {mib} MiB with -m 32M")
    finally:
        run.close()


def case_boots_with_6_gib(args):
    run = boot_until_ready(args.iso, "6G")
    try:
        log = run.serial()
        mib = usable_mib(log)
        expect(mib is not None and mib >= 5800, f"usable RAM {mib} MiB with -m 6G")
        expect(re.search(r"direct map (\d+) MiB", log) and
               int(re.search(r"direct map (\d+) MiB", log).group(1)) >= 6144,
               "direct map does not cover memory above 4 GiB")
    finally:
        run.close()


def case_unexpected_page_fault_is_reported(args):
    run = qemu.QemuRun(args.fault_iso, memory="128M", monitor=True).start()
    try:
        elapsed = run.wait_for_serial("System halted.", BOOT_TIMEOUT)
        log = run.serial()
        expect(elapsed is not None, "no 'System halted.' after the deliberate fault")
        for needed in ["CPU exception 14 #PF (Page Fault)", "CR2=0x000000000dead000",
                       "page not present, write, kernel mode, data access", "RIP=0x",
                       "RAX=", "R15=", "Backtrace"]:
            expect(needed in log, f"fault report lacks '{needed}'")
        screen = "\n".join(run.vga_text())
        expect("CPU exception 14 #PF" in screen, f"fault report not on screen:\n{screen}")
        expect("CR2=0x000000000dead000" in screen, f"CR2 not on screen:\n{screen}")
        # Halted, not rebooted or exited: the report stays on screen.
        expect(run.process.poll() is None, "QEMU exited instead of halting")
    except CaseFailure as failure:
        raise CaseFailure(f"{failure}\n---- serial ----\n{run.serial()}")
    finally:
        run.close()


def case_init_starts_servers_that_talk(args):
    # Only the console and the two demo servers, so ping's line is the last on the screen.
    iso = args.variant_iso(servers=["vga", "echo", "ping"], console="vga")
    run = boot_until_ready(iso, "128M", monitor=True)
    try:
        done = run.wait_for_serial("(ping) exited", 60)
        log = run.serial()
        expect(done is not None, "ping never finished")
        for needed in ["init: started vga", "init: started echo", "init: started ping",
                       'registered "console"', 'registered "echo"',
                       "ping: 100 of 100 round trips to echo correct; 512-word message correct",
                       "(ping) exited with code 0"]:
            expect(needed in log, f"missing '{needed}'")
        expect("fault:" not in log and "PANIC" not in log, "a fault or panic during boot")
        # Written by ping through the console protocol, drawn by the ring-3
        # VGA server (the kernel no longer touches the screen by then).
        screen = "\n".join(run.vga_text())
        expect("ping: 100 of 100 round trips to echo correct" in screen,
               f"ping's line not on the screen:\n{screen}")
    except CaseFailure as failure:
        raise CaseFailure(f"{failure}\n---- serial ----\n{run.serial()}")
    finally:
        run.close()


def case_a_bad_compressed_module_is_reported(args):
    """A compressed module cut short on the ISO (docs/boot.md): init logs it, treats it as
    missing, and starts the rest."""
    if not args.compress_tool:
        raise CaseFailure("no --compress-tool: the build's ISOs are not compressed")
    workdir = pathlib.Path(args.workdir)
    ping = next(spec for spec in args.server_module if spec.endswith(":ping")).rpartition(":")[0]
    damaged = workdir / "ping.bmlz"
    subprocess.run([args.compress_tool, ping, str(damaged)], check=True)
    damaged.write_bytes(damaged.read_bytes()[: damaged.stat().st_size // 2])
    variant_args = copy.copy(args)
    variant_args.server_module = [spec for spec in args.server_module
                                  if not spec.endswith(":ping")] + [f"{damaged}:ping"]
    (workdir / "damaged").mkdir(exist_ok=True)
    iso = variant_iso.VariantMaker(variant_args, workdir / "damaged")(
        servers=["vga", "echo", "ping"], console="vga")
    run = boot_until_ready(iso, "128M")
    try:
        registered = run.wait_for_serial('init: echo registered "echo"', 60)
        log = run.serial()
        expect(re.search(r"init: ping: bad compressed module: \w", log),
               "no report of the damaged module")
        expect("init: ping: no such boot module, not started" in log,
               "the damaged module was not treated as missing")
        expect(registered is not None, "echo did not start after the damaged module")
        counts = re.search(r"init: inflated (\d+) of (\d+) compressed module\(s\)", log)
        expect(counts and int(counts.group(1)) == int(counts.group(2)) - 1 >= 2,
               "vga and echo were not inflated, or not only ping failed")
        expect("PANIC" not in log and "faulted" not in log, "a fault or panic during boot")
    except CaseFailure as failure:
        raise CaseFailure(f"{failure}\n---- serial ----\n{run.serial()}")
    finally:
        run.close()


CASES = [
    case_banner_on_serial_and_screen,
    case_init_starts_servers_that_talk,
    case_boots_with_32_mib,
    case_boots_with_6_gib,
    case_unexpected_page_fault_is_reported,
    case_a_bad_compressed_module_is_reported,
]


def main() -> int:
    def add_arguments(parser):
        parser.add_argument("--fault-iso", required=True)
        parser.add_argument("--heap", required=True, help="expected heap strategy name")

    return run_iso_suite(__doc__, "e2e boot", "e2e-boot", CASES, add_arguments)


if __name__ == "__main__":
    sys.exit(main())
