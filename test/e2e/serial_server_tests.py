#!/usr/bin/env python3
"""End-to-end tests of the serial server: boot baremetal-serial-tests.iso
(init, serial with args=serial,console,keyboard, and test/e2e/serial_client),
type into COM1 through a unix socket and read what comes back.

The cases share one boot and run in order: the client echoes typed lines
(keyboard read_char, console write) until the line "events", then reports
every key event (keyboard read_event). Each case prints PASS/FAIL with its
name and the serial log when it fails. Exit status 0 only if all pass.
"""
import argparse
import sys
import time

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
                   # unknown label and a message carrying a handle (test/e2e/serial_client).
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


FLOOD_BYTES = 64 * 1024
FLOOD_READ_SIZE = 256    # bytes per recv of the slow reader
FLOOD_READ_PAUSE = 0.002  # seconds between them: at most 128 KB/s
FLOOD_STALL = 0.5         # seconds the reader stops now and then
FLOOD_TIMEOUT = 120


def flood_byte(i):
    """Byte i of the guest's flood (test/e2e/serial_client/main.cpp, flood_byte)."""
    return 0x20 + (i * 7 + i // 95) % 95


def case_64_kib_reach_a_slow_reader_complete_and_in_order(args):
    run = session()
    raw_since = len(run.serial_bytes())
    run.serial_read_size = FLOOD_READ_SIZE
    run.serial_read_pause = FLOOD_READ_PAUSE
    start = time.monotonic()
    since = len(run.serial())
    try:
        run.send_serial(b"flood\r")
        # Now and then the reader stops for half a second: far longer than any fixed
        # number of polls of the UART could wait out.
        deadline = start + FLOOD_TIMEOUT
        while "flood-end" not in run.serial()[since:]:
            if time.monotonic() > deadline or run.process.poll() is not None:
                raise CaseFailure(f"no 'flood-end' within {FLOOD_TIMEOUT} s\n"
                                  f"---- serial ----\n{run.serial()}")
            run.serial_read_pause = FLOOD_STALL
            time.sleep(FLOOD_STALL)
            run.serial_read_pause = FLOOD_READ_PAUSE
            time.sleep(0.5)
    finally:
        run.serial_read_size = 65536
        run.serial_read_pause = 0.0
    elapsed = time.monotonic() - start
    after = run.serial_bytes()[raw_since:]
    begin = after.find(b"flood-begin\r\n")
    end = after.find(b"\r\nflood-end")
    expect(begin >= 0 and end > begin, f"no flood markers in {after[:300]!r}...")
    got = after[begin + len(b"flood-begin\r\n"):end]
    expected = bytes(flood_byte(i) for i in range(FLOOD_BYTES))
    if got != expected:
        first = next((i for i in range(min(len(got), len(expected)))
                      if got[i] != expected[i]), min(len(got), len(expected)))
        raise CaseFailure(f"the flood differs: {len(got)} of {len(expected)} bytes, first "
                          f"difference at byte {first}: got {got[first:first + 40]!r}, "
                          f"expected {expected[first:first + 40]!r}")
    print(f"  64 KiB through the console to a slow reader in {elapsed:.1f} s", flush=True)


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
    case_64_kib_reach_a_slow_reader_complete_and_in_order,
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
