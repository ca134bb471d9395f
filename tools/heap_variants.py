#!/usr/bin/env python3
"""Checks the kernel_heap build option end to end: for each heap strategy
other than the main build's, configure a build directory with
-Dkernel_heap=<strategy>, build only its kernel, put it on an ISO with the main
build's init and servers (tools/variant_iso.py: they do not depend on the
option), boot it and check that the banner names that strategy and the kernel
reaches "ready".

Used by ./check (tools/test_all.py); writes its case counts to BM_RESULTS_DIR
like the other QEMU suites.
"""
import argparse
import json
import pathlib
import subprocess
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import heap_strategies  # noqa: E402
import qemu  # noqa: E402
import test_verdict  # noqa: E402
import variant_iso  # noqa: E402

SOURCE = pathlib.Path(__file__).resolve().parents[1]


def configured_strategy(build):
    options = json.loads(subprocess.run(
        ["meson", "introspect", "--buildoptions", str(build)],
        check=True, stdout=subprocess.PIPE, text=True).stdout)
    return next(o["value"] for o in options if o["name"] == "kernel_heap")


def check_variant(build, strategy):
    variant = build / "variants" / f"heap-{strategy}"
    if not (variant / "build.ninja").exists():
        subprocess.run(["meson", "setup", str(variant), str(SOURCE),
                        "--native-file", str(SOURCE / "cross/native.ini"),
                        "--cross-file", str(SOURCE / "cross/x86_64-elf.ini"),
                        f"-Dkernel_heap={strategy}", "-Dhost_tests=false",
                        "-Dkernel_tests=false"],
                       check=True, stdout=subprocess.DEVNULL)
    # Only the kernel differs: building the servers again would double the time.
    subprocess.run(["meson", "compile", "-C", str(variant), "kernel.elf"],
                   check=True, stdout=subprocess.DEVNULL)
    args = variant_iso.arguments_for_build(build, SOURCE)
    args.kernel = str(variant / "kernel" / "kernel.elf")
    iso = variant_iso.VariantMaker(args, variant)()
    run = qemu.QemuRun(iso, memory="128M").start()
    try:
        if run.wait_for_serial("BareMetal-OS ready.", 90) is None:
            return f"no ready line\n{run.serial()}"
        wanted = f"Kernel heap: {strategy} strategy"
        if wanted not in run.serial():
            return f"banner lacks '{wanted}'\n{run.serial()}"
        return None
    finally:
        run.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--build", default="build")
    args = parser.parse_args()
    build = pathlib.Path(args.build).resolve()

    main_strategy = configured_strategy(build)
    passed = failed = 0
    for strategy in heap_strategies.names():
        if strategy == main_strategy:
            continue  # the main build's e2e tests cover it
        try:
            problem = check_variant(build, strategy)
        except subprocess.CalledProcessError as error:
            problem = f"build failed: {error}"
        if problem:
            failed += 1
            print(f"FAIL kernel_heap={strategy}: {problem}")
        else:
            passed += 1
            print(f"PASS kernel_heap={strategy}")

    test_verdict.write_report("heap-variants", passed, failed)
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
