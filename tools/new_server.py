#!/usr/bin/env python3
"""Makes a new server from tools/server_template (docs/writing-a-server.md).

  tools/new_server.py NAME

Creates servers/NAME/ (meson.build, manifest, main.cpp, with NAME filled in) and adds NAME to
the choices of the servers option in meson_options.txt: the two things a server needs. Put
it on the ISO with `meson configure build -Dservers=...,NAME`.
"""
import argparse
import pathlib
import re
import sys

SOURCE = pathlib.Path(__file__).resolve().parents[1]
TEMPLATE = SOURCE / "tools" / "server_template"
PLACEHOLDER = "@NAME@"
# A Meson variable (NAME_elf) and a manifest module name at once.
NAME = re.compile(r"^[a-z][a-z0-9_]{0,22}$")
SERVERS_CHOICES = re.compile(r"(option\('servers',[^)]*?choices: \[)([^\]]*)(\])", re.DOTALL)


def add_choice(options_text, name):
    """meson_options.txt with `name` appended to the servers option's choices."""
    match = SERVERS_CHOICES.search(options_text)
    if match is None:
        raise ValueError("meson_options.txt has no servers option with choices")
    choices = re.findall(r"'([^']*)'", match.group(2))
    if name in choices:
        return options_text
    return (options_text[:match.end(2)] + f", '{name}'" + options_text[match.end(2):])


def create(source, name):
    """Writes source/servers/NAME from the template and the option value; returns the folder."""
    if not NAME.match(name):
        raise ValueError(f"'{name}': a server name is 1 to 23 characters from a-z 0-9 _, "
                         "starting with a letter")
    folder = pathlib.Path(source) / "servers" / name
    if folder.exists():
        raise ValueError(f"{folder} already exists")
    folder.mkdir(parents=True)
    for template in sorted(TEMPLATE.iterdir()):
        text = template.read_text(encoding="utf-8").replace(PLACEHOLDER, name)
        (folder / template.name).write_text(text, encoding="utf-8")
    options = pathlib.Path(source) / "meson_options.txt"
    options.write_text(add_choice(options.read_text(encoding="utf-8"), name), encoding="utf-8")
    return folder


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("name")
    parser.add_argument("--source", default=str(SOURCE), help="the source tree (default: this one)")
    args = parser.parse_args()
    try:
        folder = create(args.source, args.name)
    except ValueError as error:
        sys.stderr.write(f"new_server: {error}\n")
        return 1
    print(f"created {folder.relative_to(pathlib.Path(args.source).resolve())}/ and the servers "
          f"option value '{args.name}'")
    return 0


if __name__ == "__main__":
    sys.exit(main())
