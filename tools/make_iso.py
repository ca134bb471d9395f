#!/usr/bin/env python3
"""Builds a GRUB-bootable ISO from one kernel ELF and a grub.cfg.

Layout inside the ISO: /boot/kernel.elf and /boot/grub/grub.cfg.
"""
import argparse
import pathlib
import shutil
import subprocess
import sys
import tempfile


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--grub-mkrescue", default="grub-mkrescue")
    parser.add_argument("--kernel", required=True)
    parser.add_argument("--grub-cfg", required=True)
    parser.add_argument("--output", required=True)
    parser.add_argument("--cmdline", default="",
                        help="kernel command line appended to the multiboot2 line")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="baremetal-iso-") as staging:
        root = pathlib.Path(staging)
        (root / "boot/grub").mkdir(parents=True)
        shutil.copy(args.kernel, root / "boot/kernel.elf")
        config = pathlib.Path(args.grub_cfg).read_text()
        if args.cmdline:
            line = "multiboot2 /boot/kernel.elf"
            if line not in config:
                sys.stderr.write(f"make_iso: no '{line}' line in {args.grub_cfg}\n")
                return 1
            config = config.replace(line, f"{line} {args.cmdline}")
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
