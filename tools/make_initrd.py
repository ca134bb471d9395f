#!/usr/bin/env python3
"""Writes the initrd: a POSIX ustar archive that the file server mounts at /boot.

  make_initrd.py --output initrd.tar SOURCE:PATH [SOURCE:PATH ...]

Each argument puts the file SOURCE into the archive as PATH (relative, "/"-separated, such as
"docs/protocols.md"); ":PATH" with no source makes an empty directory. The output is the
same bytes for the same inputs, whatever the machine, time or user: mtime 0, uid and gid 0,
no user or group names, mode 0644 for files (0755 if the source is executable) and 0755 for
directories, entries sorted by path. Every directory comes before what it holds, as
lib/fs/archive_fs.h requires: the parents of each PATH get entries of their own.

Refuses (exit status 1, nothing written) absolute paths, "." or ".." in a path, empty
names, names over 63 bytes or paths over 255 (the file protocol's limits, lib/fs/path.h),
a path given twice, a file that is also a directory, a missing source, and a path that a
ustar header cannot hold (its last 100 bytes and the 155 before them must split at a "/"). --depfile writes
a Makefile-style list of the sources for Meson.
"""
import argparse
import io
import os
import pathlib
import shutil
import subprocess
import sys
import tarfile
import tempfile

MAX_NAME = 63    # lib/fs/path.h kMaxNameLength
MAX_PATH = 255   # lib/fs/path.h kMaxPathLength, with the leading "/" of /boot's view


class InitrdError(Exception):
    pass


def parse_pair(text):
    """(source or None, tuple of path components) from SOURCE:PATH."""
    if ":" not in text:
        raise InitrdError(f"{text!r}: expected SOURCE:PATH")
    source, path = text.rsplit(":", 1)
    if path.startswith("/"):
        raise InitrdError(f"{path!r}: archive paths are relative")
    names = path.rstrip("/").split("/")
    for name in names:
        if name in ("", ".", ".."):
            raise InitrdError(f"{path!r}: empty, '.' or '..' name")
        if len(name.encode()) > MAX_NAME:
            raise InitrdError(f"{path!r}: name {name!r} over {MAX_NAME} bytes")
    if len("/" + "/".join(names)) > MAX_PATH:
        raise InitrdError(f"{path!r}: path over {MAX_PATH} bytes")
    return (source or None), tuple(names)


def plan(pairs):
    """{path components: source or None for a directory}, parents included."""
    entries = {}
    for text in pairs:
        source, names = parse_pair(text)
        if names in entries and (entries[names] is not None or source is not None):
            both = entries[names] is not None and source is not None
            problem = "given twice" if both else "is both a file and a directory"
            raise InitrdError(f"{'/'.join(names)!r} {problem}")
        if source is not None and not pathlib.Path(source).is_file():
            raise InitrdError(f"{source!r}: no such file")
        entries[names] = source
        for depth in range(1, len(names)):
            parent = names[:depth]
            if entries.get(parent) is not None:
                raise InitrdError(f"{'/'.join(parent)!r} is both a file and a directory")
            entries[parent] = None
    return entries


def file_bytes(source):
    """The file's bytes; an ELF without its symbols and debug sections, as make_iso.py puts
    modules on the ISO (GRUB reads every byte on every boot; the build keeps the full ELF
    for gdb and addr2line)."""
    data = pathlib.Path(source).read_bytes()
    strip = shutil.which("llvm-strip")
    if data[:4] != b"\x7fELF" or strip is None:
        return data
    with tempfile.TemporaryDirectory(prefix="make-initrd-") as scratch:
        stripped = pathlib.Path(scratch) / "stripped"
        result = subprocess.run([strip, "--strip-all", "-o", str(stripped), str(source)],
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        return stripped.read_bytes() if result.returncode == 0 else data


def entry(names, source):
    info = tarfile.TarInfo("/".join(names))
    info.mtime = 0
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    if source is None:
        info.type = tarfile.DIRTYPE
        info.mode = 0o755
        return info, None
    data = file_bytes(source)
    info.size = len(data)
    info.mode = 0o755 if os.access(source, os.X_OK) else 0o644
    return info, data


def archive_bytes(entries):
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        # Sorting the component tuples puts each directory right before what it holds.
        for names in sorted(entries):
            info, data = entry(names, entries[names])
            tar.addfile(info, io.BytesIO(data) if data is not None else None)
    return out.getvalue()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--output", required=True)
    parser.add_argument("--depfile")
    parser.add_argument("pairs", nargs="*", metavar="SOURCE:PATH")
    args = parser.parse_args(argv)
    try:
        entries = plan(args.pairs)
        data = archive_bytes(entries)
    except ValueError as error:  # tarfile: a path ustar's name and prefix fields cannot hold
        print(f"make_initrd: {error} for a ustar header (at most 155 bytes of directories "
              f"and 100 of the rest)", file=sys.stderr)
        return 1
    except (InitrdError, OSError) as error:
        print(f"make_initrd: {error}", file=sys.stderr)
        return 1
    pathlib.Path(args.output).write_bytes(data)
    if args.depfile:
        sources = sorted(source for source in entries.values() if source is not None)
        escaped = " ".join(source.replace(" ", "\\ ") for source in sources)
        pathlib.Path(args.depfile).write_text(f"{args.output}: {escaped}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
