#!/usr/bin/env python3
"""Keeps the user docs true to the code they describe. Each check is one case:

- readme-options: README.md's options table lists every option of meson_options.txt, with
  its values and its default, and no other;
- syscalls-calls: docs/syscalls.md has a section "### N `name`" for every call of
  BM_SYSCALL_LIST in lib/abi/syscalls.h, with its number, in order, and no other;
- syscalls-count: the numbers docs/syscalls.md states (the range of rax, the first unknown
  number) agree with the list's length;
- syscalls-status: its status-code table is BM_STATUS_LIST, code for code;
- protocol-labels: every label defined in ipc/*.h (each message of a BM_*_MESSAGES list,
  each MessageSpec, each constant named k...Label) has a row in docs/protocols.md naming
  it with its number.

Prints PASS/FAIL per case and a closing count; writes the count to BM_RESULTS_DIR for
./check's summary (tools/test_all.py)."""
import argparse
import io
import pathlib
import re
import sys
import tokenize

ROOT = pathlib.Path(__file__).resolve().parents[1]


class Mismatch(Exception):
    pass


# --- sources ----------------------------------------------------------------------------------

def meson_options(path):
    """The option() calls of meson_options.txt as dicts: name, type, choices, value, min, max.
    Meson's `key: value` arguments become Python keywords, so ast can read each call."""
    import ast
    tokens = []
    previous = None
    for token in tokenize.generate_tokens(io.StringIO(path.read_text()).readline):
        if token.type == tokenize.OP and token.string == ":" and previous is not None \
                and previous.type == tokenize.NAME:
            token = token._replace(string="=")
        elif token.type == tokenize.NAME and token.string in ("true", "false"):
            token = token._replace(string=token.string.capitalize())
        tokens.append((token.type, token.string))
        if token.type not in (tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT):
            previous = token
    source = tokenize.untokenize(tokens)
    options = []
    for statement in ast.parse(source).body:
        call = statement.value
        if not (isinstance(call, ast.Call) and getattr(call.func, "id", "") == "option"):
            raise Mismatch(f"{path.name}: not an option() call: {ast.dump(statement)[:80]}")
        option = {"name": ast.literal_eval(call.args[0])}
        for keyword in call.keywords:
            option[keyword.arg] = ast.literal_eval(keyword.value)
        options.append(option)
    return options


def macro_entries(text, macro):
    """The X(...) entries of `#define macro(X)`, each as a list of its arguments."""
    match = re.search(r"#define\s+" + re.escape(macro) + r"\(X\)((?:[^\n]*\\\n)*[^\n]*)", text)
    if not match:
        raise Mismatch(f"no #define {macro}(X)")
    body = match.group(1).replace("\\\n", "\n")
    return [[part.strip() for part in entry.split(",")]
            for entry in re.findall(r"X\(([^)]*)\)", body)]


def syscall_list():
    text = (ROOT / "lib/abi/syscalls.h").read_text()
    return [(name, int(number)) for name, number in macro_entries(text, "BM_SYSCALL_LIST")]


def status_list():
    text = (ROOT / "lib/abi/syscalls.h").read_text()
    return [(entry[0], int(entry[1])) for entry in macro_entries(text, "BM_STATUS_LIST")]


def number(text, constants):
    """The value of a label expression in ipc/: a literal, a known constant, or a sum."""
    total = 0
    for term in text.split("+"):
        term = term.strip()
        if re.fullmatch(r"0[xX][0-9a-fA-F]+|\d+", term):
            total += int(term, 0)
        elif term in constants:
            total += constants[term]
        else:
            raise Mismatch(f"cannot evaluate label term {term!r}")
    return total


def ipc_labels():
    """(header, kName, "name", value) for every label defined in ipc/*.h."""
    labels = []
    for header in sorted((ROOT / "ipc").glob("*.h")):
        text = header.read_text()
        constants = {name: int(value, 0) for name, value in re.findall(
            r"constexpr\s+uint32_t\s+(k\w+)\s*=\s*(0[xX][0-9a-fA-F]+|\d+)\s*;", text)}
        protocol_text = (ROOT / "ipc/protocol.h").read_text()
        constants.update({name: int(value, 0) for name, value in re.findall(
            r"constexpr\s+uint32_t\s+(k\w+LabelBase)\s*=\s*(0[xX][0-9a-fA-F]+|\d+)\s*;",
            protocol_text)})
        for name, expression in re.findall(r"constexpr\s+uint32_t\s+(k\w+)\s*=\s*([^;]+);",
                                           text):
            if name not in constants:
                try:
                    constants[name] = number(expression, constants)
                except Mismatch:
                    pass
        for macro in re.findall(r"#define\s+(BM_\w+_MESSAGES)\(X\)", text):
            for entry in macro_entries(text, macro):
                labels.append((header.name, "k" + entry[0], entry[2].strip('"'),
                               number(entry[1], constants)))
        for spec_name, label, wire_name in re.findall(
                r"constexpr\s+MessageSpec\s+(k\w+)Spec\s*\{\s*(\w+)\s*,\s*\"([^\"]*)\"", text):
            labels.append((header.name, label, wire_name, number(label, constants)))
        # A label with no message spec, such as echo's: a constant named k...Label.
        for name, expression in re.findall(
                r"constexpr\s+uint32_t\s+(k\w+Label)\s*=\s*([^;]+);", text):
            labels.append((header.name, name, name, number(expression, constants)))
    return labels


# --- docs -------------------------------------------------------------------------------------

def table_rows(text, first_header):
    """The rows (lists of cells) of the markdown table whose header row starts with
    `| first_header |`."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("|") and cells and cells[0] == first_header:
            rows = []
            for row in lines[i + 2:]:
                if not row.startswith("|"):
                    break
                rows.append([cell.strip() for cell in row.strip().strip("|").split("|")])
            return rows
    raise Mismatch(f"no table with a '{first_header}' column")


def code_words(cell):
    return re.findall(r"`([^`]*)`", cell)


def integers(cell):
    return [int(token.replace(",", "")) for token in re.findall(r"\d[\d,]*", cell)]


# --- checks -----------------------------------------------------------------------------------

def check_readme_options():
    options = meson_options(ROOT / "meson_options.txt")
    rows = table_rows((ROOT / "README.md").read_text(), "option")
    documented = {}
    for row in rows:
        names = code_words(row[0])
        if len(row) < 3 or len(names) != 1:
            raise Mismatch(f"README options table: malformed row {row}")
        documented[names[0]] = row
    problems = []
    names = [option["name"] for option in options]
    for extra in sorted(set(documented) - set(names)):
        problems.append(f"README lists `{extra}`, which meson_options.txt does not have")
    for option in options:
        name, kind = option["name"], option["type"]
        row = documented.get(name)
        if row is None:
            problems.append(f"README does not list option `{name}`")
            continue
        values, default = row[1], row[2]
        if kind in ("combo", "array"):
            if sorted(code_words(values)) != sorted(option["choices"]):
                problems.append(f"`{name}` values: README {code_words(values)}, "
                                f"meson_options.txt {option['choices']}")
            want = option["value"] if kind == "array" else [option["value"]]
            if sorted(code_words(default)) != sorted(want):
                problems.append(f"`{name}` default: README {code_words(default)}, "
                                f"meson_options.txt {want}")
        elif kind == "boolean":
            if set(re.findall(r"true|false", values)) != {"true", "false"}:
                problems.append(f"`{name}` values: README '{values}', want true / false")
            if default.strip("` ") != str(option["value"]).lower():
                problems.append(f"`{name}` default: README '{default}', "
                                f"meson_options.txt {str(option['value']).lower()}")
        elif kind == "integer":
            bounds = [option.get("min"), option.get("max")]
            if integers(values) != [b for b in bounds if b is not None]:
                problems.append(f"`{name}` values: README '{values}', "
                                f"meson_options.txt {bounds[0]} … {bounds[1]}")
            if integers(default) != [option["value"]]:
                problems.append(f"`{name}` default: README '{default}', "
                                f"meson_options.txt {option['value']}")
        else:
            if default.strip("` ") != str(option["value"]):
                problems.append(f"`{name}` default: README '{default}', "
                                f"meson_options.txt {option['value']}")
    if problems:
        raise Mismatch("\n  ".join(problems))


def check_syscall_sections():
    calls = syscall_list()
    text = (ROOT / "docs/syscalls.md").read_text()
    sections = [(name, int(number)) for number, name in
                re.findall(r"^### (\d+) `(\w+)`", text, re.MULTILINE)]
    if sections != calls:
        missing = [call for call in calls if call not in sections]
        extra = [section for section in sections if section not in calls]
        raise Mismatch(f"docs/syscalls.md sections differ from BM_SYSCALL_LIST: "
                       f"missing {missing}, not in the ABI {extra}"
                       + ("" if missing or extra else ", order differs"))


def check_syscall_count():
    count = len(syscall_list())
    numbers = sorted(number for _, number in syscall_list())
    if numbers != list(range(count)):
        raise Mismatch(f"BM_SYSCALL_LIST is not numbered 0..{count - 1}: {numbers}")
    text = (ROOT / "docs/syscalls.md").read_text()
    problems = []
    ranges = re.findall(r"call number \((\d+)[–-](\d+)\)", text)
    if not ranges:
        problems.append("no 'call number (0–N)' in the calling convention")
    for low, high in ranges:
        if (int(low), int(high)) != (0, count - 1):
            problems.append(f"says call numbers {low}–{high}; the ABI has 0–{count - 1}")
    firsts = re.findall(r"A number of (\d+) or\s+more returns", text)
    if not firsts:
        problems.append("no 'A number of N or more returns kUnknownSyscall'")
    for first in firsts:
        if int(first) != count:
            problems.append(f"says {first} or more is unknown; the first unknown is {count}")
    if problems:
        raise Mismatch("\n  ".join(problems))


def check_status_table():
    statuses = status_list()
    rows = table_rows((ROOT / "docs/syscalls.md").read_text(), "code")
    documented = []
    for row in rows:
        names = code_words(row[1]) if len(row) > 1 else []
        if not row[0].isdigit() or len(names) != 1:
            raise Mismatch(f"status table: malformed row {row}")
        documented.append((names[0], int(row[0])))
    if documented != statuses:
        raise Mismatch(f"status table differs from BM_STATUS_LIST: missing "
                       f"{[s for s in statuses if s not in documented]}, not in the ABI "
                       f"{[s for s in documented if s not in statuses]}")


def check_protocol_labels():
    text = (ROOT / "docs/protocols.md").read_text()
    rows = [[cell.strip() for cell in line.strip().strip("|").split("|")]
            for line in text.splitlines() if line.startswith("|")]
    problems = []
    labels = ipc_labels()
    if len(labels) < 20:
        problems.append(f"found only {len(labels)} labels in ipc/: the parser is broken")
    for header, constant, wire_name, value in labels:
        found = False
        for row in rows:
            # The name and the number in one cell ("`kGetGrant` (1)"), or in the first two
            # ("| 0x101 | `write` |").
            for cell in [" ".join(row[:2])] + row:
                named = f"`{wire_name}`" in cell or f"`{constant}`" in cell
                numbers = [int(token, 0)
                           for token in re.findall(r"0x[0-9a-fA-F]+|\b\d+\b", cell)]
                found = found or (named and value in numbers)
            if found:
                break
        if not found:
            problems.append(f"{header}: {constant} (`{wire_name}`, {value:#x}) has no row in "
                            f"docs/protocols.md naming it with its label")
    if problems:
        raise Mismatch("\n  ".join(problems))


CHECKS = [
    ("readme-options", check_readme_options),
    ("syscalls-calls", check_syscall_sections),
    ("syscalls-count", check_syscall_count),
    ("syscalls-status", check_status_table),
    ("protocol-labels", check_protocol_labels),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--name", default="docs-check", help="name of the BM_RESULTS_DIR report")
    args = parser.parse_args()
    passed = failed = 0
    for name, check in CHECKS:
        try:
            check()
            passed += 1
            print(f"PASS {name}", flush=True)
        except Mismatch as mismatch:
            failed += 1
            print(f"FAIL {name}:\n  {mismatch}", flush=True)
    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
    import test_verdict  # where ./check collects case counts
    test_verdict.write_report(args.name, passed, failed)
    print(f"docs: {passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
