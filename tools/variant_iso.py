"""ISOs for other option values, made from the ELFs one build already has.

The end-to-end tests use this to boot what `meson configure -Dconsole=serial` (or another
servers / console / keyboard_layout value) would put on the ISO without a second build:
the manifest lines come from the servers' folders (tools/system_manifest.py), checked and
ordered by the build's manifest-tool, the image from tools/make_iso.py.
"""
import argparse
import pathlib
import subprocess
import sys

TOOLS = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(TOOLS))
import system_manifest  # noqa: E402


def add_arguments(parser):
    """The build facts a VariantMaker needs; test/qemu/meson.build passes them."""
    parser.add_argument("--kernel", required=True)
    parser.add_argument("--grub-cfg", required=True)
    parser.add_argument("--grub-mkrescue", default="grub-mkrescue")
    parser.add_argument("--init", required=True, help="PATH:init")
    parser.add_argument("--server-module", action="append", default=[], metavar="PATH:NAME")
    parser.add_argument("--servers", required=True, help="the build's servers option")
    parser.add_argument("--console", required=True)
    parser.add_argument("--screen", required=True)
    parser.add_argument("--keyboard-layout", required=True)
    parser.add_argument("--heap-policy", default="fixed_block")
    parser.add_argument("--manifest-tool", required=True, help="the build's manifest-tool")
    parser.add_argument("--initrd", default=None,
                        help="the build's initrd (boot/initrd), for ISOs with the file server")
    parser.add_argument("--compress-tool", default=None,
                        help="the build's compress-module: compress the modules as the build's "
                             "ISO does (tools/make_iso.py)")


def arguments_for_build(build, source):
    """The add_arguments() facts for a configured build directory (for tools that are not
    meson tests, such as tools/bench)."""
    build, source = pathlib.Path(build), pathlib.Path(source)
    options = {}
    for line in (build / "manifest.txt").read_text().splitlines():
        if line.startswith("server "):
            options.setdefault("servers", []).append(line.split()[1])
    modules = [f"{elf}:{elf.stem}" for elf in sorted((build / "servers").glob("*/*.elf"))
               if elf.stem != "init"]
    servers = options.get("servers", [])
    screen = "auto" if "vga" in servers and "fb" in servers else ("fb" if "fb" in servers else "vga")
    return argparse.Namespace(
        kernel=str(build / "kernel/kernel.elf"), grub_cfg=str(source / "boot/grub.cfg"),
        grub_mkrescue="grub-mkrescue", init=f"{build / 'servers/init/init.elf'}:init",
        server_module=modules, servers=",".join(servers),
        console="vga", screen=screen, keyboard_layout="us", heap_policy="fixed_block",
        manifest_tool=str(manifest_tool_of(build)),
        initrd=str(build / "boot/initrd/initrd.tar"), compress_tool=compress_tool_of(build))


def manifest_tool_of(build):
    """Where a build directory has its manifest-tool (tools/meson.build)."""
    return pathlib.Path(build) / "tools" / "manifest-tool"


def compress_tool_of(build):
    """The build's compress-module (tools/meson.build), or None if it has none."""
    tool = pathlib.Path(build) / "tools" / "compress-module"
    return str(tool) if tool.exists() else None


def build_iso(output, kernel, grub_cfg, modules, manifest_lines, manifest_tool,
              grub_mkrescue="grub-mkrescue", screen="auto", compress_tool=None):
    """Writes the manifest of `manifest_lines` (`server NAME ...` lines) next to `output`
    with `manifest_tool`, which checks them and puts them in start order, and makes the ISO:
    the kernel, `modules` (PATH:NAME, init first) and the manifest, all but init compressed
    if `compress_tool` is given. Returns the ISO's path as a string."""
    output = pathlib.Path(output)
    manifest = output.with_suffix(".manifest.txt")
    system_manifest.write_manifest(manifest_tool, manifest, manifest_lines)
    command = [sys.executable, str(TOOLS / "make_iso.py"), "--grub-mkrescue", grub_mkrescue,
               "--kernel", str(kernel), "--grub-cfg", str(grub_cfg), "--output", str(output)]
    for spec in list(modules) + [f"{manifest}:manifest"]:
        command += ["--module", spec]
    for spec in system_manifest.module_platforms(screen):
        command += ["--module-platform", spec]
    if compress_tool:
        command += ["--compress-tool", str(compress_tool)]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return str(output)


class VariantMaker:
    """Call with any of servers (a list), console, keyboard_layout; returns an ISO path."""

    def __init__(self, args, workdir):
        self.args = args
        self.workdir = pathlib.Path(workdir)
        self.count = 0

    def __call__(self, servers=None, console=None, keyboard_layout=None, extra_arguments=None,
                 heap_policy=None, screen=None):
        options = {"console": console or self.args.console,
                   "screen": screen or self.args.screen,
                   "keyboard_layout": keyboard_layout or self.args.keyboard_layout,
                   "heap_policy": heap_policy or self.args.heap_policy}
        servers = system_manifest.on_the_iso(servers or self.args.servers.split(","),
                                             options["screen"])
        lines = system_manifest.server_lines(servers, options, extra_arguments)
        self.count += 1
        modules = [self.args.init] + [spec for spec in self.args.server_module
                                      if spec.rsplit(":", 1)[1] in servers]
        # fs's manifest line grants it the initrd (modules=initrd), as on the build's own ISO.
        if "fs" in servers and getattr(self.args, "initrd", None):
            modules.append(f"{self.args.initrd}:initrd")
        return build_iso(self.workdir / f"variant-{self.count}.iso", self.args.kernel,
                         self.args.grub_cfg, modules, lines, self.args.manifest_tool,
                         self.args.grub_mkrescue, options["screen"],
                         getattr(self.args, "compress_tool", None))
