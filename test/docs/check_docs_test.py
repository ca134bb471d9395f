#!/usr/bin/env python3
"""Shows that tools/check_docs.py can fail: each check passes on a copy of the tree's docs
and definitions, then fails once that copy is changed the way docs drift (a renamed
option, a call added to the ABI, a status renamed, a label added to ipc/)."""
import pathlib
import shutil
import sys
import tempfile
import unittest

TOOLS = pathlib.Path(__file__).resolve().parents[2] / "tools"
sys.path.insert(0, str(TOOLS))
import check_docs  # noqa: E402
import test_verdict  # noqa: E402

FILES = ["README.md", "meson_options.txt", "lib/abi/syscalls.h", "docs/syscalls.md",
         "docs/protocols.md"]


class CheckDocsCatchesDrift(unittest.TestCase):
    def setUp(self):
        self.original_root = check_docs.ROOT
        self.copy = pathlib.Path(tempfile.mkdtemp())
        for name in FILES:
            (self.copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(self.original_root / name, self.copy / name)
        shutil.copytree(self.original_root / "ipc", self.copy / "ipc")
        check_docs.ROOT = self.copy

    def tearDown(self):
        check_docs.ROOT = self.original_root
        shutil.rmtree(self.copy)

    def edit(self, name, old, new):
        path = self.copy / name
        text = path.read_text()
        self.assertIn(old, text, f"{name} no longer contains {old!r}: update this test")
        path.write_text(text.replace(old, new, 1))

    def expect_failure(self, check):
        with self.assertRaises(check_docs.Mismatch):
            check()

    def test_every_check_passes_on_the_tree(self):
        for name, check in check_docs.CHECKS:
            with self.subTest(name):
                check()

    def readme_option_rows(self):
        """(line, cells) of the README's options table."""
        rows = []
        for line in (self.copy / "README.md").read_text().splitlines():
            cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
            if line.startswith("| `") and len(cells) >= 3:
                rows.append((line, cells))
        self.assertTrue(rows, "no options table in the README")
        return rows

    def replace_readme_cell(self, pick, column, new_cell):
        line, cells = next(row for row in self.readme_option_rows() if pick(row[1]))
        cells[column] = new_cell
        self.edit("README.md", line, "| " + " | ".join(cells) + " |")

    def test_an_option_missing_from_the_readme(self):
        path = self.copy / "meson_options.txt"
        path.write_text(path.read_text() + "option('drift_check', type: 'boolean', value: true,\n"
                        "       description: 'not in the README')\n")
        self.expect_failure(check_docs.check_readme_options)

    def test_a_changed_default(self):
        self.replace_readme_cell(lambda cells: True, 2, "`changed`")
        self.expect_failure(check_docs.check_readme_options)

    def test_a_missing_value(self):
        def has_choices(cells):
            return len(check_docs.code_words(cells[1])) >= 2
        _, cells = next(row for row in self.readme_option_rows() if has_choices(row[1]))
        last = check_docs.code_words(cells[1])[-1]
        self.replace_readme_cell(has_choices, 1, cells[1].replace(f"`{last}`", "", 1))
        self.expect_failure(check_docs.check_readme_options)

    def last_macro_line(self, name, macro):
        """The last X(...) line of `#define macro(X)` in `name`."""
        lines = (self.copy / name).read_text().splitlines()
        start = next(i for i, line in enumerate(lines) if f"#define {macro}(X)" in line)
        entries = []
        for line in lines[start + 1:]:
            if line.strip().startswith("X("):
                entries.append(line)
            if not line.rstrip().endswith("\\"):
                break
        return entries[-1]

    def test_a_call_added_to_the_abi(self):
        last = self.last_macro_line("lib/abi/syscalls.h", "BM_SYSCALL_LIST")
        count = len(check_docs.syscall_list())
        self.edit("lib/abi/syscalls.h", last,
                  last.rstrip(" \\") + " \\\n  X(drift_check, " + str(count) + ")")
        self.assertEqual(len(check_docs.syscall_list()), count + 1)
        self.expect_failure(check_docs.check_syscall_sections)
        self.expect_failure(check_docs.check_syscall_count)

    def test_a_stale_count(self):
        self.edit("docs/syscalls.md", "call number (0–", "call number (0–1")
        self.expect_failure(check_docs.check_syscall_count)

    def test_a_renamed_status(self):
        self.edit("lib/abi/syscalls.h", "X(kOk,", "X(kDriftCheck,")
        self.assertEqual(check_docs.status_list()[0], ("kDriftCheck", 0))
        self.expect_failure(check_docs.check_status_table)

    def test_an_undocumented_label(self):
        self.edit("ipc/console.h", "#define BM_CONSOLE_MESSAGES(X) ",
                  '#define BM_CONSOLE_MESSAGES(X) \\\n  X(DriftCheck, 0x1ff, "drift_check", 0, 0, 1, 1)')
        self.assertIn(("console.h", "kDriftCheck", "drift_check", 0x1ff), check_docs.ipc_labels())
        self.expect_failure(check_docs.check_protocol_labels)

    def test_an_undocumented_label_constant(self):
        path = self.copy / "ipc/heartbeat.h"
        path.write_text(path.read_text() + "constexpr uint32_t kDriftLabel = 0x1234;\n")
        self.expect_failure(check_docs.check_protocol_labels)

    def test_a_label_documented_with_the_wrong_number(self):
        self.edit("docs/protocols.md", "`kGetArguments` (4)", "`kGetArguments` (5)")
        self.expect_failure(check_docs.check_protocol_labels)


def main() -> int:
    result = unittest.TextTestRunner(verbosity=2).run(
        unittest.defaultTestLoader.loadTestsFromTestCase(CheckDocsCatchesDrift))
    failed = len(result.failures) + len(result.errors)
    test_verdict.write_report("docs-check-catches-drift", result.testsRun - failed, failed,
                              registered=result.testsRun)
    return 0 if failed == 0 and result.testsRun > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
