#!/usr/bin/env python3
"""tools/screen_text.py, which the UEFI end-to-end test reads the framebuffer with: text
drawn from the font into a PPM in any two colours reads back, the cursor's underline does not
hide a character, and a cell that is no glyph reads as '?', so the e2e test cannot pass on a
screen it does not understand."""
import pathlib
import sys
import tempfile
import unittest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "tools"))
import screen_text  # noqa: E402

FONT = {character: rows for rows, character in screen_text.load_font().items()}


def draw(lines, columns, rows, foreground=(170, 170, 170), background=(0, 0, 0),
         cursor=None, extra=None):
    """A PPM of `lines` in the font; cursor = (row, column) gets an underline; extra =
    (row, column) gets a pattern that is no glyph."""
    width, height = columns * 8, rows * 16
    pixels = bytearray(bytes(background) * width * height)

    def set_pixel(x, y):
        pixels[(y * width + x) * 3:(y * width + x) * 3 + 3] = bytes(foreground)

    for row, line in enumerate(lines):
        for column, character in enumerate(line):
            for y, bits in enumerate(FONT[character]):
                for x in range(8):
                    if bits & (0x80 >> x):
                        set_pixel(column * 8 + x, row * 16 + y)
    if cursor:
        for y in screen_text.CURSOR_ROWS:
            for x in range(8):
                set_pixel(cursor[1] * 8 + x, cursor[0] * 16 + y)
    if extra:
        for y in range(2, 6):
            set_pixel(extra[1] * 8 + y, extra[0] * 16 + y)
    path = pathlib.Path(tempfile.mkdtemp()) / "shot.ppm"
    path.write_bytes(f"P6\n{width} {height}\n255\n".encode() + bytes(pixels))
    return path


class ScreenTextTest(unittest.TestCase):
    def test_text_reads_back_row_by_row(self):
        path = draw(["bm> echo hello", "hello", "bm>"], 20, 4)
        self.assertEqual(screen_text.screen_rows(path), ["bm> echo hello", "hello", "bm>", ""])

    def test_colours_do_not_matter(self):
        path = draw(["Red on Blue!"], 12, 1, foreground=(255, 85, 85), background=(0, 0, 170))
        self.assertEqual(screen_text.screen_rows(path), ["Red on Blue!"])

    def test_the_cursor_underline_keeps_its_character(self):
        path = draw(["ab"], 4, 1, cursor=(0, 1))
        self.assertEqual(screen_text.screen_rows(path), ["ab"])

    def test_a_cell_that_is_no_glyph_reads_as_unknown(self):
        path = draw(["ab"], 4, 1, extra=(0, 2))
        self.assertEqual(screen_text.screen_rows(path), ["ab" + screen_text.UNKNOWN])

    def test_a_file_that_is_not_a_ppm_is_an_error(self):
        path = pathlib.Path(tempfile.mkdtemp()) / "shot.ppm"
        path.write_bytes(b"P3\n1 1\n255\n0 0 0\n")
        with self.assertRaises(screen_text.ScreenshotError):
            screen_text.screen_rows(path)


if __name__ == "__main__":
    unittest.main()
