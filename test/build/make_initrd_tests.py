#!/usr/bin/env python3
"""tools/make_initrd.py: the initrd it writes is the same bytes for the same inputs, in the
POSIX ustar format the file server reads (lib/fs/ustar.h), every directory before what it
holds; and it refuses, writing nothing, every path the file server could not serve.

Writes its case counts to BM_RESULTS_DIR (tools/test_all.py).
"""
import io
import os
import pathlib
import sys
import tarfile
import tempfile
import time

TOOLS = pathlib.Path(__file__).resolve().parents[2] / "tools"
sys.path.insert(0, str(TOOLS))
import make_initrd  # noqa: E402
import test_verdict  # noqa: E402

CASES = []


def case(function):
    CASES.append(function)
    return function


def build(work, *pairs):
    """(exit status, archive bytes or None, stderr-free) for make_initrd with `pairs`."""
    output = work / "initrd.tar"
    if output.exists():
        output.unlink()
    status = make_initrd.main(["--output", str(output), *pairs])
    return status, (output.read_bytes() if output.exists() else None)


def sources(work):
    (work / "motd").write_text("Welcome\n")
    (work / "a.md").write_text("alpha\n")
    (work / "prog").write_bytes(b"\x7fELF" + bytes(100))
    os.chmod(work / "prog", 0o755)
    return work / "motd", work / "a.md", work / "prog"


@case
def the_same_inputs_give_the_same_bytes(work):
    motd, doc, prog = sources(work)
    pairs = [f"{motd}:motd", f"{doc}:docs/a.md", f"{prog}:bin/prog", ":tmp-seed"]
    status, first = build(work, *pairs)
    assert status == 0
    os.utime(motd, (time.time() + 1000, time.time() + 1000))  # a newer mtime changes nothing
    status, second = build(work, *reversed(pairs))             # nor does the order given
    assert status == 0 and first == second, "output differs"
    assert len(first) % 512 == 0


@case
def entries_are_sorted_with_directories_first_and_carry_no_host_details(work):
    motd, doc, prog = sources(work)
    _, data = build(work, f"{prog}:bin/prog", f"{doc}:docs/deep/a.md", f"{motd}:motd")
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        members = tar.getmembers()
        names = [member.name for member in members]
        assert names == ["bin", "bin/prog", "docs", "docs/deep", "docs/deep/a.md", "motd"], names
        for member in members:
            assert (member.mtime, member.uid, member.gid) == (0, 0, 0), member.name
            assert (member.uname, member.gname) == ("", ""), member.name
            assert member.isdir() or member.isfile(), member.name
        assert tar.getmember("bin/prog").mode == 0o755
        assert tar.getmember("motd").mode == 0o644
        assert tar.getmember("docs").mode == 0o755
        assert tar.extractfile("motd").read() == b"Welcome\n"


@case
def headers_are_posix_ustar(work):
    motd, _, _ = sources(work)
    long_path = "d" * 60 + "/" + "e" * 60 + "/" + "f" * 50  # over 100 bytes: the prefix field
    _, data = build(work, f"{motd}:{long_path}")
    headers = 0
    for offset in range(0, len(data), 512):
        block = data[offset:offset + 512]
        if block[257:265] == b"ustar\x0000":
            headers += 1
            assert block[156:157] in (b"0", b"5"), block[156:157]  # no pax or GNU headers
    assert headers == 3, headers  # two directories and the file
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        assert tar.getnames()[-1] == long_path


@case
def an_empty_directory_from_a_source_less_pair(work):
    _, data = build(work, ":bin")
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        assert [(m.name, m.isdir()) for m in tar.getmembers()] == [("bin", True)]
    status, data = build(work)
    assert status == 0 and len(data) >= 1024  # no entries: just the end of the archive


@case
def refuses_what_the_file_server_could_not_serve(work):
    motd, _, _ = sources(work)
    bad = [
        f"{motd}:/etc/motd",              # absolute
        f"{motd}:../motd",                # climbs out
        f"{motd}:docs/../motd",
        f"{motd}:./motd",
        f"{motd}:docs//motd",             # an empty name
        f"{motd}:",                       # no path at all
        f"{motd}:" + "n" * 64,            # a name over 63 bytes
        f"{motd}:" + "/".join(["d" * 60] * 4) + "/f" * 10,  # a path over 255
        f"{work / 'missing'}:motd",
        f"{motd}:" + "/".join(["d" * 60] * 3) + "/" + "f" * 50,  # no split fits a header
        "no-colon",
    ]
    for pair in bad:
        status, data = build(work, pair)
        assert status == 1 and data is None, pair
    for pairs in ([f"{motd}:motd", f"{motd}:motd"],              # twice
                  [f"{motd}:motd", f"{motd}:motd/inner"],        # a file and a directory
                  [f"{motd}:docs/a", f"{motd}:docs"]):
        status, data = build(work, *pairs)
        assert status == 1 and data is None, pairs
    status, _ = build(work, ":docs", f"{motd}:docs/a", ":docs")  # a directory may repeat
    assert status == 0


@case
def the_depfile_names_every_source(work):
    motd, doc, _ = sources(work)
    output, depfile = work / "initrd.tar", work / "initrd.d"
    assert make_initrd.main(["--output", str(output), "--depfile", str(depfile),
                             f"{motd}:motd", f"{doc}:docs/a.md", ":bin"]) == 0
    assert depfile.read_text() == f"{output}: {doc} {motd}\n"


def main():
    passed = failed = 0
    for function in CASES:
        with tempfile.TemporaryDirectory() as directory:
            try:
                function(pathlib.Path(directory))
                passed += 1
                print(f"PASS {function.__name__}")
            except AssertionError as error:
                failed += 1
                print(f"FAIL {function.__name__}: {error}")
    print(f"make-initrd: {passed} passed, {failed} failed")
    test_verdict.write_report("make-initrd", passed, failed, registered=len(CASES))
    return 0 if failed == 0 and passed == len(CASES) else 1


if __name__ == "__main__":
    sys.exit(main())
