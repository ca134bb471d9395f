#!/usr/bin/env python3
"""End-to-end file tests: boot the real ISO and use the shell's file commands (ls, cat,
write, mkdir, mv, rm, cd, pwd) on /boot (the initrd) and /tmp, as a user would, reading the
VGA text screen; then kill the file server and check that /boot comes back, /tmp starts
empty and the shell carries on (docs/filesystem.md).

Each case prints PASS/FAIL with its name; the serial log is printed for every failing case.
"""
import sys

from cases import CaseFailure, expect, run_iso_suite
from shell_tests import SCREEN_TIMEOUT, with_shell

MOTD_FIRST_LINE = "Welcome to BareMetal-OS."


def rows_after_clear(shell, line, what, matches):
    """Clears the screen, types line + Enter and waits for a row that matches."""
    shell.type("clear\n")
    shell.type(line + "\n")
    return shell.wait_for_row(matches, what)


def case_boot_lists_the_initrd_and_cat_shows_the_motd(args):
    def body(shell):
        expect('registered "fs"' in shell.run.serial(), "fs did not register")
        rows_after_clear(shell, "ls /boot", "motd in ls /boot", lambda row: row.endswith("  motd"))
        rows = shell.screen()
        expect(any(row.endswith("  docs/") for row in rows), f"no docs/ in ls /boot: {rows}")
        expect(any(row.endswith("  bin/") for row in rows), f"no bin/ in ls /boot: {rows}")
        rows_after_clear(shell, "ls /boot/docs", "filesystem.md in /boot/docs",
                         lambda row: row.endswith("  filesystem.md"))
        shell.command("cat /boot/motd", MOTD_FIRST_LINE)
    with_shell(args.iso, body)


def case_write_then_cat_in_tmp(args):
    def body(shell):
        shell.command("write /tmp/a hello", "bm> write /tmp/a hello")
        shell.command("cat /tmp/a", "hello")
        shell.command("write /tmp/a two words", "bm> write /tmp/a two words")
        shell.command("cat /tmp/a", "two words")
        rows_after_clear(shell, "ls /tmp", "a in ls /tmp", lambda row: row == "      10  a")
    with_shell(args.iso, body)


def case_mkdir_mv_cd_pwd_rm(args):
    def body(shell):
        shell.command("pwd", "/")
        shell.command("mkdir /tmp/d", "bm> mkdir /tmp/d")
        shell.command("write /tmp/a moved", "bm> write /tmp/a moved")
        shell.command("mv /tmp/a /tmp/d", "bm> mv /tmp/a /tmp/d")
        shell.command("cd /tmp/d", "bm> cd /tmp/d")
        shell.command("pwd", "/tmp/d")
        shell.command("cat a", "moved")
        shell.command("mv a b", "bm> mv a b")
        shell.type("clear\n")
        shell.command("cat ../d/b", "moved")
        shell.command("rm b", "bm> rm b")
        shell.command("cat b", "cat: b: not found")
        shell.command("cd ..", "bm> cd ..")
        shell.command("pwd", "/tmp")
        shell.command("rm d", "bm> rm d")
        shell.command("cd d", "cd: d: not found")
        shell.command("cd", "bm> cd")
        shell.type("clear\n")
        shell.command("pwd", "/")
    with_shell(args.iso, body)


def case_errors_are_one_clear_line(args):
    def body(shell):
        shell.command("cat /tmp/nothing", "cat: /tmp/nothing: not found")
        shell.command("write /boot/x hi", "write: /boot/x: read-only file system")
        shell.command("rm /boot/motd", "rm: /boot/motd: read-only file system")
        shell.command("cd /boot/motd", "cd: /boot/motd: not a directory")
        shell.command("cat /boot", "cat: /boot: is a directory")
        shell.command("mkdir /tmp/e", "bm> mkdir /tmp/e")
        shell.command("write /tmp/e/f x", "bm> write /tmp/e/f x")
        shell.command("rm /tmp/e", "rm: /tmp/e: directory not empty")
        shell.command("mkdir /tmp/e", "mkdir: /tmp/e: already exists")
        shell.command("rm /tmp", "rm: /tmp: not permitted")
        shell.command("cat", "usage: cat <path>...")
        shell.command("echo still here", "still here")
    with_shell(args.iso, body)


def case_kill_fs_brings_boot_back_and_empties_tmp(args):
    def body(shell):
        shell.command("write /tmp/k lost", "bm> write /tmp/k lost")
        shell.type("kill fs\n")
        shell.wait_for_row(lambda row: row.startswith("kill: fs (task ") and
                           row.endswith("ended; init restarts it"), "kill's answer")
        expect(shell.run.wait_for_serial("init: fs answers again", SCREEN_TIMEOUT) is not None,
               "fs was not restarted")
        shell.command("cat /boot/motd", MOTD_FIRST_LINE)
        shell.command("cat /tmp/k", "cat: /tmp/k: not found")
        shell.command("write /tmp/k again", "bm> write /tmp/k again")
        shell.command("cat /tmp/k", "again")
        shell.command("echo carries on", "carries on")
    with_shell(args.iso, body)


def case_a_restarted_shell_is_a_new_client(args):
    def body(shell):
        shell.command("write /tmp/kept x", "bm> write /tmp/kept x")
        start = len(shell.run.serial())
        shell.type("kill shell\n")
        # fs sees the old shell's task end (init introduced it with the task) ...
        expect(shell.run.wait_for_serial("fs: client ", SCREEN_TIMEOUT, since=start) is not None,
               "fs did not see the shell end")
        expect(shell.run.wait_for_serial("shell: ready", SCREEN_TIMEOUT, since=start) is not None,
               "the shell did not come back")
        # ... and the new one, with the same id, is introduced again and finds /tmp as it was.
        shell.type("clear\n")
        shell.command("cat /tmp/kept", "x")
        shell.command("cat /boot/motd", MOTD_FIRST_LINE)
    with_shell(args.iso, body)


CASES = [
    case_boot_lists_the_initrd_and_cat_shows_the_motd,
    case_write_then_cat_in_tmp,
    case_mkdir_mv_cd_pwd_rm,
    case_errors_are_one_clear_line,
    case_kill_fs_brings_boot_back_and_empties_tmp,
    case_a_restarted_shell_is_a_new_client,
]


def main() -> int:
    return run_iso_suite(__doc__, "e2e fs", "e2e-fs", CASES)


if __name__ == "__main__":
    sys.exit(main())
