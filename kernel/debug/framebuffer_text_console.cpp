// Framebuffer text writer for the kernel log: glyphs of lib/font in the VGA text colours,
// scrolling by moving pixel rows. No cursor, no escapes: the same few controls as the VGA
// text writer.
#include "kernel/debug/framebuffer_text_console.h"

#include "lib/font/font_8x16.h"
#include "lib/font/text_palette.h"

namespace kernel {
namespace {

using bm::font::kGlyphHeight;
using bm::font::kGlyphWidth;
constexpr uint8_t kGreyOnBlack = 0x07;

uint32_t place(bm::mb2::ColourField field, uint8_t value) {
  return static_cast<uint32_t>(value >> (8 - field.bits)) << field.shift;
}

}  // namespace

uint32_t FramebufferTextConsole::pack(uint8_t colour) const {
  const bm::font::Rgb& rgb = bm::font::kTextPalette[colour & 0x0f];
  return place(fb_.red, rgb.red) | place(fb_.green, rgb.green) | place(fb_.blue, rgb.blue);
}

void FramebufferTextConsole::init(uint8_t* pixels, const bm::mb2::Framebuffer& fb) {
  fb_ = fb;
  rows_ = static_cast<int>(fb.height / kGlyphHeight);
  columns_ = static_cast<int>(fb.width / kGlyphWidth);
  if (rows_ == 0 || columns_ == 0) return;  // smaller than one glyph: nothing to write on
  pixels_ = pixels;
  set_colour(kGreyOnBlack);
  for (int row = 0; row < rows_; ++row) fill_row(row);
}

void FramebufferTextConsole::set_colour(uint8_t attribute) {
  foreground_ = pack(attribute & 0x0f);
  background_ = pack(attribute >> 4);
}

void FramebufferTextConsole::store(uint8_t* at, uint32_t pixel) const {
  for (uint8_t byte = 0; byte < fb_.bpp / 8; ++byte) at[byte] = static_cast<uint8_t>(pixel >> (8 * byte));
}

void FramebufferTextConsole::draw(uint8_t character) {
  const uint8_t* glyph = bm::font::glyph_rows(character);
  const uint32_t bytes = fb_.bpp / 8;
  uint8_t* origin = pixels_ + static_cast<uint64_t>(row_) * kGlyphHeight * fb_.pitch +
                    static_cast<uint64_t>(column_) * kGlyphWidth * bytes;
  for (int y = 0; y < kGlyphHeight; ++y) {
    for (int x = 0; x < kGlyphWidth; ++x) {
      store(origin + static_cast<uint64_t>(y) * fb_.pitch + x * bytes,
            bm::font::glyph_pixel(glyph, x, y) ? foreground_ : background_);
    }
  }
}

void FramebufferTextConsole::fill_row(int row) {
  const uint32_t bytes = fb_.bpp / 8;
  for (int y = 0; y < kGlyphHeight; ++y) {
    uint8_t* line = pixels_ + (static_cast<uint64_t>(row) * kGlyphHeight + y) * fb_.pitch;
    for (int x = 0; x < columns_ * kGlyphWidth; ++x) store(line + x * bytes, background_);
  }
}

void FramebufferTextConsole::scroll() {
  const uint64_t cell_row_bytes = static_cast<uint64_t>(kGlyphHeight) * fb_.pitch;
  __builtin_memmove(pixels_, pixels_ + cell_row_bytes, cell_row_bytes * (rows_ - 1));
  fill_row(rows_ - 1);
  row_ = rows_ - 1;
}

void FramebufferTextConsole::put(char c) {
  switch (c) {
    case '\n':
      column_ = 0;
      ++row_;
      break;
    case '\r':
      column_ = 0;
      break;
    case '\t':
      column_ = (column_ + 8) & ~7;
      break;
    case '\b':
      if (column_ > 0) --column_;
      break;
    default:
      draw(static_cast<uint8_t>(c));
      ++column_;
  }
  if (column_ >= columns_) {
    column_ = 0;
    ++row_;
  }
  if (row_ >= rows_) scroll();
}

void FramebufferTextConsole::write(const char* text, size_t length) {
  if (pixels_ == nullptr) return;
  for (size_t i = 0; i < length; ++i) put(text[i]);
}

}  // namespace kernel
