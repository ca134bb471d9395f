"""Reading text off a framebuffer screenshot: QEMU's `screendump` writes a PPM (P6), and
the fb server draws 8x16 cells of lib/font's glyphs from the top-left corner; each cell is
matched pixel for pixel against the font, so a test sees what a user would read.

  python3 tools/screen_text.py SHOT.ppm     prints the screen's text rows
"""
import pathlib
import re
import sys

GLYPH_WIDTH = 8
GLYPH_HEIGHT = 16
# The fb server's cursor: the cell's bottom two pixel rows (servers/fb/framebuffer_screen.cpp).
CURSOR_ROWS = (14, 15)
FONT_SOURCE = pathlib.Path(__file__).resolve().parents[1] / "lib/font/glyphs_8x16.cpp"
UNKNOWN = "?"


class ScreenshotError(Exception):
    pass


def load_font(path=FONT_SOURCE):
    """{tuple of 16 row bytes: character} for the printable ASCII glyphs of the font table."""
    rows = re.findall(r"\{(0x[0-9a-f]{2}(?:, 0x[0-9a-f]{2}){15})\},", path.read_text())
    if len(rows) != 256:
        raise ScreenshotError(f"{path}: {len(rows)} glyphs, not 256")
    font = {}
    for code in range(0x20, 0x7f):
        font.setdefault(tuple(int(b, 16) for b in rows[code].split(", ")), chr(code))
    return font


def _token(data, position):
    """The next whitespace-separated header token of a PPM and the position after it."""
    while data[position:position + 1].isspace() or data[position:position + 1] == b"#":
        if data[position:position + 1] == b"#":
            position = data.index(b"\n", position)
        position += 1
    end = position
    while end < len(data) and not data[end:end + 1].isspace():
        end += 1
    return data[position:end], end


def read_ppm(path):
    """(width, height, RGB bytes) of a binary PPM with 8-bit channels."""
    data = pathlib.Path(path).read_bytes()
    magic, position = _token(data, 0)
    width, position = _token(data, position)
    height, position = _token(data, position)
    maximum, position = _token(data, position)
    if magic != b"P6" or maximum != b"255":
        raise ScreenshotError(f"{path}: not an 8-bit binary PPM")
    width, height = int(width), int(height)
    pixels = data[position + 1:]
    if len(pixels) < width * height * 3:
        raise ScreenshotError(f"{path}: {len(pixels)} bytes of pixels for {width}x{height}")
    return width, height, pixels


def _cell_rows(width, pixels, row, column):
    """The cell's 16 rows as bytes of 'pixel differs from the cell's background' bits, the
    background being the colour of the cell's top-left pixel (every glyph of the font leaves
    its first row empty)."""
    top = (row * GLYPH_HEIGHT * width + column * GLYPH_WIDTH) * 3
    background = pixels[top:top + 3]
    rows = []
    for y in range(GLYPH_HEIGHT):
        start = ((row * GLYPH_HEIGHT + y) * width + column * GLYPH_WIDTH) * 3
        bits = 0
        for x in range(GLYPH_WIDTH):
            if pixels[start + 3 * x:start + 3 * x + 3] != background:
                bits |= 0x80 >> x
        rows.append(bits)
    return rows


def _match(rows, font):
    character = font.get(tuple(rows))
    if character is not None:
        return character
    # The cursor's underline covers the bottom rows: match the rest.
    if all(rows[y] == 0xFF for y in CURSOR_ROWS):
        for glyph, candidate in font.items():
            if list(glyph[:CURSOR_ROWS[0]]) == rows[:CURSOR_ROWS[0]]:
                return candidate
    return UNKNOWN


def screen_rows(path, font=None):
    """The text of a screenshot, one string per cell row, trailing spaces removed."""
    font = font or load_font()
    width, height, pixels = read_ppm(path)
    lines = []
    for row in range(height // GLYPH_HEIGHT):
        text = "".join(_match(_cell_rows(width, pixels, row, column), font)
                       for column in range(width // GLYPH_WIDTH))
        lines.append(text.rstrip())
    return lines


if __name__ == "__main__":
    for line in screen_rows(sys.argv[1]):
        print(line)
