#!/usr/bin/env python3
"""End-to-end tests of the serial server: boot baremetal-serial-tests.iso
(init, serial with args=serial,console,keyboard, and tests/e2e/serial_client),
type into COM1 through a unix socket and read what comes back.

The cases share one boot and run in order: the client echoes typed lines
(keyboard read_char, console write) until the line "events", then reports
every key event (keyboard read_event). Each case prints PASS/FAIL with its
name and the serial log when it fails. Exit status 0 only if all pass.
"""
import argparse
import sys

from cases import CaseFailure, boot_until_ready, expect, run_cases

CLIENT_READY = "serial-client ready"
REPLY_TIMEOUT = 20  # seconds for an answer to typed input (TCG is slow)


class Session:
    """The one QEMU run the cases share; booted by the first case."""
    run = None


def session():
    expect(Session.run is not None, "the guest did not boot (see the first case)")
    return Session.run


def type_and_wait(text: bytes, answer: str, timeout=REPLY_TIMEOUT) -> bytes:
    """Types `text` into COM1, waits for `answer` in what follows it, and
    returns those bytes as they came (CR LF intact)."""
    run = session()
    since, raw_since = len(run.serial()), len(run.serial_bytes())
    run.send_serial(text)
    if run.wait_for_serial(answer, timeout, since=since) is None:
        raise CaseFailure(f"typed {text!r}, no {answer!r} within {timeout} s\n"
                          f"---- serial after typing ----\n{run.serial()[since:]}")
    return run.serial_bytes()[raw_since:]


def case_server_registers_its_names_and_answers(args):
    Session.run = boot_until_ready(args.iso, "128M", serial_input=True)
    run = Session.run
    if run.wait_for_serial(CLIENT_READY, 60) is None:
        raise CaseFailure(f"no '{CLIENT_READY}'\n---- serial ----\n{run.serial()}")
    log = run.serial()
    for needed in ['init: serial registered "serial"', 'init: serial registered "console"',
                   'init: serial registered "keyboard"',
                   "serial: COM1 at 115200 8N1, FIFO, serving serial,console,keyboard",
                   # query_size, non-blocking reads with nothing typed, set_layout, an
                   # unknown label and a message carrying a handle (tests/e2e/serial_client).
                   "serial-client checks ok"]:
        expect(needed in log, f"missing '{needed}'\n---- serial ----\n{log}")
    expect("fault:" not in log and "PANIC" not in log, f"a fault during boot\n{log}")


def case_typed_line_is_echoed(args):
    after = type_and_wait(b"hello\r", "serial-client line (5 bytes): hello")
    # Each character came back through console write, and the Enter as "\r\n".
    expect(after.startswith(b"hello\r\n"), f"no echo of 'hello' with CR LF:\n{after!r}")


def case_a_burst_arrives_without_loss(args):
    # 1000 printable bytes in one write: far more than the 16-byte FIFO, so the
    # interrupt thread has to drain it many times while the client echoes.
    text = "".join(chr(0x21 + (i * 7) % 94) for i in range(1000))
    after = type_and_wait(text.encode() + b"\r", f"serial-client line (1000 bytes): {text}\n")
    expect(after.startswith(text.encode() + b"\r\n"), f"the echo differs:\n{after!r}")


def case_keys_are_reported_as_key_events(args):
    type_and_wait(b"events\r", "serial-client: reporting events")
    for typed, expected in [
            (b"\x1b[A", "key=Up mods=0 char=U+0000 pressed=1"),
            (b"\x1bOD", "key=Left mods=0 char=U+0000 pressed=1"),
            (b"\x1b[3~", "key=Delete mods=0 char=U+0000 pressed=1"),
            (b"\x1b[H", "key=Home mods=0 char=U+0000 pressed=1"),
            (b"\r", "key=Enter mods=0 char=U+000A pressed=1"),
            (b"\x7f", "key=Backspace mods=0 char=U+0008 pressed=1"),
            (b"A", "key=A mods=0x1 char=U+0041 pressed=1"),
            (b"\x03", "key=C mods=0x2 char=U+0003 pressed=1"),
            (b"\xc3\xa9", "key=Unidentified mods=0 char=U+00E9 pressed=1")]:
        type_and_wait(typed, f"serial-client event: {expected}")


def case_server_kept_running(args):
    run = session()
    log = run.serial()
    expect("fault:" not in log and "restarting serial" not in log,
           f"the server faulted\n---- serial ----\n{log}")
    expect(run.process.poll() is None, "QEMU exited")


CASES = [
    case_server_registers_its_names_and_answers,
    case_typed_line_is_echoed,
    case_a_burst_arrives_without_loss,
    case_keys_are_reported_as_key_events,
    case_server_kept_running,
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--iso", required=True, help="baremetal-serial-tests.iso")
    args = parser.parse_args()
    try:
        return run_cases("e2e serial", "e2e-serial", CASES, args)
    finally:
        if Session.run is not None:
            Session.run.close()


if __name__ == "__main__":
    sys.exit(main())
