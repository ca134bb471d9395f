#!/usr/bin/env python3
"""The ISO boots on BIOS and UEFI machines, and the screen option picks its screen drivers:
the build's ISO carries both El Torito boot images; tools/make_iso.py refuses to make an
image when either GRUB platform is missing (so a machine set up without grub-efi-amd64-bin
fails the build instead of making a BIOS-only ISO); tools/system_manifest.py keeps the
screen drivers the screen option allows and refuses a shell without any.

Writes its case counts to BM_RESULTS_DIR (tools/test_all.py).
"""
import argparse
import pathlib
import subprocess
import sys
import tempfile

TOOLS = pathlib.Path(__file__).resolve().parents[2] / "tools"
sys.path.insert(0, str(TOOLS))
import system_manifest  # noqa: E402
import test_verdict  # noqa: E402


def case_the_iso_has_bios_and_uefi_boot_images(args):
    report = subprocess.run(["xorriso", "-indev", args.iso, "-report_el_torito", "plain"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True).stdout
    images = [line.split() for line in report.splitlines()
              if line.startswith("El Torito boot img :")]
    platforms = {fields[6] for fields in images if len(fields) > 6}  # after "img : N"
    if platforms != {"BIOS", "UEFI"}:
        return f"boot images for {sorted(platforms)}, not BIOS and UEFI:\n{report}"
    return None


def fake_grub(root, platforms):
    """A prefix with a grub-mkrescue that writes an empty file, and the platforms' modules."""
    (root / "bin").mkdir(parents=True)
    program = root / "bin/grub-mkrescue"
    program.write_text('#!/bin/sh\nwhile [ "$1" != -o ]; do shift; done\n: > "$2"\n')
    program.chmod(0o755)
    for platform in platforms:
        (root / "lib/grub" / platform).mkdir(parents=True)
        (root / "lib/grub" / platform / "multiboot2.mod").write_bytes(b"")
    return program


def make_iso_with(program, workdir):
    config = workdir / "grub.cfg"
    config.write_text("menuentry x {\n    multiboot2 /boot/kernel.elf\n}\n")
    kernel = workdir / "kernel.elf"
    kernel.write_bytes(b"not an ELF")
    return subprocess.run([sys.executable, str(TOOLS / "make_iso.py"), "--grub-mkrescue",
                           str(program), "--kernel", str(kernel), "--grub-cfg", str(config),
                           "--output", str(workdir / "out.iso")],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def case_make_iso_refuses_without_a_grub_platform(args):
    for present, missing_package in ((["i386-pc"], "grub-efi-amd64-bin"),
                                     (["x86_64-efi"], "grub-pc-bin")):
        with tempfile.TemporaryDirectory() as directory:
            workdir = pathlib.Path(directory)
            made = make_iso_with(fake_grub(workdir / "prefix", present), workdir)
            if made.returncode == 0 or missing_package not in made.stdout:
                return (f"with only {present}: exit {made.returncode}, "
                        f"expected a failure naming {missing_package}:\n{made.stdout}")
    with tempfile.TemporaryDirectory() as directory:
        workdir = pathlib.Path(directory)
        made = make_iso_with(fake_grub(workdir / "prefix", ["i386-pc", "x86_64-efi"]), workdir)
        if made.returncode != 0:
            return f"with both platforms the ISO build failed:\n{made.stdout}"
    return None


def options(screen, console="both"):
    return {"console": console, "screen": screen, "keyboard_layout": "us",
            "heap_policy": "fixed_block"}


def case_the_screen_option_picks_the_screen_drivers(args):
    servers = ["memd", "vga", "fb", "serial", "keyboard", "shell"]
    for screen, expected in (("auto", {"vga", "fb"}), ("vga", {"vga"}), ("fb", {"fb"})):
        lines = system_manifest.server_lines(servers, options(screen))
        drivers = {line.split()[1] for line in lines} & {"vga", "fb"}
        if drivers != expected:
            return f"screen={screen}: {sorted(drivers)} on the ISO, not {sorted(expected)}"
    # auto with one driver listed (a build directory configured before fb existed) works.
    lines = system_manifest.server_lines(["vga", "serial", "keyboard", "shell"], options("auto"))
    if not any(line.startswith("server vga ") for line in lines):
        return "screen=auto with only vga listed lost vga"
    return None


def case_a_shell_without_a_screen_driver_is_refused(args):
    for screen, servers in (("fb", ["vga", "serial", "keyboard", "shell"]),
                            ("auto", ["serial", "keyboard", "shell"])):
        try:
            system_manifest.server_lines(servers, options(screen))
        except system_manifest.ManifestFileError as error:
            if "needs" not in str(error) or "fb" not in str(error):
                return f"screen={screen}: the refusal does not name fb: {error}"
            continue
        return f"screen={screen} with {servers}: accepted without a screen driver"
    return None


CASES = [case_the_iso_has_bios_and_uefi_boot_images,
         case_make_iso_refuses_without_a_grub_platform,
         case_the_screen_option_picks_the_screen_drivers,
         case_a_shell_without_a_screen_driver_is_refused]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--iso", required=True)
    args = parser.parse_args()
    passed = failed = 0
    for case in CASES:
        name = case.__name__.removeprefix("case_")
        problem = case(args)
        if problem:
            failed += 1
            print(f"FAIL {name}: {problem}")
        else:
            passed += 1
            print(f"PASS {name}")
    test_verdict.write_report("iso", passed, failed, registered=len(CASES))
    print(f"iso: {passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
