#!/usr/bin/env python3
"""Converts an 8x16 X11 PCF bitmap font into the C++ glyph table of lib/font/.

The table in the tree was made from Debian's xfonts-terminus package (Terminus Font,
SIL Open Font License 1.1, lib/font/OFL.txt) with

    apt-get download xfonts-terminus && dpkg-deb -x xfonts-terminus_*.deb x
    tools/font_from_pcf.py x/usr/share/fonts/X11/misc/ter-u16n_iso-8859-1.pcf.gz \\
        --package "xfonts-terminus 4.48-3.1" --output lib/font/glyphs_8x16.cpp

Under the OFL a converted font is a Modified Version, which may not use the Reserved Font
Name: the table is called "the 8x16 font" and credits its origin in its header.
lib/font/OFL.txt is the OFL part of the package's copyright file (its first 99 lines;
the rest covers the oblique variant's script, which we do not use).

PCF layout (X.Org's libXfont, pcfread.c, and the format notes of FontForge): a table of
contents, then tables that each begin with their own format word; the bitmaps, metrics
and encodings tables are all we need.
"""
import argparse
import gzip
import pathlib
import struct
import sys

PCF_MAGIC = b"\x01fcp"
PCF_METRICS = 1 << 2
PCF_BITMAPS = 1 << 3
PCF_BDF_ENCODINGS = 1 << 5
# Format word bits.
PCF_GLYPH_PAD_MASK = 3          # rows padded to 1 << (format & 3) bytes
PCF_BYTE_MASK = 1 << 2          # set: integers (and bitmap bytes) most significant first
PCF_BIT_MASK = 1 << 3           # set: the leftmost pixel is a byte's most significant bit
PCF_COMPRESSED_METRICS = 0x100
NO_GLYPH = 0xFFFF

GLYPH_WIDTH = 8
GLYPH_HEIGHT = 16
CODES = 256


class FontError(Exception):
    pass


class Table:
    """One PCF table: its format word and a reader in the table's byte order."""

    def __init__(self, data, offset, size):
        if offset + size > len(data) or size < 4:
            raise FontError("a table runs past the end of the file")
        self.data = data[offset:offset + size]
        self.format = struct.unpack_from("<I", self.data, 0)[0]
        self.order = ">" if self.format & PCF_BYTE_MASK else "<"

    def read(self, fmt, offset):
        return struct.unpack_from(self.order + fmt, self.data, offset)


def tables_of(data):
    if data[:4] != PCF_MAGIC:
        raise FontError("not a PCF font")
    (count,) = struct.unpack_from("<I", data, 4)
    tables = {}
    needed = (PCF_METRICS, PCF_BITMAPS, PCF_BDF_ENCODINGS)
    for i in range(count):
        kind, _fmt, size, offset = struct.unpack_from("<IIII", data, 8 + 16 * i)
        if kind in needed:  # others may be padded past the file's end (the accelerators)
            tables[kind] = Table(data, offset, size)
    for kind, name in ((PCF_METRICS, "metrics"), (PCF_BITMAPS, "bitmaps"),
                       (PCF_BDF_ENCODINGS, "encodings")):
        if kind not in tables:
            raise FontError(f"no {name} table")
    return tables


def metrics_of(table):
    """(width, ascent, descent) of every glyph."""
    if table.format & PCF_COMPRESSED_METRICS:
        (count,) = table.read("H", 4)
        out = []
        for i in range(count):
            raw = table.data[6 + 5 * i:6 + 5 * i + 5]
            _left, _right, width, ascent, descent = (b - 0x80 for b in raw)
            out.append((width, ascent, descent))
        return out
    (count,) = table.read("I", 4)
    return [tuple(table.read("hhhhhH", 8 + 12 * i)[2:5]) for i in range(count)]


def glyph_index_of(table):
    """code (0-255) -> glyph index, for a single-byte encoding."""
    min2, max2, min1, max1, _default = table.read("HHHHH", 4)
    if min1 != 0 or max1 != 0:
        raise FontError("a two-byte encoding: use a single-byte (iso-8859-1) PCF")
    index = {}
    for code in range(min2, max2 + 1):
        (glyph,) = table.read("H", 14 + 2 * (code - min2))
        if glyph != NO_GLYPH and code < CODES:
            index[code] = glyph
    return index


def glyph_rows(table, metrics, glyph):
    """The 16 rows of one glyph, leftmost pixel in bit 7."""
    pad = 1 << (table.format & PCF_GLYPH_PAD_MASK)
    (count,) = table.read("I", 4)
    if glyph >= count:
        raise FontError(f"glyph {glyph} past the bitmap table")
    (offset,) = table.read("I", 8 + 4 * glyph)
    bitmap_start = 8 + 4 * count + 16
    width, ascent, descent = metrics[glyph]
    if width != GLYPH_WIDTH or ascent + descent != GLYPH_HEIGHT:
        raise FontError(f"glyph {glyph} is {width}x{ascent + descent}, not 8x16")
    rows = []
    for row in range(GLYPH_HEIGHT):
        byte = table.data[bitmap_start + offset + row * pad]
        if not table.format & PCF_BIT_MASK:
            byte = int(f"{byte:08b}"[::-1], 2)
        rows.append(byte)
    return rows


def convert(path):
    raw = pathlib.Path(path).read_bytes()
    data = gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw
    tables = tables_of(data)
    metrics = metrics_of(tables[PCF_METRICS])
    index = glyph_index_of(tables[PCF_BDF_ENCODINGS])
    glyphs = []
    for code in range(CODES):
        glyphs.append(glyph_rows(tables[PCF_BITMAPS], metrics, index[code])
                      if code in index else [0] * GLYPH_HEIGHT)
    return glyphs


def render(glyphs, source, package):
    lines = [
        "// The 8x16 font's glyphs, one row per byte, leftmost pixel in bit 7, indexed by",
        "// ISO-8859-1 code. Generated by tools/font_from_pcf.py; do not edit by hand.",
        f"// Source: {source} from Debian's {package}: Terminus Font,",
        "// Copyright (c) 2010-2014 Dimitar Toshkov Zhekov, SIL Open Font License 1.1",
        "// (lib/font/OFL.txt). Converted, so under the OFL a Modified Version without",
        "// the Reserved Font Name.",
        '#include "lib/font/font_8x16.h"',
        "",
        "namespace bm::font {",
        "",
        "const uint8_t kGlyphs8x16[kGlyphCount][kGlyphHeight] = {",
    ]
    for code, rows in enumerate(glyphs):
        shown = chr(code) if 0x20 < code < 0x7f and chr(code) != "\\" else f"{code:#04x}"
        body = ", ".join(f"0x{r:02x}" for r in rows)
        lines.append(f"    {{{body}}},  // {shown}")
    lines += ["};", "", "}  // namespace bm::font", ""]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("pcf")
    parser.add_argument("--package", required=True, help="Debian package and version")
    parser.add_argument("--output", required=True)
    args = parser.parse_args()
    try:
        glyphs = convert(args.pcf)
    except (FontError, struct.error, KeyError) as error:
        sys.stderr.write(f"font_from_pcf: {args.pcf}: {error}\n")
        return 1
    pathlib.Path(args.output).write_text(
        render(glyphs, pathlib.Path(args.pcf).name, args.package))
    return 0


if __name__ == "__main__":
    sys.exit(main())
