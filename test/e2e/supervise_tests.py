#!/usr/bin/env python3
"""End-to-end tests of crash-only drivers (docs/reliability.md): boot the real ISO, kill
the console, keyboard and serial drivers from the shell and check that the shell carries on
(screen contents kept, typing continues on the restarted servers), that stop, restart and
ps's restart counts work, that a dead console costs the shell no time, and that a server
which stops answering is found by init's heartbeats and restarted until it crash-loops.

Each case prints PASS/FAIL with its name; the serial log is printed for every failing case.
"""
import re
import sys
import time

from cases import CaseFailure, expect, run_iso_suite
from shell_tests import SCREEN_TIMEOUT, Shell, task_rows, with_shell


def ps_restarts(shell):
    """{server name: restart count} from ps's RESTARTS column."""
    shell.type("clear\n")
    shell.type("ps\n")
    shell.wait_for_row(lambda row: row.startswith(" TASK NAME"), "ps header")
    time.sleep(1)
    counts = {}
    for row in shell.screen():
        words = row.split()
        if len(words) == 7 and words[0].isdigit() and words[6].isdigit():
            counts[words[1]] = int(words[6])
    return counts


def wait_serial(shell, text, what, since=0, timeout=SCREEN_TIMEOUT):
    expect(shell.run.wait_for_serial(text, timeout, since=since) is not None,
           f"{what}: {text!r} not on COM1 within {timeout} s")


def case_killed_drivers_come_back_and_the_shell_carries_on(args):
    def body(shell):
        shell.command("echo before the kill", "before the kill")
        # kill vga: init restarts it, the new server keeps the screen and the cursor.
        start = len(shell.run.serial())
        shell.type("kill vga\n")
        wait_serial(shell, "init: vga killed on request: restarting it", "vga restart", start)
        rows = shell.wait_for_row(
            lambda row: re.fullmatch(r"kill: vga \(task \d+\) ended; init restarts it", row),
            "kill's answer on the restarted screen")
        expect("before the kill" in rows, "the screen lost its contents:\n" + "\n".join(rows))
        at = rows.index("before the kill")
        expect(any(row.startswith("kill: vga") for row in rows[at:]),
               "the new vga did not continue below the old text")
        shell.command("echo typing goes on", "typing goes on", "typing after kill vga")

        # kill keyboard: the 8042 is set up again; keys typed afterwards arrive.
        start = len(shell.run.serial())
        shell.type("kill keyboard\n")
        wait_serial(shell, "init: keyboard killed on request: restarting it", "keyboard", start)
        wait_serial(shell, 'init: keyboard registered "keyboard"', "keyboard back", start)
        shell.command("echo keys after", "keys after", "typing on the restarted keyboard")

        # kill serial: the screen and keyboard go on, and so does COM1 input.
        start = len(shell.run.serial())
        shell.type("kill serial\n")
        wait_serial(shell, "init: serial killed on request: restarting it", "serial", start)
        wait_serial(shell, 'init: serial registered "keyboard.serial"', "serial back", start)
        shell.command("echo screen after", "screen after", "typing after kill serial")
        start = len(shell.run.serial())
        shell.run.send_serial(b"echo wire after\r")
        wait_serial(shell, "\nwire after", "a command typed on COM1 after kill serial", start)

        counts = ps_restarts(shell)
        for name in ("vga", "keyboard", "serial"):
            expect(counts.get(name) == 1, f"ps: {name} restarts {counts.get(name)}: {counts}")
    with_shell(args.iso, body, serial_input=True)


def case_stop_restart_and_restart_counts(args):
    def body(shell):
        shell.type("kill echo\n")
        shell.wait_for_row(lambda row: re.fullmatch(
            r"kill: echo \(task \d+\) ended; init restarts it", row), "kill echo")
        shell.type("clear\n")
        shell.type("kill echo\n")
        shell.wait_for_row(lambda row: row.startswith("kill: echo") and "restarts" in row,
                           "second kill echo")
        expect(ps_restarts(shell).get("echo") == 2, "ps should count two restarts of echo")
        shell.type("clear\n")
        shell.type("stop echo\n")
        shell.wait_for_row(lambda row: re.fullmatch(r"stop: echo \(task \d+\) ended", row),
                           "stop echo")
        shell.command("stop echo", "stop: echo is not running")
        shell.command("kill nosuch", "kill: no server called nosuch")
        expect("echo" not in ps_restarts(shell), "echo runs after stop")
        shell.type("clear\n")
        shell.command("restart echo", "restart: echo started again")
        expect(ps_restarts(shell).get("echo") == 3, "restart should count as a restart")
        shell.type("clear\n")
        shell.type("ipcbench\n")
        shell.wait_for_row(lambda row: row.startswith("ipcbench: 1000 round trips to echo"),
                           "echo answering after restart")
    with_shell(args.iso, body)


def uptime_ticks(log):
    return [int(m) for m in re.findall(r"up \d+:\d+:\d+\.\d+ \((\d+) ticks", log)]


def case_a_stopped_console_costs_a_write_no_time(args):
    def body(shell):
        shell.type("stop vga\n")
        wait_serial(shell, "init: stopping vga", "stop vga")
        time.sleep(1)
        # Three lines at once on COM1: the ticks between the two uptimes are what the writes
        # to the dead console cost (each used to wait 2000 ticks for a new vga).
        start = len(shell.run.serial())
        shell.run.send_serial(b"uptime\recho ok\ruptime\r")
        deadline = time.monotonic() + SCREEN_TIMEOUT
        while len(uptime_ticks(shell.run.serial()[start:])) < 2:
            expect(time.monotonic() < deadline, "two uptime answers on COM1")
            time.sleep(0.2)
        log = shell.run.serial()[start:]
        expect("\nok" in log, "echo ok not answered on COM1")
        first, second = uptime_ticks(log)[:2]
        print(f"  {second - first} ticks from uptime to uptime around `echo ok` with vga "
              "stopped", flush=True)
        expect(second - first < 500, f"{second - first} ticks between the uptimes: the writes "
               "to the stopped console waited")
    with_shell(args.iso, body, serial_input=True)


def case_a_hung_server_is_restarted_by_heartbeats(args):
    iso = args.variant_iso(servers=args.servers.split(",") + ["stall"])
    def body(shell):
        run = shell.run
        # stall hangs 300 ms after it starts; its heartbeat is 100 ms.
        wait_serial(shell, "init: stall missed two heartbeats", "the hang found")
        wait_serial(shell, "init: stall stopped answering: restarting it (restart 1)",
                    "the restart")
        # It hangs again every time: init gives up after 5 restarts in 30 s.
        wait_serial(shell, "init: stall stopped answering, and restarted 5 times in 30 s: "
                    "not restarting it", "the crash-loop limit", timeout=60)
        log = run.serial()
        expect(log.count("stall: ready") == 6, f"{log.count('stall: ready')} starts of stall")
        # Drivers answering their heartbeats are left alone meanwhile.
        for name in ("vga", "keyboard", "serial"):
            expect(f"init: {name} missed" not in log, f"{name} was taken for hung")
        shell.command("echo still here", "still here")
    with_shell(iso, body)


def case_a_hog_hits_its_quotas_and_the_rest_carries_on(args):
    iso = args.variant_iso(servers=args.servers.split(",") + ["hog"])
    def body(shell):
        run = shell.run
        wait_serial(shell, "hog: holding it all, still answering", "the hog done taking")
        log = run.serial()
        kernel = re.search(r"hog: kernel refused after \d+ objects, (\d+) of (\d+) frames "
                           r"charged: no memory for the request", log)
        expect(kernel is not None, "the kernel did not refuse the hog with kOutOfMemory")
        if kernel:
            charged, limit = int(kernel.group(1)), int(kernel.group(2))
            expect(limit == 256 and limit - 16 < charged <= limit,
                   f"{charged} of {limit} frames charged: not stopped at its quota")
        heap = re.search(r"hog: memd refused after (\d+) KiB", log)
        expect(heap is not None, "memd did not refuse the hog")
        if heap:
            # memd's share per client: a quarter of its 4096-page pool, 4 MiB.
            expect(0 < int(heap.group(1)) <= 4096, f"memd gave the hog {heap.group(1)} KiB")
        for line in log.splitlines():
            if line.startswith("hog: "):
                print(f"  {line}", flush=True)
        expect("faulted" not in log, "a task faulted while the hog ran")
        # Everyone else still gets memory and answers: the shell (through memd), echo, memd.
        shell.command("echo still here", "still here")
        shell.type("ipcbench\n")
        shell.wait_for_row(lambda row: row.startswith("ipcbench: ") and
                           "round trips to echo (4 words), 0 wrong" in row,
                           "ipcbench answered by echo")
        shell.type("mem\n")
        shell.wait_for_row(lambda row: row.startswith("memd (") and "pages used" in row,
                           "memd answering mem")
        shell.command("echo after mem", "after mem")
    with_shell(iso, body)


CASES = [
    case_killed_drivers_come_back_and_the_shell_carries_on,
    case_stop_restart_and_restart_counts,
    case_a_stopped_console_costs_a_write_no_time,
    case_a_hung_server_is_restarted_by_heartbeats,
    case_a_hog_hits_its_quotas_and_the_rest_carries_on,
]


def main() -> int:
    return run_iso_suite(__doc__, "e2e supervise", "e2e-supervise", CASES)


if __name__ == "__main__":
    sys.exit(main())
