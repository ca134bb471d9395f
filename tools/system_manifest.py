#!/usr/bin/env python3
"""The manifest of the system ISO, from the build options (docs/manifest.md).

  system_manifest.py --output FILE --servers vga,keyboard,shell --console vga --keyboard-layout us

Which servers go on the ISO, and how the `console` and `keyboard_layout` options wire them
together, is decided here and nowhere else: each server's manifest line comes from CATALOG,
and the options only change the names each server registers or looks up (its args=). No
server's source changes with an option. The end-to-end tests import server_lines() to make
the ISOs of other option values from the same build.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_manifest  # noqa: E402

# Start order, grants and priority of every server the build knows. Drivers start first and
# run above their clients, so a keystroke is taken off the hardware before anything else.
CATALOG = {
    # First, so every later server can allocate from the start; its pool is 16 MiB. Not
    # restarted: its state is every client's heap, which a new memd cannot rebuild
    # (docs/reliability.md).
    "memd": "memd priority=13 pool=4096",
    # Drivers are crash-only: restarted after a fault, a kill or two missed heartbeats.
    "vga": "vga priority=12 ports=0x3d4:2 memory=vga restart=yes heartbeat=1000",
    "serial": "serial priority=12 ports=0x3f8:8 irqs=4 restart=yes heartbeat=1000",
    "keyboard": "keyboard priority=12 ports=0x60:1,0x64:1 irqs=1 restart=yes heartbeat=1000",
    "shell": "shell priority=10 restart=yes control=yes",
    "echo": "echo priority=8 restart=yes",
    "ping": "ping priority=6 restart=yes",
    # A test server that stops answering after hang=MS (test/e2e/supervise_tests.py).
    "stall": "stall priority=4 restart=yes heartbeat=100",
    # A test server that takes every frame its quota allows and all memd gives it
    # (test/e2e/supervise_tests.py).
    "hog": "hog priority=4 frames=256",
}
CONSOLES = ("vga", "serial", "both")
LAYOUTS = ("us", "de")
POLICIES = ("fixed_block", "linked_list", "bump")


class OptionError(Exception):
    pass


def server_arguments(name, servers, console, layout, policy="fixed_block"):
    """The args= words of one server for these options (a list, possibly empty)."""
    if name == "memd":
        return [f"policy={policy}"]
    if name == "stall":
        return ["hang=300"]
    if name == "vga":
        # With console=serial the screen still works, under a name nobody looks up by default.
        return ["console.vga" if console == "serial" else "console"]
    if name == "keyboard":
        return [f"layout={layout}", "keyboard.ps2" if console == "serial" else "keyboard"]
    if name == "serial":
        if console == "serial":
            return ["serial", "console", "keyboard"]
        if console == "both":
            return ["serial", "console.serial", "keyboard.serial"]
        return ["serial"]
    if name == "shell":
        words = ["out:console", "in:keyboard"]
        if console == "both":
            words = ["out:console", "out:console.serial", "in:keyboard", "in:keyboard.serial"]
        return words
    return []


def server_lines(servers, console, layout, extra_arguments=None, policy="fixed_block"):
    """The --server entries of gen_manifest for these options, in start order.
    extra_arguments maps a server to more args= words (tools/bench's latency probe)."""
    unknown = [name for name in servers if name not in CATALOG]
    if unknown:
        raise OptionError(f"unknown server(s): {', '.join(unknown)}")
    if console not in CONSOLES:
        raise OptionError(f"console must be one of {', '.join(CONSOLES)}")
    if layout not in LAYOUTS:
        raise OptionError(f"keyboard_layout must be one of {', '.join(LAYOUTS)}")
    if policy not in POLICIES:
        raise OptionError(f"heap_policy must be one of {', '.join(POLICIES)}")
    needed = {"vga": ["vga"], "serial": ["serial"], "both": ["vga", "serial"]}[console]
    if "shell" in servers:
        needed += ["keyboard"] if console != "serial" else []
    missing = [name for name in needed if name not in servers]
    if missing:
        raise OptionError(f"console={console} needs the server(s) {', '.join(missing)} "
                          "in the servers option")
    lines = []
    for name in CATALOG:
        if name not in servers:
            continue
        words = server_arguments(name, servers, console, layout, policy)
        words += (extra_arguments or {}).get(name, [])
        lines.append(CATALOG[name] + (" args=" + ",".join(words) if words else ""))
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--output", required=True, metavar="FILE")
    parser.add_argument("--servers", required=True, help="comma-separated server names")
    parser.add_argument("--console", required=True, choices=CONSOLES)
    parser.add_argument("--keyboard-layout", required=True, choices=LAYOUTS)
    parser.add_argument("--heap-policy", default="fixed_block", choices=POLICIES)
    args = parser.parse_args()
    servers = [name for name in args.servers.split(",") if name]
    try:
        text = gen_manifest.generate(server_lines(servers, args.console, args.keyboard_layout,
                                                  policy=args.heap_policy))
    except (OptionError, gen_manifest.ManifestError) as error:
        sys.stderr.write(f"system_manifest: {error}\n")
        gen_manifest.write_output(args.output, None)
        return 1
    gen_manifest.write_output(args.output, text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
