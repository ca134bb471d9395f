// Drawing glyph cells into a linear framebuffer: each cell is 8x16 pixels of the font in its
// attribute's foreground and background; scrolling moves pixel rows instead of redrawing.
#include "servers/fb/framebuffer_screen.h"

#include "lib/font/font_8x16.h"
#include "lib/gfx/glyph_drawing.h"
#include "lib/gfx/text_palette.h"
#include "servers/terminal/terminal.h"

namespace bm::fb {
namespace {

using font::kGlyphHeight;
using font::kGlyphWidth;

// The cursor: the cell's bottom two pixel rows in its foreground colour, as VGA's
// underline cursor (scan lines 14-15) looks.
constexpr int kCursorFirstRow = 14;

// The terminal's placeholder for bytes it cannot show is CP437's small square (0xFE); in
// the font's ISO-8859-1 that code is a letter, so the square is drawn from here.
constexpr uint8_t kPlaceholderGlyph[kGlyphHeight] = {0,    0,    0,    0, 0, 0x7e, 0x7e, 0x7e,
                                                     0x7e, 0x7e, 0x7e, 0, 0, 0,    0,    0};

const uint8_t* glyph_for(uint8_t character) {
  if (character == terminal::Terminal::kPlaceholder) return kPlaceholderGlyph;
  return font::glyph_rows(character);
}

Result<gfx::Channel> check_channel(uint8_t shift, uint8_t bits, uint8_t bits_per_pixel) {
  if (bits == 0 || bits > 8) return Error::kUnsupported;
  if (shift >= bits_per_pixel || bits > bits_per_pixel - shift) return Error::kMalformed;
  return gfx::Channel{shift, bits};
}

}  // namespace

Result<void> check_geometry(const abi::FramebufferGeometry& g, PixelFormat* format) {
  const uint8_t bpp = g.bits_per_pixel;
  if (bpp != 16 && bpp != 24 && bpp != 32) return Error::kUnsupported;
  auto red = check_channel(g.red_shift, g.red_bits, bpp);
  auto green = check_channel(g.green_shift, g.green_bits, bpp);
  auto blue = check_channel(g.blue_shift, g.blue_bits, bpp);
  if (!red.ok()) return red.error();
  if (!green.ok()) return green.error();
  if (!blue.ok()) return blue.error();
  if (g.width < static_cast<uint32_t>(kGlyphWidth) ||
      g.height < static_cast<uint32_t>(kGlyphHeight)) {
    return Error::kMalformed;
  }
  if (g.pitch < static_cast<uint64_t>(g.width) * (bpp / 8)) return Error::kMalformed;
  *format = {static_cast<uint8_t>(bpp / 8), *red, *green, *blue};
  return {};
}

int grid_rows(const FramebufferView& view) { return static_cast<int>(view.height / kGlyphHeight); }
int grid_columns(const FramebufferView& view) { return static_cast<int>(view.width / kGlyphWidth); }

FramebufferScreen::FramebufferScreen(const FramebufferView& view, uint16_t* cells)
    : view_(view), cells_(cells), rows_(grid_rows(view)), columns_(grid_columns(view)) {
  for (int i = 0; i < 16; ++i) {
    const gfx::Rgb& colour = gfx::kTextPalette[i];
    palette_[i] = gfx::pack_pixel(view.format, colour.red, colour.green, colour.blue);
  }
}

uint8_t* FramebufferScreen::origin(int row, int column) const {
  return gfx::cell_origin(view_.pixels, view_.pitch, view_.format.bytes_per_pixel, row, column);
}

void FramebufferScreen::clear_all(uint8_t attribute) {
  gfx::fill_pixels(view_.pixels, view_.pitch, view_.format.bytes_per_pixel, view_.width,
                   view_.height, palette_[attribute >> 4 & 0x0f]);
  const uint16_t blank = terminal::make_cell(' ', attribute);
  for (int i = 0; i < rows_ * columns_; ++i) cells_[i] = blank;
  cursor_drawn_ = false;
}

void FramebufferScreen::draw_cell(int row, int column) {
  ++cells_drawn_;
  const uint16_t cell = cells_[index(row, column)];
  const uint8_t attribute = terminal::cell_attribute(cell);
  gfx::draw_glyph(origin(row, column), view_.pitch, view_.format.bytes_per_pixel,
                  glyph_for(terminal::cell_character(cell)), palette_[attribute & 0x0f],
                  palette_[attribute >> 4 & 0x0f]);
}

void FramebufferScreen::draw_cursor() {
  const uint8_t attribute = terminal::cell_attribute(cells_[index(cursor_row_, cursor_column_)]);
  gfx::fill_pixels(
      origin(cursor_row_, cursor_column_) + static_cast<size_t>(kCursorFirstRow) * view_.pitch,
      view_.pitch, view_.format.bytes_per_pixel, kGlyphWidth, kGlyphHeight - kCursorFirstRow,
      palette_[attribute & 0x0f]);
  cursor_drawn_ = true;
}

void FramebufferScreen::put(int row, int column, uint16_t cell) {
  cells_[index(row, column)] = cell;
  draw_cell(row, column);
  if (cursor_drawn_ && row == cursor_row_ && column == cursor_column_) draw_cursor();
}

void FramebufferScreen::set_cursor(int row, int column) {
  if (cursor_drawn_ && row == cursor_row_ && column == cursor_column_) return;
  if (cursor_drawn_) draw_cell(cursor_row_, cursor_column_);  // take the underline away
  cursor_row_ = row;
  cursor_column_ = column;
  draw_cursor();
}

void FramebufferScreen::scroll_up(uint16_t blank_cell) {
  // The underline would move up with the pixels: take it away first; the terminal sets
  // the cursor again when its write ends.
  if (cursor_drawn_) {
    draw_cell(cursor_row_, cursor_column_);
    cursor_drawn_ = false;
  }
  const size_t cell_row_bytes = static_cast<size_t>(kGlyphHeight) * view_.pitch;
  __builtin_memmove(view_.pixels, view_.pixels + cell_row_bytes,
                    cell_row_bytes * static_cast<size_t>(rows_ - 1));
  __builtin_memmove(cells_, cells_ + columns_,
                    sizeof(uint16_t) * static_cast<size_t>(columns_) * (rows_ - 1));
  for (int column = 0; column < columns_; ++column) {
    cells_[index(rows_ - 1, column)] = blank_cell;
    draw_cell(rows_ - 1, column);
  }
}

}  // namespace bm::fb
