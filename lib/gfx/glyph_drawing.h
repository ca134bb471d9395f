// Drawing 8x16 glyph cells into a linear framebuffer: the one implementation the fb server
// and the kernel's framebuffer log writer share. No bounds checks: callers place cells
// inside a framebuffer whose geometry they checked.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/font/font_8x16.h"
#include "lib/gfx/pixel_format.h"

namespace bm::gfx {

// Stores one pixel of `bytes` (2, 3 or 4) bytes, little-endian, at `at`.
inline void store_pixel(uint8_t* at, uint8_t bytes, uint32_t pixel) {
  for (uint8_t byte = 0; byte < bytes; ++byte) at[byte] = static_cast<uint8_t>(pixel >> (8 * byte));
}

// The cell's top-left pixel: cells are 8x16 pixels from the framebuffer's origin.
inline uint8_t* cell_origin(uint8_t* pixels, uint32_t pitch, uint8_t bytes, int row, int column) {
  return pixels + static_cast<size_t>(row) * font::kGlyphHeight * pitch +
         static_cast<size_t>(column) * font::kGlyphWidth * bytes;
}

// Draws `glyph` (16 rows, leftmost pixel in bit 7) with its set pixels in `foreground` and
// the others in `background`.
inline void draw_glyph(uint8_t* origin, uint32_t pitch, uint8_t bytes, const uint8_t* glyph,
                       uint32_t foreground, uint32_t background) {
  for (int y = 0; y < font::kGlyphHeight; ++y) {
    uint8_t* line = origin + static_cast<size_t>(y) * pitch;
    for (int x = 0; x < font::kGlyphWidth; ++x) {
      store_pixel(line + x * bytes, bytes,
                  font::glyph_pixel(glyph, x, y) ? foreground : background);
    }
  }
}

// Fills `rows` pixel rows of `width` pixels from `origin` with one colour.
inline void fill_pixels(uint8_t* origin, uint32_t pitch, uint8_t bytes, uint32_t width,
                        uint32_t rows, uint32_t colour) {
  for (uint32_t y = 0; y < rows; ++y) {
    uint8_t* line = origin + static_cast<size_t>(y) * pitch;
    for (uint32_t x = 0; x < width; ++x) store_pixel(line + x * bytes, bytes, colour);
  }
}

}  // namespace bm::gfx
