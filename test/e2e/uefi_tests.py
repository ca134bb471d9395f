#!/usr/bin/env python3
"""End-to-end tests of the UEFI boot path: the same ISO the BIOS tests boot, started
through OVMF (Debian's ovmf package) on the pc board and on q35 with 2 GiB. A user types
`echo hello` (and `run hello world`, a program) on the emulated PS/2 keyboard; the fb
server's screen, taken with QEMU's `screendump`, is read glyph by glyph against the font
(tools/screen_text.py).

A missing firmware is a failing case, not a skipped one: tools/setup.sh installs it.
"""
import argparse
import sys
import time

from cases import BOOT_TIMEOUT, CaseFailure, expect, qemu, run_cases, wait_for_screen_row
import screen_text  # tools/, which cases puts on the path

SHELL_READY = "shell: ready"
PROMPT = "bm>"
SCREEN_TIMEOUT = 20
KEY_NAMES = {" ": "spc", "\n": "ret"}


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
    # screen=auto: the framebuffer console answers, vga is left out.
    for needed in ("init: vga: not started: the boot left no VGA text screen",
                   "fb: 1024x768, 32 bpp: 128x48 cells", 'init: fb registered "console"'):
        expect(needed in log, f"no '{needed}'\n---- serial ----\n{log}")
    mib = int(usable[0].split()[2])
    expect(memory_mib * 3 // 4 <= mib <= memory_mib,
           f"{usable[0]!r}: expected most of the machine's {memory_mib} MiB")


def wait_for_row(run, matches, what):
    return wait_for_screen_row(lambda: screen_text.screen_rows(run.screendump()), matches, what,
                               SCREEN_TIMEOUT, interval=0.3)


def type_text(run, text):
    for c in text:
        run.monitor(f"sendkey {KEY_NAMES.get(c, c)}")


def echo_hello_on_screen(run):
    wait_for_row(run, lambda row: row.startswith(PROMPT), "the prompt")
    type_text(run, "echo hello\n")
    rows = wait_for_row(run, lambda row: row == "hello", "echo's answer 'hello'")
    expect(f"{PROMPT} echo hello" in rows, "the typed command is not on the screen:\n" +
           "\n".join(rows))
    expect(rows.index("hello") == rows.index(f"{PROMPT} echo hello") + 1,
           "'hello' is not on the line below the command:\n" + "\n".join(rows))


def run_hello_on_screen(run):
    """A program started from the shell writes to the shell's console, here fb's screen."""
    type_text(run, "run hello world\n")
    wait_for_row(run, lambda row: row == "hello world", "the program's 'hello world'")


def with_uefi_shell(memory, memory_mib, machine, args, then=None):
    run = boot_to_shell(args.iso, memory, machine)
    try:
        check_clean_boot(run, memory_mib)
        echo_hello_on_screen(run)
        if then is not None:
            then(run)
    except CaseFailure as failure:
        raise CaseFailure(f"{failure}\n---- serial ----\n{run.serial()}")
    finally:
        run.close()


def case_typed_echo_hello_shows_on_the_framebuffer_under_ovmf(args):
    with_uefi_shell("256M", 256, None, args, then=run_hello_on_screen)


def case_q35_with_2_gib_under_ovmf_shows_echo_hello(args):
    with_uefi_shell("2G", 2048, "q35", args)


def case_killed_fb_comes_back_and_typing_goes_on(args):
    """fb is crash-only like vga: `kill fb` makes init restart it; the new instance starts
    on a clean screen (its cells were in the old one's memory) and the shell carries on."""
    run = boot_to_shell(args.iso, "256M")
    try:
        echo_hello_on_screen(run)
        start = len(run.serial())
        type_text(run, "kill fb\n")
        for needed in ("init: fb killed on request: restarting it",
                       'init: fb registered "console"'):
            expect(run.wait_for_serial(needed, SCREEN_TIMEOUT, since=start) is not None,
                   f"no '{needed}' after kill fb")
        type_text(run, "echo again\n")
        rows = wait_for_row(run, lambda row: row == "again", "'again' after the restart")
        expect("hello" not in rows, "the restarted fb kept the old screen:\n" + "\n".join(rows))
    except CaseFailure as failure:
        raise CaseFailure(f"{failure}\n---- serial ----\n{run.serial()}")
    finally:
        run.close()


def case_kernel_log_and_fault_report_on_the_framebuffer(args):
    """The kernel's own writer: its boot log, and a panic's report (drawn white on red) on a
    UEFI screen, where no VGA text exists."""
    try:
        run = qemu.QemuRun(args.fault_iso, memory="128M", monitor=True, firmware="uefi").start()
    except qemu.MissingFirmware as missing:
        raise CaseFailure(str(missing))
    try:
        if run.wait_for_serial(qemu.HALT_MARKER, BOOT_TIMEOUT) is None:
            raise CaseFailure(f"no '{qemu.HALT_MARKER}' after the deliberate fault")
        time.sleep(0.5)  # the screen gets the report's lines after COM1
        expect(run.process.poll() is None, "QEMU exited instead of halting")
        rows = screen_text.screen_rows(run.screendump())
        for needed in ("BareMetal-OS ready.", "*** CPU exception 14 #PF (Page Fault), error code 0x2 ***",
                       "  CR2=0x000000000dead000  (page not present, write, kernel mode, data access)",
                       "System halted."):
            expect(needed in rows, f"{needed!r} not on the screen:\n" + "\n".join(rows))
        expect(any(row.startswith("BareMetal-OS ") and "(x86_64 microkernel)" in row
                   for row in rows), "the banner (logged before the kernel knew of the screen) "
               "is not on the screen:\n" + "\n".join(rows))
    except CaseFailure as failure:
        raise CaseFailure(f"{failure}\n---- serial ----\n{run.serial()}")
    finally:
        run.close()


def cases_for(args):
    cases = [case_typed_echo_hello_shows_on_the_framebuffer_under_ovmf,
             case_q35_with_2_gib_under_ovmf_shows_echo_hello,
             case_killed_fb_comes_back_and_typing_goes_on]
    if args.fault_iso:  # built with kernel_tests (test/qemu/meson.build passes it then)
        cases.append(case_kernel_log_and_fault_report_on_the_framebuffer)
    return cases


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--iso", required=True)
    parser.add_argument("--fault-iso", help="the test kernel told to fault (kernel_tests)")
    args = parser.parse_args()
    return run_cases("e2e-uefi", "e2e-uefi", cases_for(args), args)


if __name__ == "__main__":
    sys.exit(main())
