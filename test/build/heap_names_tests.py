#!/usr/bin/env python3
"""The heap strategies are defined once, in lib/abi/heap_strategy.h: the build options that
choose one (kernel_heap, heap_policy) must offer exactly its names, since the kernel and
memd accept nothing else. Meson cannot read the header, so this checks the options against it.

Writes its case counts to BM_RESULTS_DIR (tools/test_all.py).
"""
import argparse
import json
import pathlib
import subprocess
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "tools"))
import heap_strategies  # noqa: E402
import qemu  # noqa: E402
import test_verdict  # noqa: E402

OPTIONS = ("kernel_heap", "heap_policy")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--build", required=True)
    args = parser.parse_args()
    options = json.loads(subprocess.run(["meson", "introspect", "--buildoptions", args.build],
                                        check=True, stdout=subprocess.PIPE, text=True).stdout)
    choices = {option["name"]: option.get("choices") for option in options}
    names = list(heap_strategies.names())
    passed = failed = 0
    for option in OPTIONS:
        offered = choices.get(option)
        if offered is not None and sorted(offered) == sorted(names):
            passed += 1
            print(f"PASS {option} offers {', '.join(names)}")
        else:
            failed += 1
            print(f"FAIL {option} offers {offered}; lib/abi/heap_strategy.h names {names}")
    test_verdict.write_report("heap-names", passed, failed)
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
