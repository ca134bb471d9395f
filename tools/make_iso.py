#!/usr/bin/env python3
"""Builds a GRUB-bootable ISO from one kernel ELF and a grub.cfg.

Layout inside the ISO: /boot/kernel.elf, /boot/modules/NAME (with --compress-tool, each but
init as a BMLZ container) and /boot/grub/grub.cfg. The image is hybrid:
grub-mkrescue adds a boot image for every GRUB platform installed, and we require both
i386-pc (BIOS) and x86_64-efi (UEFI), so no build quietly makes a BIOS-only ISO.
"""
import argparse
import pathlib
import shutil
import subprocess
import sys
import tempfile


def copy_for_boot(source, destination):
    """Copies an ELF without its symbols and debug sections (GRUB reads every
    byte of a module from the ISO, and boot time matters; nothing reads them at
    run time: fault reports print addresses); other files as they are. The
    build directory keeps the unstripped files for gdb and addr2line."""
    with open(source, "rb") as f:
        is_elf = f.read(4) == b"\x7fELF"
    strip = shutil.which("llvm-strip")
    if is_elf and strip:
        result = subprocess.run([strip, "--strip-all", "-o", str(destination), str(source)],
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if result.returncode == 0:
            return
    shutil.copy(source, destination)


# Modules that stay uncompressed: the kernel loads init's ELF itself, and init inflates the
# others (docs/boot.md).
UNCOMPRESSED_MODULES = {"init"}
BMLZ_MAGIC = b"BMLZ"  # lib/compress/format.h


def compress_in_place(tool, path):
    """Replaces `path` by its BMLZ container (lib/compress/format.h) written by the build's
    compress-module, if that is smaller: GRUB pays per byte it reads under BIOS, and init
    inflates only modules that start with the magic. A file that starts with it already
    stays as it is."""
    with open(path, "rb") as f:
        if f.read(len(BMLZ_MAGIC)) == BMLZ_MAGIC:
            return  # compressed already (a test's damaged module): as it is
    compressed = path.with_name(path.name + ".bmlz")
    subprocess.run([tool, str(path), str(compressed)], check=True)
    if compressed.stat().st_size < path.stat().st_size:
        compressed.replace(path)
    else:
        compressed.unlink()


# The GRUB platforms the ISO must boot on, and the Debian package of each.
REQUIRED_PLATFORMS = {"i386-pc": "grub-pc-bin", "x86_64-efi": "grub-efi-amd64-bin"}


def missing_platforms(grub_mkrescue):
    """Platforms grub-mkrescue would leave out: it takes every folder of
    <prefix>/lib/grub, beside the <prefix>/bin it was installed in."""
    program = shutil.which(grub_mkrescue) or grub_mkrescue
    library = pathlib.Path(program).resolve().parent.parent / "lib/grub"
    return [f"{platform} ({package})" for platform, package in REQUIRED_PLATFORMS.items()
            if not (library / platform / "multiboot2.mod").exists()]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--grub-mkrescue", default="grub-mkrescue")
    parser.add_argument("--kernel", required=True)
    parser.add_argument("--grub-cfg", required=True)
    parser.add_argument("--output", required=True)
    parser.add_argument("--module", action="append", default=[], metavar="PATH:NAME",
                        help="boot module: copied to /boot/modules/NAME, loaded with module2 NAME")
    parser.add_argument("--module-platform", action="append", default=[], metavar="NAME:PLATFORM",
                        help="load module NAME only when GRUB runs on PLATFORM (pc or efi)")
    parser.add_argument("--compress-tool", default=None, metavar="PATH",
                        help="the build's compress-module: compress every module but init")
    parser.add_argument("--cmdline", default="",
                        help="kernel command line appended to the multiboot2 line")
    args = parser.parse_args()

    missing = missing_platforms(args.grub_mkrescue)
    if missing:
        sys.stderr.write(f"make_iso: GRUB platform(s) not installed: {', '.join(missing)}; "
                         "tools/setup.sh installs them\n")
        return 1

    with tempfile.TemporaryDirectory(prefix="baremetal-iso-") as staging:
        root = pathlib.Path(staging)
        (root / "boot/grub").mkdir(parents=True)
        copy_for_boot(args.kernel, root / "boot/kernel.elf")
        config = pathlib.Path(args.grub_cfg).read_text()
        line = "multiboot2 /boot/kernel.elf"
        if line not in config:
            sys.stderr.write(f"make_iso: no '{line}' line in {args.grub_cfg}\n")
            return 1
        platform_of = {}
        for spec in args.module_platform:
            name, _, platform = spec.partition(":")
            if platform not in ("pc", "efi"):
                sys.stderr.write(f"make_iso: --module-platform wants NAME:pc or NAME:efi, got {spec}\n")
                return 1
            platform_of[name] = platform
        module_lines = ""
        for module in args.module:
            path, _, name = module.rpartition(":")
            if not path or not name:
                sys.stderr.write(f"make_iso: --module wants PATH:NAME, got {module}\n")
                return 1
            (root / "boot/modules").mkdir(exist_ok=True)
            copy_for_boot(path, root / f"boot/modules/{name}")
            if args.compress_tool and name not in UNCOMPRESSED_MODULES:
                compress_in_place(args.compress_tool, root / f"boot/modules/{name}")
            load = f"module2 /boot/modules/{name} {name}"
            if name in platform_of:
                load = (f'if [ "${{grub_platform}}" = "{platform_of[name]}" ]; then {load}; fi')
            module_lines += f"\n    {load}"
        config = config.replace(line, f"{line} {args.cmdline}".rstrip() + module_lines)
        (root / "boot/grub/grub.cfg").write_text(config)
        result = subprocess.run(
            [args.grub_mkrescue, "-o", args.output, str(root)],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if result.returncode != 0:
            sys.stderr.write(result.stdout)
            sys.stderr.write("make_iso: grub-mkrescue failed\n")
            return result.returncode
    return 0


if __name__ == "__main__":
    sys.exit(main())
