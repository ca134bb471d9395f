#!/usr/bin/env python3
"""End-to-end tests of programs started from the shell (docs/filesystem.md, "Running
programs"): boot the real ISO, type `run NAME args`, a bare program name, `NAME args &`,
Ctrl-C, `kill ID`, `ps` and `mem` on the emulated PS/2 keyboard, and read what the programs
and the shell print on the VGA text screen and on COM1 (the default ISO talks on both).

Each case prints PASS/FAIL with its name; the serial log is printed for every failing case.
"""
import pathlib
import re
import sys
import time

from cases import CaseFailure, expect, run_iso_suite
from shell_tests import SCREEN_TIMEOUT, with_shell

MOTD = pathlib.Path(__file__).resolve().parents[2] / "boot" / "initrd" / "motd"
# Ctrl-C must end a program at once, not after seconds.
INTERRUPT_SECONDS = 5


def wc_line(data: bytes, name: str) -> str:
    """What POSIX wc prints for `data`, in wc's format (programs/wc): newlines, words (runs
    of bytes that are not ASCII white space) and bytes."""
    lines, words = data.count(b"\n"), len(data.split())
    return f"{lines:7d} {words:7d} {len(data):7d} {name}"


def typed(shell, line, answer, what=None):
    """Types line + Enter and waits for `answer` on COM1 after it; returns the log since."""
    start = len(shell.run.serial())
    shell.type(line + "\n")
    expect(shell.run.wait_for_serial(answer, SCREEN_TIMEOUT, since=start) is not None,
           f"{what or repr(answer)} not on COM1 after {line!r}")
    return shell.run.serial()[start:]


def programs_in_ps(shell):
    """The program rows of ps (TASK PROGRAM STATE STARTED BY), as read on COM1."""
    log = typed(shell, "ps", "\nbm> ", "the prompt after ps")
    return re.findall(r"^\s*(\d+) (\S+)\s+(running|ended)\s+\d+$", log, re.MULTILINE)


def case_programs_print_where_the_shell_does(args):
    def body(shell):
        # On the screen and on COM1, as the shell's own output (console=both).
        shell.command("run hello world", "hello world")
        typed(shell, "run hello wire", "\nhello wire\n", "hello's line on COM1")
        # A bare name that is no built-in runs /boot/bin/NAME; quotes group words.
        shell.command('hello a "b c"', "hello a b c")
        # An exit status other than 0 is one line; 0 says nothing.
        shell.command("run sleep x", "sleep: exit status 2")
        log = typed(shell, "sleep 0", "\nbm> ")
        expect("sleep:" not in log, f"a successful program printed an outcome: {log!r}")
        # wc, counted here from the same file the initrd holds.
        motd = MOTD.read_bytes()
        shell.type("clear\n")
        shell.command("wc /boot/motd", wc_line(motd, "/boot/motd"))
        shell.type("clear\n")
        shell.command("wc /boot/motd /boot/nothing /boot/motd", wc_line(motd + motd, "total"))
        rows = shell.screen()
        for needed in ("wc: /boot/nothing: not found", "wc: exit status 1"):
            expect(needed in rows, f"{needed!r} not on the screen:\n" + "\n".join(rows))
        expect(rows.count(wc_line(motd, "/boot/motd")) == 2, "not one line per file:\n" +
               "\n".join(rows))
    with_shell(args.iso, body, serial_input=True)


def case_a_fault_is_reported_and_the_shell_carries_on(args):
    def body(shell):
        shell.type("run fault\n")
        rows = shell.wait_for_row(lambda row: row.startswith("fault: killed by Page Fault (#PF, "
                                                             "vector 14) at rip 0x"),
                                  "the fault's outcome line")
        line = next(row for row in rows if row.startswith("fault: killed"))
        expect(line.endswith(" cr2 0x1000"), f"the faulting address is not in {line!r}")
        shell.type("fault ud\n")
        shell.wait_for_row(lambda row: row.startswith("fault: killed by Invalid Opcode (#UD, "
                                                      "vector 6) at rip 0x"), "#UD's line")
        shell.command("echo still here", "still here")
        shell.type("help run\n")
        shell.wait_for_row(lambda row: row.startswith("run <program> [args] [&]"), "help run")
    with_shell(args.iso, body)


def case_errors_are_one_clear_line(args):
    def body(shell):
        shell.command("run", "usage: run <program> [args] [&]")
        shell.command("run nothing", "run: nothing: not found")
        shell.command("nothing", "unknown command: nothing (type help)")
        shell.command("write /tmp/x hi", "bm> write /tmp/x hi")
        shell.command("run /tmp/x", "run: /tmp/x: not a program (init refused the image)")
        shell.command("cd /tmp", "bm> cd /tmp")
        shell.command("run ./x", "run: ./x: not a program (init refused the image)")
        shell.command("run /boot", "run: /boot: is a directory")
        shell.command("run /boot/motd/x", "run: /boot/motd/x: not a directory")
        shell.command("echo carries on", "carries on")
    with_shell(args.iso, body)


def case_ctrl_c_kill_and_background_programs(args):
    def body(shell):
        run = shell.run
        # Ctrl-C ends the foreground program at once; the prompt comes back.
        start = len(run.serial())
        shell.type("run sleep 100000\n")
        expect(run.wait_for_serial("init: started program sleep", SCREEN_TIMEOUT, since=start)
               is not None, "sleep did not start")
        pressed = time.monotonic()
        shell.key("ctrl-c")
        shell.wait_for_row(lambda row: row == "sleep: interrupted", "sleep: interrupted",
                           timeout=INTERRUPT_SECONDS)
        expect(time.monotonic() - pressed < INTERRUPT_SECONDS, "Ctrl-C took too long")
        shell.command("echo back", "back")
        expect(not any(name == "sleep" for _, name, _ in programs_in_ps(shell)),
               "ps lists the interrupted sleep")
        # In the background: [ID] NAME, then ps lists it while it runs; kill ID ends it.
        log = typed(shell, "sleep 100000 &", "] sleep\n", "the job line")
        job = re.search(r"^\[(\d+)\] sleep$", log, re.MULTILINE)
        expect(job is not None, f"no [ID] sleep line in {log!r}")
        job_id = job.group(1)
        expect((job_id, "sleep", "running") in programs_in_ps(shell),
               "ps does not list the background sleep as running")
        shell.command(f"kill {job_id}", f"[{job_id}] sleep: killed")
        expect(not any(pid == job_id for pid, _, _ in programs_in_ps(shell)),
               "ps still lists the killed sleep")
        # A background program that ends is reported before the next prompt.
        log = typed(shell, "sleep 200 &", "] sleep\n", "the job line")
        job_id = re.search(r"^\[(\d+)\] sleep$", log, re.MULTILINE).group(1)
        time.sleep(1)
        typed(shell, "", f"[{job_id}] sleep: done\nbm> ", "the background sleep's end")
        # mem names a program's heap in memd's table.
        shell.type("memdemo hold 5000 &\n")
        shell.wait_for_row(lambda row: re.fullmatch(r"\[\d+\] memdemo", row), "memdemo's job")
        shell.type("clear\n")
        shell.type("mem\n")
        shell.wait_for_row(lambda row: row.startswith("  memdemo "), "memdemo's row in mem")
        start = len(run.serial())
        expect(run.wait_for_serial("memd: client ", 10, since=start) is not None,
               "memdemo did not end")
        typed(shell, "", "] memdemo: done\nbm> ", "memdemo's end")
        # At most 8 in the background, with a clear error past it.
        for _ in range(8):
            typed(shell, "sleep 100000 &", "] sleep\n", "a job line")
        shell.command("sleep 100000 &",
                      "sleep: 8 programs run in the background already (kill one first)")
        shell.command("echo still here", "still here")
    with_shell(args.iso, body, serial_input=True)


def case_console_serial_shows_program_output_on_com1(args):
    iso = args.variant_iso(console="serial")
    def body(shell):
        run = shell.run
        expect(run.wait_for_serial("bm> ", SCREEN_TIMEOUT) is not None, "no prompt on COM1")
        start = len(run.serial())
        run.send_serial(b"run hello over the wire\r")
        expect(run.wait_for_serial("\nhello over the wire\n", SCREEN_TIMEOUT, since=start)
               is not None, "hello's line did not come back on COM1")
        expect("hello over the wire" not in "\n".join(shell.screen()),
               "console=serial: a program's output reached the screen")
    with_shell(iso, body, serial_input=True)


CASES = [
    case_programs_print_where_the_shell_does,
    case_a_fault_is_reported_and_the_shell_carries_on,
    case_errors_are_one_clear_line,
    case_ctrl_c_kill_and_background_programs,
    case_console_serial_shows_program_output_on_com1,
]


def main() -> int:
    return run_iso_suite(__doc__, "e2e run", "e2e-run", CASES)


if __name__ == "__main__":
    sys.exit(main())
