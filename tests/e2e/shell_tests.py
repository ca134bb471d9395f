#!/usr/bin/env python3
"""End-to-end shell tests: boot the real ISO, type on the emulated PS/2 keyboard through
QEMU's monitor (sendkey) and read the VGA text screen and COM1, as a user would.

ISOs for other option values (keyboard_layout=de, console=serial) are made from the same
build's ELFs with tools/system_manifest.py and tools/make_iso.py, so the tests see exactly
what `meson configure -Dkeyboard_layout=de` would put on the ISO.

Each case prints PASS/FAIL with its name; the serial log is printed for every failing case.
"""
import argparse
import json
import pathlib
import sys
import tempfile
import time
import traceback

TOOLS = pathlib.Path(__file__).resolve().parents[2] / "tools"
sys.path.insert(0, str(TOOLS))
import qemu  # noqa: E402
import variant_iso  # noqa: E402

PROMPT = "bm>"
BOOT_TIMEOUT = 90
SCREEN_TIMEOUT = 20

# sendkey names of the characters the cases type (QEMU's qcode names), US positions.
KEY_NAMES = {" ": "spc", "-": "minus", ".": "dot", "/": "slash", "=": "equal", ",": "comma",
             "\n": "ret"}


class CaseFailure(Exception):
    pass


def expect(condition, message):
    if not condition:
        raise CaseFailure(message)


class Shell:
    """A booted system with the shell at its prompt."""

    def __init__(self, iso, memory="128M"):
        self.run = qemu.QemuRun(iso, memory=memory, monitor=True).start()
        try:
            if self.run.wait_for_serial("shell: ready", BOOT_TIMEOUT) is None:
                raise CaseFailure("the shell never said it was ready")
            self.wait_for_row(lambda row: row.startswith(PROMPT), "the prompt")
        except Exception:
            self.close()
            raise

    def close(self):
        self.run.close()

    def screen(self):
        return self.run.vga_text()

    def wait_for_row(self, matches, what, timeout=SCREEN_TIMEOUT):
        deadline = time.monotonic() + timeout
        while True:
            rows = self.screen()
            if any(matches(row) for row in rows):
                return rows
            if time.monotonic() > deadline:
                raise CaseFailure(f"{what} not on the screen within {timeout} s:\n" +
                                  "\n".join(rows))
            time.sleep(0.2)

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


def with_shell(iso, body):
    shell = Shell(iso)
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
        if len(words) == 6 and words[0].isdigit() and words[2].isdigit():
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


CASES = [
    case_prompt_echo_editing_and_case,
    case_unknown_command_then_the_next_works,
    case_history_and_cursor_keys,
    case_de_layout_types_z_on_the_y_key,
    case_ps_and_grants_show_separate_drivers,
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--iso", required=True, help="the ISO this build made")
    variant_iso.add_arguments(parser)
    args = parser.parse_args()
    passed = failed = 0
    with tempfile.TemporaryDirectory(prefix="bm-shell-e2e-") as workdir:
        args.variant_iso = variant_iso.VariantMaker(args, workdir)
        for case in CASES:
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
    path = qemu.results_path("e2e-shell")
    if path:
        path.write_text(json.dumps({"passed": passed, "failed": failed}))
    print(f"e2e shell: {passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
