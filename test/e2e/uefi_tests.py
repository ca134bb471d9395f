#!/usr/bin/env python3
"""End-to-end tests of the UEFI boot path: the same ISO the BIOS tests boot, started
through OVMF (Debian's ovmf package) on the pc board and on q35 with 2 GiB.

A missing firmware is a failing case, not a skipped one: tools/setup.sh installs it.
"""
import argparse
import sys

from cases import BOOT_TIMEOUT, CaseFailure, expect, qemu, run_cases

SHELL_READY = "shell: ready"


def boot_to_shell(iso, memory, machine=None):
    """Boots under OVMF until the shell says it is ready; returns the QemuRun."""
    try:
        run = qemu.QemuRun(iso, memory=memory, monitor=True, firmware="uefi",
                           machine=machine).start()
    except qemu.MissingFirmware as missing:
        raise CaseFailure(str(missing))
    if run.wait_for_serial(SHELL_READY, BOOT_TIMEOUT) is None:
        log = run.serial()
        run.close()
        raise CaseFailure(f"no '{SHELL_READY}' within {BOOT_TIMEOUT} s\n---- serial ----\n{log}")
    return run


def check_clean_boot(run, memory_mib):
    log = run.serial()
    expect("fault:" not in log and "PANIC" not in log,
           f"a fault or panic during boot\n---- serial ----\n{log}")
    # GRUB under UEFI hands the kernel an EFI memory map; the kernel must see the RAM.
    usable = [line for line in log.splitlines() if line.startswith("Usable RAM ")]
    expect(usable, f"no 'Usable RAM' line\n---- serial ----\n{log}")
    # UEFI has no text mode: GRUB sets the mode the kernel's header prefers.
    expect("Screen: framebuffer 1024x768, 32 bpp," in log,
           f"the kernel did not report a 1024x768x32 framebuffer\n---- serial ----\n{log}")
    mib = int(usable[0].split()[2])
    expect(memory_mib * 3 // 4 <= mib <= memory_mib,
           f"{usable[0]!r}: expected most of the machine's {memory_mib} MiB")


def case_boots_to_the_shell_under_ovmf(args):
    run = boot_to_shell(args.iso, "256M")
    try:
        check_clean_boot(run, 256)
    finally:
        run.close()


def case_boots_on_q35_with_2_gib_under_ovmf(args):
    run = boot_to_shell(args.iso, "2G", machine="q35")
    try:
        check_clean_boot(run, 2048)
    finally:
        run.close()


CASES = [case_boots_to_the_shell_under_ovmf, case_boots_on_q35_with_2_gib_under_ovmf]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--iso", required=True)
    args = parser.parse_args()
    return run_cases("e2e-uefi", "e2e-uefi", CASES, args)


if __name__ == "__main__":
    sys.exit(main())
