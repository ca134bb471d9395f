#!/usr/bin/env python3
"""No byte lost on the way in: boot the shell with console=both (the PS/2 keyboard and COM1
both feed it), paste several KiB of `echo` lines into COM1 at once, then type a few hundred
keys on the PS/2 keyboard through the QEMU monitor in bursts with no pause, and check that every line
was executed whole (its output line is on COM1).

The paste is bigger than the serial server's receive buffer plus the shell's key queue, so
it only gets through if each stage holds the one before it back instead of dropping: the
shell's reader stops reading, the serial server stops draining the UART, the UART's FIFO
fills and QEMU stops reading the socket, and sendall() below waits.

One boot for both cases; each prints PASS/FAIL and the serial log when it fails.
"""
import sys
import time

from cases import BOOT_TIMEOUT, CaseFailure, expect, qemu, run_iso_suite

LINE_LIMIT = 255          # the shell's line editor (servers/shell/line_editor.h, kMaxLength)
PASTE_LINES = 64          # 64 lines of 255 characters: 16 KiB, four receive buffers
TYPED_LINES = 2           # on the PS/2 keyboard
TYPED_LINE_LENGTH = 150   # characters per typed line (plus "echo " and Enter)
KEY_BURST = 40            # sendkeys sent with no pause (see the typing case)
PASTE_TIMEOUT = 240       # seconds for the shell to work through the paste (TCG is slow)
TYPING_TIMEOUT = 120


class Session:
    run = None


def session():
    expect(Session.run is not None, "the guest did not boot (see the first case)")
    return Session.run


def payload(tag, number, length):
    """A line's echo argument: a distinct marker, then filler that shows where a byte went
    missing (letters and digits only, so sendkey can type it without shift)."""
    head = f"{tag}{number:03d}x"
    filler = "".join("abcdefghijklmnopqrstuvwxyz0123456789"[(number + i) % 36]
                     for i in range(length - len(head)))
    return head + filler


def missing_outputs(run, since, payloads):
    """The payloads whose output line ("\\r\\n<payload>\\r\\n": the typed line starts with
    "echo ") is not on COM1 after byte `since`."""
    log = run.serial_bytes()[since:]
    return [p for p in payloads if f"\r\n{p}\r\n".encode() not in log]


def wait_for_outputs(run, since, payloads, timeout):
    deadline = time.monotonic() + timeout
    while True:
        missing = missing_outputs(run, since, payloads)
        if not missing or time.monotonic() > deadline or run.process.poll() is not None:
            return missing
        time.sleep(0.5)


def case_boot_to_the_prompt_on_com1(args):
    iso = args.variant_iso(console="both")
    Session.run = qemu.QemuRun(iso, memory="128M", monitor=True, serial_input=True).start()
    run = Session.run
    if run.wait_for_serial("shell: ready", BOOT_TIMEOUT) is None or \
            run.wait_for_serial("bm> ", 30) is None:
        raise CaseFailure(f"no shell prompt on COM1\n---- serial ----\n{run.serial()}")


def case_a_paste_into_com1_runs_every_line(args):
    run = session()
    # "echo " + payload fills the line editor exactly.
    payloads = [payload("p", n, LINE_LIMIT - len("echo ")) for n in range(PASTE_LINES)]
    paste = b"".join(f"echo {p}\r".encode() for p in payloads)
    since = len(run.serial_bytes())
    start = time.monotonic()
    run.send_serial(paste)  # all at once: sendall blocks while QEMU holds the socket back
    sent = time.monotonic() - start
    missing = wait_for_outputs(run, since, payloads, PASTE_TIMEOUT)
    elapsed = time.monotonic() - start
    if missing:
        raise CaseFailure(f"{len(missing)} of {PASTE_LINES} pasted lines have no output line, "
                          f"first {missing[0][:12]}...\n---- serial ----\n{run.serial()}")
    print(f"  {len(paste)} bytes pasted (sendall returned after {sent:.1f} s), "
          f"all {PASTE_LINES} lines ran in {elapsed:.1f} s", flush=True)


def case_fast_typing_on_ps2_loses_no_key(args):
    run = session()
    payloads = [payload("k", n, TYPED_LINE_LENGTH) for n in range(TYPED_LINES)]
    since = len(run.serial_bytes())
    start = time.monotonic()
    keys = 0
    for p in payloads:
        line = "echo " + p
        for first in range(0, len(line), KEY_BURST):
            # A burst of sendkeys with no pause between them. QEMU queues them and presses
            # one every few milliseconds, but drops what does not fit its input queue
            # (1024 entries, about 170 keys), so the next burst waits until the shell has
            # echoed this one: a lost key then shows as an echo that never comes.
            burst = line[first:first + KEY_BURST]
            for c in burst:
                run.monitor("sendkey spc" if c == " " else f"sendkey {c}")
                keys += 1
            typed = line[:first + len(burst)].encode()  # the marker makes it unique
            deadline = time.monotonic() + TYPING_TIMEOUT
            while typed not in run.serial_bytes()[since:]:
                if time.monotonic() > deadline or run.process.poll() is not None:
                    raise CaseFailure(f"the echo of {typed[-20:]!r} never came: a key was "
                                      f"lost\n---- serial ----\n{run.serial()}")
                time.sleep(0.05)
        run.monitor("sendkey ret")
        keys += 1
    missing = wait_for_outputs(run, since, payloads, TYPING_TIMEOUT)
    elapsed = time.monotonic() - start
    if missing:
        raise CaseFailure(f"{len(missing)} of {TYPED_LINES} typed lines have no output line, "
                          f"first {missing[0][:12]}...\n---- serial ----\n{run.serial()}")
    log = run.serial()
    expect("fault:" not in log and "PANIC" not in log, f"a fault\n---- serial ----\n{log}")
    print(f"  {keys} keys typed in bursts of {KEY_BURST}, all echoed and run in "
          f"{elapsed:.1f} s", flush=True)


CASES = [
    case_boot_to_the_prompt_on_com1,
    case_a_paste_into_com1_runs_every_line,
    case_fast_typing_on_ps2_loses_no_key,
]


def main() -> int:
    def close_session():
        if Session.run is not None:
            Session.run.close()

    return run_iso_suite(__doc__, "e2e no loss", "e2e-no-loss", CASES, cleanup=close_session)


if __name__ == "__main__":
    sys.exit(main())
