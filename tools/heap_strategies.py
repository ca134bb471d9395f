"""The heap strategy names of lib/abi/heap_strategy.h, for the Python tools.

The C++ header's BM_HEAP_STRATEGIES table is the one definition; this module reads its
X(enumerator, value, "name") entries instead of keeping a second list, and fails loudly if
the table cannot be read.
"""
import pathlib
import re

HEADER = pathlib.Path(__file__).resolve().parents[1] / "lib" / "abi" / "heap_strategy.h"
ENTRY = re.compile(r'^\s*X\((k\w+),\s*(\d+),\s*"([a-z_]+)"\)', re.MULTILINE)


def table():
    """[(value, name), ...] in the header's order."""
    entries = [(int(value), name) for _, value, name in ENTRY.findall(HEADER.read_text())]
    if not entries:
        raise RuntimeError(f"no BM_HEAP_STRATEGIES entries in {HEADER}")
    return entries


def names():
    """The names the kernel_heap and heap_policy options and memd's policy= accept."""
    return tuple(name for _, name in table())
