"""Starting QEMU for tests and benchmarks: one place for the machine model,
timeouts, serial capture and the monitor connection.

Every run has -no-reboot (a triple fault ends QEMU instead of looping),
-display none and a wall-clock timeout; callers print the serial log when
something goes wrong.
"""
import os
import pathlib
import shutil
import socket
import subprocess
import tempfile
import threading
import time

# isa-debug-exit: the guest writes v to port 0xf4, QEMU exits with (v << 1) | 1.
EXIT_SUCCESS = 33
# What the kernel's panic path prints last (kernel/debug/panic.cpp).
HALT_MARKER = "System halted."
EXIT_FAILURE = 35

# UEFI firmware for QEMU from Debian's ovmf package (tools/setup.sh installs it): the code is
# read-only flash; the variable store is flash the firmware writes (boot entries), so every
# run gets its own copy of the template.
OVMF_CODE = pathlib.Path("/usr/share/OVMF/OVMF_CODE_4M.fd")
OVMF_VARS = pathlib.Path("/usr/share/OVMF/OVMF_VARS_4M.fd")
FIRMWARES = ("bios", "uefi")


class MissingFirmware(Exception):
    """The UEFI firmware files are not installed: a failure, never a reason to skip."""


def qemu_binary() -> str:
    return shutil.which("qemu-system-x86_64") or "qemu-system-x86_64"


class QemuRun:
    """One QEMU process with serial output captured to a file and, on
    request, a human monitor on a unix socket. With serial_input=True, COM1
    is a unix socket instead: a thread copies what the guest sends into the
    same log file, and send_serial() types into COM1. firmware="uefi" boots
    through OVMF instead of SeaBIOS; machine picks the board (pc, q35)."""

    def __init__(self, iso, memory="256M", extra_args=None, monitor=False, icount=False,
                 display=False, serial_input=False, firmware="bios", machine=None):
        if firmware not in FIRMWARES:
            raise ValueError(f"firmware must be one of {FIRMWARES}, not {firmware!r}")
        missing = [str(f) for f in (OVMF_CODE, OVMF_VARS) if not f.exists()]
        if firmware == "uefi" and missing:
            raise MissingFirmware(f"no UEFI firmware: {', '.join(missing)} missing "
                                  "(tools/setup.sh installs the ovmf package)")
        self.workdir = pathlib.Path(tempfile.mkdtemp(prefix="baremetal-qemu-"))
        self.serial_path = self.workdir / "serial.log"
        self.monitor_path = self.workdir / "monitor.sock"
        self.serial_socket_path = self.workdir / "com1.sock" if serial_input else None
        # wait=on: QEMU starts the guest only once start() has connected, so no output is lost.
        serial = (f"unix:{self.serial_socket_path},server=on,wait=on" if serial_input
                  else f"file:{self.serial_path}")
        self.args = [qemu_binary(), "-cdrom", str(iso), "-m", memory, "-no-reboot",
                     "-serial", serial,
                     "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
                     "-boot", "d"]
        if machine:
            self.args += ["-machine", machine]
        if firmware == "uefi":
            variables = self.workdir / "ovmf_vars.fd"
            shutil.copyfile(OVMF_VARS, variables)
            self.args += ["-drive", f"if=pflash,format=raw,unit=0,readonly=on,file={OVMF_CODE}",
                          "-drive", f"if=pflash,format=raw,unit=1,file={variables}"]
        if not display:
            self.args += ["-display", "none"]
        if monitor:
            self.args += ["-monitor", f"unix:{self.monitor_path},server,nowait"]
        if icount:
            # Deterministic instruction counting: rdtsc deltas = guest instructions.
            # The RTC follows the same virtual clock as the PIT (its default is
            # the host's clock), so guest time is instructions for every device.
            self.args += ["-icount", "shift=0,align=off,sleep=off", "-rtc", "clock=vm"]
        self.args += extra_args or []
        self.process = None
        self.monitor_socket = None
        self.serial_socket = None
        self.serial_reader = None
        # A slow reader of COM1 (tests of the guest's back-pressure): at most this many bytes
        # per recv, then this pause. Changeable while the guest runs.
        self.serial_read_size = 65536
        self.serial_read_pause = 0.0
        self.start_time = None
        # With serial_input: when each chunk of COM1 output arrived (seconds since start) and
        # the log's length after it, so serial_arrival() can time a line to the chunk.
        self.chunk_arrivals = []

    def start(self):
        self.start_time = time.monotonic()
        self.process = subprocess.Popen(self.args, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT)
        if self.serial_socket_path is not None:
            self.serial_socket = self._connect(self.serial_socket_path, timeout=10.0)
            self.serial_reader = threading.Thread(target=self._copy_serial, daemon=True)
            self.serial_reader.start()
        return self

    def _connect(self, path, timeout):
        deadline = time.monotonic() + timeout
        while True:
            connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                connection.connect(str(path))
                return connection
            except OSError:
                connection.close()
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise
                time.sleep(0.002)  # QEMU waits for us (wait=on): boot timings start here

    def _copy_serial(self):
        """Drains COM1's socket into the log (an undrained socket would stall
        the guest's transmitter)."""
        with open(self.serial_path, "ab") as log:
            while True:
                try:
                    chunk = self.serial_socket.recv(self.serial_read_size)
                except OSError:
                    return
                if not chunk:
                    return
                log.write(chunk)
                log.flush()
                self.chunk_arrivals.append((time.monotonic() - self.start_time, log.tell()))
                if self.serial_read_pause:
                    time.sleep(self.serial_read_pause)

    def send_serial(self, data: bytes):
        """Types bytes into COM1 (needs serial_input=True)."""
        self.serial_socket.sendall(data)

    def serial(self) -> str:
        try:
            return self.serial_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def serial_bytes(self) -> bytes:
        """COM1 output as sent, without serial()'s newline translation."""
        try:
            return self.serial_path.read_bytes()
        except FileNotFoundError:
            return b""

    def wait_for_serial(self, text, timeout, since=0):
        """Waits until `text` appears on COM1 at or after character `since`
        of the log; returns the elapsed seconds since start, or None on
        timeout or if QEMU exited first."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.serial()[since:]:
                return time.monotonic() - self.start_time
            if self.process.poll() is not None:
                return time.monotonic() - self.start_time if text in self.serial()[since:] else None
            time.sleep(0.01)
        return None

    def serial_arrival(self, text, timeout):
        """With serial_input: seconds from start until the chunk that completed `text` (the
        first time it appears) arrived, or None on timeout. Timed by the reader thread as each
        chunk comes, not by polling, so it is exact to the chunk."""
        deadline = time.monotonic() + timeout
        encoded = text.encode()
        while time.monotonic() < deadline:
            at = self.serial_bytes().find(encoded)
            if at >= 0:
                end = at + len(encoded)
                for arrived, length in list(self.chunk_arrivals):
                    if length >= end:
                        return arrived
            if self.process.poll() is not None:
                return None
            time.sleep(0.005)
        return None

    def wait_exit(self, timeout, stop_on_halt=True):
        """Returns QEMU's exit code, or None if it had to be killed: after
        `timeout` seconds, or (with stop_on_halt) as soon as the kernel's
        panic path printed "System halted." and stopped the CPU for good,
        so a kernel crash fails fast instead of waiting out the timeout."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                return self.process.wait(timeout=0.2)
            except subprocess.TimeoutExpired:
                pass
            if stop_on_halt and HALT_MARKER in self.serial():
                time.sleep(0.5)  # let the rest of the report reach the log
                self.kill()
                return None
        self.kill()
        return None

    def monitor(self, command, timeout=10.0) -> str:
        """Sends one human-monitor command and returns its output."""
        if self.monitor_socket is None:
            deadline = time.monotonic() + timeout
            while True:
                try:
                    self.monitor_socket = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                    self.monitor_socket.connect(str(self.monitor_path))
                    break
                except OSError:
                    self.monitor_socket.close()
                    self.monitor_socket = None
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.05)
            self._read_until_prompt(timeout)
        self.monitor_socket.sendall(command.encode() + b"\n")
        output = self._read_until_prompt(timeout)
        # The monitor echoes the command line first.
        lines = output.replace("\r", "").split("\n")
        return "\n".join(line for line in lines[1:] if not line.startswith("(qemu)"))

    def _read_until_prompt(self, timeout) -> str:
        self.monitor_socket.settimeout(timeout)
        data = b""
        while not data.endswith(b"(qemu) "):
            chunk = self.monitor_socket.recv(65536)
            if not chunk:
                break
            data += chunk
        return data.decode(errors="replace")

    def vga_text(self) -> list:
        """The 80x25 text screen as 25 strings, read from guest memory."""
        output = self.monitor("xp /2000hx 0xb8000")
        cells = []
        for line in output.split("\n"):
            if ":" not in line:
                continue
            for word in line.split(":", 1)[1].split():
                cells.append(int(word, 16))
        chars = "".join(chr(c & 0xff) if 32 <= (c & 0xff) < 127 else " " for c in cells)
        return [chars[row * 80:(row + 1) * 80].rstrip() for row in range(25)]

    def screendump(self) -> pathlib.Path:
        """The display as QEMU shows it, written to a PPM file in the run's folder."""
        path = self.workdir / "screen.ppm"
        path.unlink(missing_ok=True)
        output = self.monitor(f"screendump {path}")
        if not path.exists():
            raise RuntimeError(f"screendump wrote nothing: {output.strip()}")
        return path

    def kill(self):
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def close(self):
        self.kill()
        if self.monitor_socket:
            self.monitor_socket.close()
        if self.serial_socket:
            self.serial_socket.close()
            self.serial_reader.join(timeout=5)
        shutil.rmtree(self.workdir, ignore_errors=True)


def results_path(name):
    """Where a test writes its case counts for ./check's summary, if asked."""
    directory = os.environ.get("BM_RESULTS_DIR")
    if not directory:
        return None
    return pathlib.Path(directory) / f"{name}.json"
