#!/usr/bin/env python3
"""Adding a server is a folder and one option value (docs/writing-a-server.md): these cases
make a server from the template in a copy of the tracked tree, configure that copy with the
server selected, build only its ELF and the manifest, and check the manifest carries its line
in start order; a bad line must fail that build with the line and the reason. They also
check every server folder's manifest file under every console value with manifest-tool.

Writes its case counts to BM_RESULTS_DIR like the QEMU suites (tools/test_all.py).
"""
import argparse
import pathlib
import shutil
import subprocess
import sys
import tempfile

SOURCE = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(SOURCE / "tools"))
import new_server  # noqa: E402
import qemu  # noqa: E402
import system_manifest  # noqa: E402
import test_verdict  # noqa: E402

NAME = "greeter"
# The default servers option plus the new one.
SERVERS = "memd,vga,serial,keyboard,shell,echo," + NAME


def run(command, **kwargs):
    return subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          **kwargs)


def copy_tracked_tree(destination):
    """The files git tracks, as a fresh clone would have them (with work-tree edits)."""
    listed = run(["git", "-C", str(SOURCE), "ls-files", "-z"], check=True).stdout.split("\0")
    for relative in filter(None, listed):
        source = SOURCE / relative
        if source.is_file():  # listed but deleted in the work tree
            target = destination / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)


def server_lines(manifest):
    return [line for line in manifest.read_text().splitlines() if line.startswith("server ")]


def case_template_makes_a_server(tree, build):
    folder = new_server.create(tree, NAME)
    files = sorted(path.name for path in folder.iterdir())
    if files != ["main.cpp", "manifest", "meson.build"]:
        return f"servers/{NAME} holds {files}"
    if f"'{NAME}'" not in (tree / "meson_options.txt").read_text():
        return "meson_options.txt lacks the option value"
    leftovers = [path.name for path in folder.iterdir() if "@NAME@" in path.read_text()]
    return f"placeholders left in {leftovers}" if leftovers else None


def case_configure_and_build(tree, build):
    configured = run(["meson", "setup", str(build), str(tree),
                      "--native-file", str(tree / "cross/native.ini"),
                      "--cross-file", str(tree / "cross/x86_64-elf.ini"),
                      "-Dhost_tests=false", "-Dkernel_tests=false", f"-Dservers={SERVERS}"])
    if configured.returncode != 0:
        return f"meson setup failed\n{configured.stdout[-3000:]}"
    built = run(["ninja", "-C", str(build), f"servers/{NAME}/{NAME}.elf", "manifest.txt"])
    if built.returncode != 0:
        return f"the build failed\n{built.stdout[-3000:]}"
    if not (build / "servers" / NAME / f"{NAME}.elf").is_file():
        return "no ELF"
    return None


def case_manifest_has_its_line_in_start_order(tree, build):
    lines = server_lines(build / "manifest.txt")
    wanted = f"server {NAME} priority=6 restart=yes"
    if wanted not in lines:
        return f"'{wanted}' not in {lines}"
    modules = [line.split()[1] for line in lines]
    # Descending priority: memd 13, the drivers 12, shell 10, echo 8, the new server 6.
    expected = ["memd", "vga", "serial", "keyboard", "shell", "echo", NAME]
    return None if modules == expected else f"start order {modules}, wanted {expected}"


def case_bad_line_fails_the_build(tree, build):
    manifest_file = tree / "servers" / NAME / "manifest"
    good = manifest_file.read_text()
    manifest_file.write_text(good.replace("priority=6", "priority=16"))
    try:
        built = run(["ninja", "-C", str(build), "manifest.txt"])
    finally:
        manifest_file.write_text(good)
    if built.returncode == 0:
        return "the build accepted priority=16"
    for needed in ("priority above 15", f"server {NAME} priority=16 restart=yes"):
        if needed not in built.stdout:
            return f"the failure does not say '{needed}'\n{built.stdout[-2000:]}"
    if (build / "manifest.txt").exists():
        return "a stale manifest.txt survived the failed build"
    return None


def case_every_folder_under_every_console(manifest_tool, workdir):
    servers = system_manifest.catalog()
    for console in ("vga", "serial", "both"):
        options = {"console": console, "screen": "auto", "keyboard_layout": "de",
                   "heap_policy": "bump"}
        output = pathlib.Path(workdir) / f"all-{console}.txt"
        checked = run([str(manifest_tool), "--output", str(output)]
                      + system_manifest.server_lines(servers, options))
        if checked.returncode != 0:
            return f"console={console}: {checked.stdout}"
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--manifest-tool", required=True, help="this build's manifest-tool")
    args = parser.parse_args()
    passed = failed = 0

    def report(name, problem):
        nonlocal passed, failed
        if problem:
            failed += 1
            print(f"FAIL {name}: {problem}")
        else:
            passed += 1
            print(f"PASS {name}")

    with tempfile.TemporaryDirectory(prefix="bm-new-server-") as workdir:
        tree, build = pathlib.Path(workdir) / "tree", pathlib.Path(workdir) / "build"
        copy_tracked_tree(tree)
        cases = [case_template_makes_a_server, case_configure_and_build,
                 case_manifest_has_its_line_in_start_order, case_bad_line_fails_the_build]
        for index, case in enumerate(cases):
            problem = case(tree, build)
            report(case.__name__[len("case_"):], problem)
            if problem:  # the later cases build on this one
                for later in cases[index + 1:]:
                    report(later.__name__[len("case_"):], "not run: an earlier case failed")
                break
        report("every_folder_under_every_console",
               case_every_folder_under_every_console(args.manifest_tool, workdir))

    test_verdict.write_report("new-server", passed, failed)
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
