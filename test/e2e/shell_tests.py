#!/usr/bin/env python3
"""End-to-end shell tests: boot the real ISO, type on the emulated PS/2 keyboard through
QEMU's monitor (sendkey) and read the VGA text screen and COM1, as a user would.

ISOs for other option values (keyboard_layout=de, console=serial) are made from the same
build's ELFs with tools/system_manifest.py and tools/make_iso.py, so the tests see exactly
what `meson configure -Dkeyboard_layout=de` would put on the ISO.

Each case prints PASS/FAIL with its name; the serial log is printed for every failing case.
"""
import sys
import time

from cases import BOOT_TIMEOUT, CaseFailure, expect, qemu, run_iso_suite, wait_for_screen_row

PROMPT = "bm>"
SCREEN_TIMEOUT = 20

# sendkey names of the characters the cases type (QEMU's qcode names), US positions.
KEY_NAMES = {" ": "spc", "-": "minus", ".": "dot", "/": "slash", "=": "equal", ",": "comma",
             "&": "shift-7", '"': "shift-apostrophe", "\n": "ret"}


class Shell:
    """A booted system with the shell at its prompt."""

    def __init__(self, iso, memory="128M", serial_input=False):
        self.run = qemu.QemuRun(iso, memory=memory, monitor=True,
                                serial_input=serial_input).start()
        try:
            if self.run.wait_for_serial("shell: ready", BOOT_TIMEOUT) is None:
                raise CaseFailure("the shell never said it was ready")
            if not serial_input:
                self.wait_for_row(lambda row: row.startswith(PROMPT), "the prompt")
        except Exception:
            self.close()
            raise

    def close(self):
        self.run.close()

    def screen(self):
        return self.run.vga_text()

    def wait_for_row(self, matches, what, timeout=SCREEN_TIMEOUT):
        return wait_for_screen_row(self.screen, matches, what, timeout, interval=0.2)

    def key(self, name):
        self.run.monitor(f"sendkey {name}")

    def type(self, text):
        for c in text:
            if c.isalpha() and c.isupper():
                self.key(f"shift-{c.lower()}")
            elif c.isalnum():
                self.key(c)
            else:
                self.key(KEY_NAMES[c])

    def command(self, line, expect_row, what=None):
        """Types line + Enter and waits for a screen row equal to expect_row."""
        self.type(line + "\n")
        return self.wait_for_row(lambda row: row == expect_row, what or repr(expect_row))


def with_shell(iso, body, serial_input=False):
    shell = Shell(iso, serial_input=serial_input)
    try:
        body(shell)
    except CaseFailure as failure:
        raise CaseFailure(f"{failure}\n---- serial ----\n{shell.run.serial()}")
    finally:
        shell.close()


def case_prompt_echo_editing_and_case(args):
    def body(shell):
        log = shell.run.serial()
        expect("fault:" not in log and "PANIC" not in log, "a fault or panic during boot")
        # echo prints its words on a line of their own.
        shell.command("echo hello", "hello")
        # Backspace removes the character before the cursor.
        shell.type("echo wrold")
        for _ in range(4):
            shell.key("backspace")
        shell.command("orld", "world")
        # Shift gives upper case; Caps Lock too; Shift with Caps Lock gives lower case.
        shell.type("echo ")
        shell.key("shift-a")
        shell.key("caps_lock")
        shell.type("bc")
        shell.key("shift-d")
        shell.key("caps_lock")
        shell.command("e", "ABCde")
    with_shell(args.iso, body)


def case_unknown_command_then_the_next_works(args):
    def body(shell):
        shell.command("frobnicate", "unknown command: frobnicate (type help)")
        shell.command("echo still alive", "still alive")
        shell.type("help\n")
        shell.wait_for_row(lambda row: row.startswith("help [command]") and
                           row.endswith("list the commands, or describe one"), "help's first line")
    with_shell(args.iso, body)


def case_history_and_cursor_keys(args):
    def body(shell):
        shell.command("echo first", "first")
        shell.key("up")
        shell.key("backspace")
        shell.key("backspace")
        shell.key("backspace")
        shell.key("backspace")
        shell.key("backspace")
        shell.command("again", "again")
        shell.type("echo bc")
        shell.key("home")
        for _ in range(5):
            shell.key("right")
        shell.type("a")
        shell.key("end")
        shell.command("d", "abcd")
    with_shell(args.iso, body)


def case_de_layout_types_z_on_the_y_key(args):
    iso = args.variant_iso(keyboard_layout="de")
    def body(shell):
        expect("layout de" in shell.run.serial(), "the keyboard server did not start with de")
        # Press the keys labelled y and z on a US keyboard: de swaps them.
        shell.type("echo ")
        shell.key("y")
        shell.key("z")
        shell.type("\n")
        shell.wait_for_row(lambda row: row == "zy", "'zy' (de swaps y and z)")
    with_shell(iso, body)


def task_rows(rows):
    """ps rows as (task id, name, thread, priority, state)."""
    found = []
    for row in rows:
        words = row.split()
        if len(words) == 7 and words[0].isdigit() and words[2].isdigit():
            found.append((int(words[0]), words[1], int(words[2]), int(words[3]), words[4]))
    return found


def case_ps_and_grants_show_separate_drivers(args):
    drivers = [name for name in ("vga", "keyboard", "serial", "shell")
               if name in args.servers.split(",")]
    def body(shell):
        shell.type("clear\n")
        shell.type("ps\n")
        rows = shell.wait_for_row(lambda row: row.startswith(" TASK NAME"), "ps header")
        time.sleep(1)
        tasks = task_rows(shell.screen())
        ids = {}
        for task_id, name, _, _, _ in tasks:
            ids.setdefault(name, set()).add(task_id)
        for name in drivers:
            expect(name in ids, f"ps does not list {name}:\n" + "\n".join(shell.screen()))
        expect(len({min(ids[name]) for name in drivers}) == len(drivers),
               f"the drivers do not run as separate tasks: {ids}")
        expect(len(ids["keyboard"]) == 1 and
               sum(1 for t in tasks if t[1] == "keyboard") == 2,
               "the keyboard server should have its interrupt and service threads")
        shell.type("clear\n")
        shell.type("grants\n")
        rows = shell.wait_for_row(lambda row: row.startswith("keyboard"), "grants of keyboard")
        time.sleep(0.5)
        rows = shell.screen()
        lines = {row.split()[0]: row for row in rows if row and row.split()[0] in drivers}
        expect(lines["keyboard"].endswith("ports 0x60:1 ports 0x64:1 irq 1"),
               f"keyboard grants: {lines['keyboard']}")
        expect(lines["vga"].endswith("ports 0x3d4:2 memory 0xb8000:32768"),
               f"vga grants: {lines['vga']}")
        expect(lines["shell"].endswith("no grants"), f"shell grants: {lines['shell']}")
        if "serial" in lines:
            expect(lines["serial"].endswith("ports 0x3f8:8 irq 4"), f"serial: {lines['serial']}")
    with_shell(args.iso, body)


def case_kill_dmesg_uptime_and_mem(args):
    def body(shell):
        shell.type("clear\n")
        shell.type("ps\n")
        shell.wait_for_row(lambda row: row.startswith(" TASK NAME"), "ps header")
        time.sleep(1)
        echo_ids = {t[0] for t in task_rows(shell.screen()) if t[1] == "echo"}
        expect(len(echo_ids) == 1, f"echo's task id not found: {shell.screen()}")
        echo_id = echo_ids.pop()
        # stop ends it for good (kill would have init restart it: restart=yes).
        shell.command(f"stop {echo_id}", f"stop: echo (task {echo_id}) ended")
        shell.command("kill 1", "kill: no server runs as task 1", "init is no server")
        shell.command("kill 999", "kill: no server runs as task 999")
        shell.command("kill x1", "kill: no server called x1")
        shell.command("kill", "usage: kill <server|job>")
        shell.type("clear\n")
        shell.type("ps\n")
        shell.wait_for_row(lambda row: row.startswith(" TASK NAME"), "ps header")
        time.sleep(1)
        expect(not any(t[1] == "echo" for t in task_rows(shell.screen())),
               "echo still listed after stop")
        shell.command("ipcbench", "ipcbench: no \"echo\" server on this system")
        # dmesg prints the kernel log ring: the shell's own start is in it.
        shell.type("dmesg\n")
        shell.wait_for_row(lambda row: row.startswith("shell: ready on"),
                           "the shell's own log line, from dmesg")
        shell.type("clear\n")
        shell.type("uptime\n")
        rows = shell.wait_for_row(lambda row: row.startswith("up ") and "Hz)" in row, "uptime")
        shell.type("mem\n")
        rows = shell.wait_for_row(lambda row: row.startswith("kernel heap ("), "mem's heap line")
        expect(any(row.startswith("frames: ") for row in rows), "mem's frame line")
    with_shell(args.iso, body)


def case_mem_shows_memd_with_the_built_policy(args):
    iso = args.variant_iso(heap_policy="linked_list")
    def body(shell):
        shell.type("mem\n")
        rows = shell.wait_for_row(lambda row: row.startswith("memd (linked_list): pool "),
                                  "memd's line with the linked_list policy")
        time.sleep(0.5)
        rows = shell.screen()
        expect(any(row.split()[:1] == ["shell"] for row in rows),
               "the shell is not listed as memd's client:\n" + "\n".join(rows))
    with_shell(iso, body)


def case_halt_and_reboot(args):
    def body(shell):
        shell.type("halt\n")
        expect(shell.run.wait_for_serial("System halted.", SCREEN_TIMEOUT) is not None,
               "halt did not halt")
        time.sleep(0.5)
        expect(shell.run.process.poll() is None, "QEMU exited on halt instead of halting")
    with_shell(args.iso, body)

    def reboot(shell):
        shell.type("reboot\n")
        # QEMU runs with -no-reboot, so a machine reset ends the process.
        deadline = time.monotonic() + SCREEN_TIMEOUT
        while shell.run.process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        expect(shell.run.process.poll() is not None, "reboot did not reset the machine")
    with_shell(args.iso, reboot)


def case_console_serial_answers_on_com1(args):
    iso = args.variant_iso(console="serial")
    def body(shell):
        run = shell.run
        expect(run.wait_for_serial("bm> ", SCREEN_TIMEOUT) is not None, "no prompt on COM1")
        start = len(run.serial())
        run.send_serial(b"echo over the wire\r")
        expect(run.wait_for_serial("\nover the wire\n", SCREEN_TIMEOUT, since=start)
               is not None, "the answer did not come back on COM1 on a line of its own")
        expect(b"\r\nover the wire\r\n" in run.serial_bytes(),
               "console output on COM1 lacks the CR before each LF")
        # Editing over the wire: DEL erases, the arrow-key escape moves the cursor.
        start = len(run.serial())
        run.send_serial(b"echo ac\x1b[Db\r")
        expect(run.wait_for_serial("\nabc\n", SCREEN_TIMEOUT, since=start) is not None,
               "left arrow over COM1 did not move the cursor")
        start = len(run.serial())
        run.send_serial(b"echo oops\x7f\x7f\x7f\x7fk\r")
        expect(run.wait_for_serial("\nk\n", SCREEN_TIMEOUT, since=start) is not None,
               "DEL over COM1 did not erase")
        # The screen is not the console: the command line never reached it.
        screen = "\n".join(shell.screen())
        expect("over the wire" not in screen, "console=serial output also reached the screen")
    with_shell(iso, body, serial_input=True)


def case_console_both_takes_keys_from_either_after_startup(args):
    iso = args.variant_iso(console="both")
    def body(shell):
        run = shell.run
        shell.wait_for_row(lambda row: row.startswith(PROMPT), "the prompt on the screen")
        expect(run.wait_for_serial("bm> ", SCREEN_TIMEOUT) is not None, "no prompt on COM1")
        # The shell waits for init's start-up: echo (below the shell's priority) registers
        # before the first prompt, not in the middle of the line a user starts typing.
        expect(run.wait_for_serial('registered "echo"', SCREEN_TIMEOUT) is not None,
               "echo never registered")
        log = run.serial()
        expect(log.index('registered "echo"') < log.index("bm> "),
               "a start-up line came after the first prompt on COM1")
        # Typed on the PS/2 keyboard: shown on the screen and on COM1.
        start = len(run.serial())
        shell.command("echo from keys", "from keys")
        expect(run.wait_for_serial("\nfrom keys\n", SCREEN_TIMEOUT, since=start)
               is not None, "keyboard command not answered on COM1")
        # Typed on COM1: shown on COM1 and on the screen.
        start = len(run.serial())
        run.send_serial(b"echo from wire\r")
        expect(run.wait_for_serial("\nfrom wire\n", SCREEN_TIMEOUT, since=start)
               is not None, "COM1 command not answered on COM1")
        shell.wait_for_row(lambda row: row == "from wire", "COM1 command's answer on the screen")
    with_shell(iso, body, serial_input=True)


CASES = [
    case_prompt_echo_editing_and_case,
    case_unknown_command_then_the_next_works,
    case_history_and_cursor_keys,
    case_de_layout_types_z_on_the_y_key,
    case_ps_and_grants_show_separate_drivers,
    case_kill_dmesg_uptime_and_mem,
    case_mem_shows_memd_with_the_built_policy,
    case_halt_and_reboot,
    case_console_serial_answers_on_com1,
    case_console_both_takes_keys_from_either_after_startup,
]


def main() -> int:
    return run_iso_suite(__doc__, "e2e shell", "e2e-shell", CASES)


if __name__ == "__main__":
    sys.exit(main())
