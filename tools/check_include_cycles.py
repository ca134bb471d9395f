#!/usr/bin/env python3
"""Checks the layering of kernel/ and lib/ from their #include lines.

Each directory right below kernel/ or lib/ is a unit (kernel/arch/x86_64
counts as kernel/arch). A unit may include its own files and those of the
units in lower layers, never those above, and the include graph between
units has no cycle. The allowed layering, lowest first (docs/kernel.md
explains it):

  lib/core                   errors, results, utility, constants: needs nothing
  lib/<others>               freestanding shared code; may use each other without cycles
  kernel/arch                CPU and PC hardware; calls upward only through hooks the
                             layers above register (arch::InterruptHooks)
  kernel/debug               log, panic, fault report
  kernel/mm                  frames, kernel paging, kernel heap and stacks
  kernel/obj                 kernel objects that need no thread: the object base,
                             memory objects, address spaces, port ranges, power
  kernel/sched               threads and the scheduler; a thread knows its task only
                             as a context to load (kernel/sched/task_context.h)
  kernel/wait                what threads block on: endpoints, notifications, and the
                             link between a caller and the server that owes it a reply
  kernel/task                tasks, their handle tables, IRQ lines bound by a task
  kernel/ipc                 message transfer (it moves handles between tasks) and
                             fault reports, which are IPC to the supervisor
  kernel/boot                bring-up: exception policy, ELF loading, starting init
  kernel/syscall             the system-call table, the top

lib/ never includes kernel/ (nor ipc/, user/, servers/). A new unit must be
added to LAYERS below, which makes the layering a decision, not an accident.

Prints every violation and every cycle, and reports one case per unit plus
the cycle check (and two self-checks on planted faults) to ./check's summary
through BM_RESULTS_DIR. Exit status 0 when everything holds.
"""
import argparse
import pathlib
import re
import sys
import tempfile

# Lowest first; "lib/*" stands for every lib/ unit but lib/core.
LAYERS = [
    "lib/core",
    "lib/*",
    "kernel/arch",
    "kernel/debug",
    "kernel/mm",
    "kernel/obj",
    "kernel/sched",
    "kernel/wait",
    "kernel/task",
    "kernel/ipc",
    "kernel/boot",
    "kernel/syscall",
]
SOURCE_SUFFIXES = {".h", ".cpp", ".c", ".S"}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.MULTILINE)


def unit_of(path: pathlib.PurePosixPath):
    """kernel/<dir> or lib/<dir> for a repository path; None outside them."""
    parts = path.parts
    if len(parts) < 3 or parts[0] not in ("kernel", "lib"):
        return None
    return f"{parts[0]}/{parts[1]}"


def layer_of(unit: str):
    if unit in LAYERS:
        return LAYERS.index(unit)
    if unit.startswith("lib/"):
        return LAYERS.index("lib/*")
    return None


def include_edges(root: pathlib.Path):
    """{(from_unit, to_unit): [(file, included)]} for includes that resolve in the tree,
    and the list of includes of lib/ that reach outside lib/."""
    edges = {}
    outside = []
    for top in ("kernel", "lib"):
        for file in sorted((root / top).rglob("*")):
            if file.suffix not in SOURCE_SUFFIXES or not file.is_file():
                continue
            relative = pathlib.PurePosixPath(file.relative_to(root).as_posix())
            source = unit_of(relative)
            if source is None:
                continue
            for included in INCLUDE.findall(file.read_text(errors="replace")):
                target_path = pathlib.PurePosixPath(included)
                if not (root / target_path).is_file():
                    continue  # a system or generated header
                if top == "lib" and target_path.parts[0] != "lib":
                    outside.append((str(relative), included))
                    continue
                target = unit_of(target_path)
                if target is None or target == source:
                    continue
                edges.setdefault((source, target), []).append((str(relative), included))
    return edges, outside


def find_cycles(units, edges):
    """Every elementary cycle's first appearance, found by depth-first search from each unit."""
    successors = {unit: sorted({t for (s, t) in edges if s == unit}) for unit in units}
    cycles = []
    seen = set()

    def visit(start, node, path):
        for nxt in successors.get(node, []):
            if nxt == start:
                key = frozenset(path)
                if key not in seen:
                    seen.add(key)
                    cycles.append(path + [start])
            elif nxt not in path and nxt > start:  # each cycle once, from its smallest unit
                visit(start, nxt, path + [nxt])

    for unit in sorted(units):
        visit(unit, unit, [unit])
    return cycles


def check(root: pathlib.Path):
    """Returns {case name: list of problems} for the tree at root."""
    edges, outside = include_edges(root)
    units = sorted({u for edge in edges for u in edge} |
                   {f"{top}/{d.name}" for top in ("kernel", "lib") if (root / top).is_dir()
                    for d in (root / top).iterdir() if d.is_dir()})
    cases = {}
    for unit in units:
        problems = []
        layer = layer_of(unit)
        if layer is None:
            problems.append(f"{unit} is in no layer: add it to LAYERS in {pathlib.Path(__file__).name}")
        for (source, target), sites in sorted(edges.items()):
            if source != unit or layer is None:
                continue
            target_layer = layer_of(target)
            if target_layer is None or target_layer > layer:
                for file, included in sites:
                    problems.append(f"{file} includes {included}: {source} is below {target}")
        if unit.startswith("lib/"):
            for file, included in outside:
                if unit_of(pathlib.PurePosixPath(file)) == unit:
                    problems.append(f"{file} includes {included}: lib/ uses only lib/")
        cases[f"layering of {unit}"] = problems
    cycle_problems = []
    for cycle in find_cycles(units, edges):
        lines = [" -> ".join(cycle)]
        for source, target in zip(cycle, cycle[1:]):
            file, included = edges[(source, target)][0]
            lines.append(f"    {source} -> {target}: {file} includes {included}")
        cycle_problems.append("\n".join(lines))
    cases["no include cycle"] = cycle_problems
    return cases


def planted_tree(files):
    directory = tempfile.TemporaryDirectory()
    root = pathlib.Path(directory.name)
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return directory, root


def self_checks():
    """The checker must find what it is for: a planted cycle and a planted upward include."""
    results = {}
    directory, root = planted_tree({
        "kernel/arch/a.h": '#include "kernel/debug/b.h"\n',
        "kernel/debug/b.h": '#include "kernel/arch/a.h"\n',
    })
    with directory:
        cases = check(root)
        found = cases["no include cycle"]
        results["self-check: a planted cycle is reported"] = (
            [] if found and "kernel/arch -> kernel/debug -> kernel/arch" in found[0]
            else [f"the planted arch <-> debug cycle was not reported: {found}"])
    directory, root = planted_tree({
        "lib/core/c.h": '#include "kernel/mm/m.h"\n',
        "kernel/mm/m.h": "\n",
        "kernel/mm/n.h": '#include "kernel/syscall/s.h"\n',
        "kernel/syscall/s.h": "\n",
    })
    with directory:
        cases = check(root)
        upward = cases["layering of kernel/mm"]
        outside = cases["layering of lib/core"]
        results["self-check: an upward include is reported"] = (
            [] if len(upward) == 1 and "kernel/mm is below kernel/syscall" in upward[0]
            and len(outside) == 1 and "lib/ uses only lib/" in outside[0]
            else [f"planted upward includes not reported: {upward} {outside}"])
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", default=pathlib.Path(__file__).resolve().parent.parent,
                        type=pathlib.Path, help="the repository (default: this script's)")
    parser.add_argument("--name", default="include-cycles", help="name in ./check's summary")
    args = parser.parse_args()

    cases = self_checks()
    cases.update(check(args.root))
    passed = failed = 0
    for name, problems in cases.items():
        if problems:
            failed += 1
            print(f"FAIL {name}")
            for problem in problems:
                print(f"  {problem}")
        else:
            passed += 1
            print(f"PASS {name}")
    print(f"{passed} passed, {failed} failed")
    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
    import test_verdict  # where ./check collects case counts
    test_verdict.write_report(args.name, passed, failed)
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
