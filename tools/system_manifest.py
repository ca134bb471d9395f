#!/usr/bin/env python3
"""The system ISO's manifest, collected from each server's own folder (docs/manifest.md).

  system_manifest.py --list
  system_manifest.py --tool build/tools/manifest-tool --output FILE --servers memd,vga,shell \\
      --console vga --screen auto --keyboard-layout us --heap-policy fixed_block

Every folder servers/NAME with a file `manifest` is a server the build knows. That file holds
the server's one `server NAME ...` line and, when a build option changes the line, the values
its @placeholders@ take (the format is in docs/manifest.md, "A server's manifest file"). This
script only substitutes and collects lines; manifest-tool (tools/manifest_tool.cpp, built from
lib/manifest) checks them with init's own parser and writes them in start order. The
end-to-end tests import server_lines() to make the ISOs of other option values.
"""
import argparse
import pathlib
import re
import subprocess
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import heap_strategies  # noqa: E402

SERVERS = pathlib.Path(__file__).resolve().parents[1] / "servers"
MANIFEST_FILE = "manifest"
# The build options a manifest file may use, as @option@ or in a [option=value] condition.
OPTIONS = ("console", "screen", "keyboard_layout", "heap_policy")
# A placeholder the file defines that is not part of the line: servers the line's names need.
NEEDS = "needs"
# The screen drivers each value of the screen option may put on the ISO (those of them the
# servers option lists). With auto, init starts the one whose screen the boot provided: the
# other's device memory does not exist on that machine.
SCREEN_DRIVERS = {"vga": ["vga"], "fb": ["fb"], "auto": ["vga", "fb"]}
# In a needs list: at least one screen driver of the screen option.
NEEDS_SCREEN = "screen"
DEFINITION = re.compile(r"^([a-z_]+)(?:\[([a-z_]+)=([^\]]*)\])?\s*=\s*(.*)$")
PLACEHOLDER = re.compile(r"@([a-z_]+)@")
# Folder names become Meson variables (NAME_elf), so no '-' although manifests allow it.
SERVER_NAME = re.compile(r"^[a-z0-9_]{1,23}$")


class ManifestFileError(Exception):
    pass


def catalog():
    """The names of every server folder that carries a manifest file, sorted."""
    return sorted(path.parent.name for path in SERVERS.glob(f"*/{MANIFEST_FILE}"))


def manifest_path(name):
    return SERVERS / name / MANIFEST_FILE


def read_manifest_file(name):
    """(the server line, {placeholder: [(option, value or None, text), ...]}) of one folder."""
    path = manifest_path(name)
    if not SERVER_NAME.match(name):
        raise ManifestFileError(f"servers/{name}: a server's folder name is 1 to 23 characters "
                                "from a-z 0-9 _")
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ManifestFileError(f"{path}: {error.strerror}") from None
    line, definitions = None, {}
    for number, raw in enumerate(text.splitlines(), start=1):
        content = raw.strip()
        where = f"servers/{name}/{MANIFEST_FILE}:{number}"
        if not content or content.startswith("#"):
            continue
        if content.startswith("server ") or content == "server":
            if line is not None:
                raise ManifestFileError(f"{where}: a second server line")
            if content.split()[1:2] != [name]:
                raise ManifestFileError(f"{where}: the line must start with 'server {name}', "
                                        "the folder's name")
            line = content
            continue
        match = DEFINITION.match(content)
        if not match:
            raise ManifestFileError(f"{where}: neither the server line nor "
                                    "'name = value' / 'name[option=value] = value'")
        placeholder, option, value, replacement = match.groups()
        if placeholder in OPTIONS:
            raise ManifestFileError(f"{where}: @{placeholder}@ is the build option's value")
        if option is not None and option not in OPTIONS:
            raise ManifestFileError(f"{where}: unknown option '{option}' "
                                    f"(one of {', '.join(OPTIONS)})")
        definitions.setdefault(placeholder, []).append((option, value, replacement))
    if line is None:
        raise ManifestFileError(f"servers/{name}/{MANIFEST_FILE}: no server line")
    return line, definitions


def resolve(definitions, placeholder, options, where):
    """A placeholder's value for these options: the last matching condition, else the plain
    definition."""
    if placeholder in OPTIONS:
        return options[placeholder]
    value = None
    for option, wanted, replacement in definitions.get(placeholder, []):
        if option is None and value is None:
            value = replacement
    for option, wanted, replacement in definitions.get(placeholder, []):
        if option is not None and options[option] == wanted:
            value = replacement
    if value is None:
        raise ManifestFileError(f"{where}: @{placeholder}@ has no value for "
                                + ", ".join(f"{key}={options[key]}" for key in OPTIONS))
    return value


def server_line(name, options, extra_arguments=()):
    """The server's manifest line for these options (a dict of OPTIONS), placeholders filled.
    extra_arguments are more args= words (tools/bench's latency probe)."""
    line, definitions = read_manifest_file(name)
    where = f"servers/{name}/{MANIFEST_FILE}"
    line = PLACEHOLDER.sub(lambda m: resolve(definitions, m.group(1), options, where), line)
    if extra_arguments:
        words = ",".join(extra_arguments)
        line += ("," if " args=" in line else " args=") + words
    return line


def server_needs(name, options):
    _, definitions = read_manifest_file(name)
    if NEEDS not in definitions:
        return []
    needs = resolve(definitions, NEEDS, options, f"servers/{name}/{MANIFEST_FILE}").split()
    # Each entry is a list of alternatives, one of which must be on the ISO.
    return [SCREEN_DRIVERS[options["screen"]] if needed == NEEDS_SCREEN else [needed]
            for needed in needs]


def on_the_iso(servers, screen):
    """The servers option without the screen drivers the screen option leaves out."""
    if screen not in SCREEN_DRIVERS:
        raise ManifestFileError(f"screen '{screen}' is none of {', '.join(SCREEN_DRIVERS)}")
    left_out = {driver for drivers in SCREEN_DRIVERS.values() for driver in drivers}
    left_out -= set(SCREEN_DRIVERS[screen])
    return [name for name in servers if name not in left_out]


# With screen=auto both screen drivers are on the ISO, but a boot can use only one: VGA text
# exists on BIOS boots (GRUB platform "pc"), a framebuffer on UEFI boots ("efi"). GRUB loads
# each only on its platform, so a boot does not read the other's file (docs/boot.md).
SCREEN_DRIVER_PLATFORMS = {"vga": "pc", "fb": "efi"}


def module_platforms(screen):
    """NAME:PLATFORM for each boot module GRUB should load on one platform only."""
    if screen != "auto":
        return []
    return [f"{name}:{platform}" for name, platform in SCREEN_DRIVER_PLATFORMS.items()]


def server_lines(servers, options, extra_arguments=None):
    """The lines of `servers` (in that order; manifest-tool orders them for start-up) for the
    build options in `options`, without the screen drivers the screen option leaves out. extra_arguments maps a server to more args= words."""
    known = catalog()
    unknown = [name for name in servers if name not in known]
    if unknown:
        raise ManifestFileError(f"no servers/NAME/{MANIFEST_FILE} for: {', '.join(unknown)}")
    missing_options = [key for key in OPTIONS if key not in options]
    if missing_options:
        raise ManifestFileError(f"no value for the option(s) {', '.join(missing_options)}")
    servers = on_the_iso(servers, options["screen"])
    if options["heap_policy"] not in heap_strategies.names():
        raise ManifestFileError(f"heap_policy '{options['heap_policy']}' is none of "
                                f"{', '.join(heap_strategies.names())} (lib/abi/heap_strategy.h)")
    for name in servers:
        missing = [" or ".join(alternatives) for alternatives in server_needs(name, options)
                   if not any(needed in servers for needed in alternatives)]
        if missing:
            raise ManifestFileError(
                f"{name} with console={options['console']} needs the server(s) "
                f"{', '.join(missing)} in the servers option")
    return [server_line(name, options, (extra_arguments or {}).get(name, []))
            for name in servers]


def write_manifest(tool, output, lines):
    """Runs manifest-tool: it checks `lines` and writes them, in start order, to `output`
    (removed if a line is bad). Raises subprocess.CalledProcessError with its message."""
    subprocess.run([str(tool), "--output", str(output)] + list(lines), check=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--list", action="store_true", help="print the servers the build knows")
    parser.add_argument("--on-the-iso", action="store_true",
                        help="print the servers of --servers that go on the ISO for --screen")
    parser.add_argument("--module-platforms", action="store_true",
                        help="print make_iso's --module-platform arguments for --screen")
    parser.add_argument("--tool", metavar="PATH", help="the manifest-tool program")
    parser.add_argument("--output", metavar="FILE")
    parser.add_argument("--servers", help="comma-separated server names, the servers option")
    parser.add_argument("--console")
    parser.add_argument("--screen")
    parser.add_argument("--keyboard-layout")
    parser.add_argument("--heap-policy")
    args = parser.parse_args()
    if args.list:
        print("\n".join(catalog()))
        return 0
    if args.module_platforms:
        for spec in module_platforms(args.screen):
            print(f"--module-platform\n{spec}")
        return 0
    if args.on_the_iso:
        try:
            print("\n".join(on_the_iso(args.servers.split(","), args.screen)))
        except ManifestFileError as error:
            sys.stderr.write(f"system_manifest: {error}\n")
            return 1
        return 0
    if not (args.tool and args.output and args.servers is not None and args.console and
            args.screen and args.keyboard_layout and args.heap_policy):
        parser.error("--output needs --tool, --servers, --console, --screen, --keyboard-layout "
                     "and --heap-policy")
    servers = [name for name in args.servers.split(",") if name]
    options = {"console": args.console, "screen": args.screen,
               "keyboard_layout": args.keyboard_layout, "heap_policy": args.heap_policy}
    try:
        write_manifest(args.tool, args.output, server_lines(servers, options))
    except ManifestFileError as error:
        sys.stderr.write(f"system_manifest: {error}\n")
        pathlib.Path(args.output).unlink(missing_ok=True)  # no stale manifest on the ISO
        return 1
    except subprocess.CalledProcessError:
        return 1  # manifest-tool has said which line and why
    return 0


if __name__ == "__main__":
    sys.exit(main())
