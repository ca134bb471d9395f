// Framebuffer text writer for the kernel log: glyphs of lib/font in the VGA text colours
// (drawn by lib/gfx, as the fb server draws them), scrolling by moving pixel rows. No
// cursor, no escapes: the same few controls as the VGA text writer.
#include "kernel/debug/framebuffer_text_console.h"

#include "lib/font/font_8x16.h"
#include "lib/gfx/glyph_drawing.h"
#include "lib/gfx/text_palette.h"

namespace kernel {
namespace {

using bm::font::kGlyphHeight;
using bm::font::kGlyphWidth;
constexpr uint8_t kGreyOnBlack = 0x07;

}  // namespace

uint32_t FramebufferTextConsole::pack(uint8_t colour) const {
  const bm::gfx::Rgb& rgb = bm::gfx::kTextPalette[colour & 0x0f];
  return bm::gfx::pack_pixel(format_, rgb.red, rgb.green, rgb.blue);
}

void FramebufferTextConsole::init(uint8_t* pixels, const bm::mb2::Framebuffer& fb) {
  rows_ = static_cast<int>(fb.height / kGlyphHeight);
  columns_ = static_cast<int>(fb.width / kGlyphWidth);
  if (rows_ == 0 || columns_ == 0) return;  // smaller than one glyph: nothing to write on
  pitch_ = fb.pitch;
  format_ = {static_cast<uint8_t>(fb.bpp / 8),
             {fb.red.shift, fb.red.bits},
             {fb.green.shift, fb.green.bits},
             {fb.blue.shift, fb.blue.bits}};
  pixels_ = pixels;
  cursor_.resize(rows_, columns_);
  set_colour(kGreyOnBlack);
  for (int row = 0; row < rows_; ++row) fill_row(row);
}

void FramebufferTextConsole::set_colour(uint8_t attribute) {
  foreground_ = pack(attribute & 0x0f);
  background_ = pack(attribute >> 4);
}

void FramebufferTextConsole::fill_row(int row) {
  bm::gfx::fill_pixels(bm::gfx::cell_origin(pixels_, pitch_, format_.bytes_per_pixel, row, 0),
                       pitch_, format_.bytes_per_pixel, columns_ * kGlyphWidth, kGlyphHeight,
                       background_);
}

void FramebufferTextConsole::scroll() {
  const uint64_t cell_row_bytes = static_cast<uint64_t>(kGlyphHeight) * pitch_;
  __builtin_memmove(pixels_, pixels_ + cell_row_bytes, cell_row_bytes * (rows_ - 1));
  fill_row(rows_ - 1);
}

void FramebufferTextConsole::put(char c) {
  cursor_.put(
      c,
      [this](int row, int column, char glyph) {
        bm::gfx::draw_glyph(
            bm::gfx::cell_origin(pixels_, pitch_, format_.bytes_per_pixel, row, column), pitch_,
            format_.bytes_per_pixel, bm::font::glyph_rows(static_cast<uint8_t>(glyph)),
            foreground_, background_);
      },
      [this] { scroll(); });
}

void FramebufferTextConsole::write(const char* text, size_t length) {
  if (pixels_ == nullptr) return;
  for (size_t i = 0; i < length; ++i) put(text[i]);
}

}  // namespace kernel
