// The 8x16 bitmap font the framebuffer console and the kernel's panic screen draw with:
// 256 glyphs indexed by ISO-8859-1 code, one byte per row, leftmost pixel in bit 7.
// Where it comes from and its licence: glyphs_8x16.cpp and OFL.txt beside it.
#pragma once

#include <stdint.h>

namespace bm::font {

constexpr int kGlyphWidth = 8;
constexpr int kGlyphHeight = 16;
constexpr int kGlyphCount = 256;

extern const uint8_t kGlyphs8x16[kGlyphCount][kGlyphHeight];

// The rows of the glyph for byte `code`, top row first.
inline const uint8_t* glyph_rows(uint8_t code) { return kGlyphs8x16[code]; }

// Whether pixel (x, y) of a glyph is set; x counts from the left.
inline bool glyph_pixel(const uint8_t* rows, int x, int y) {
  return (rows[y] >> (kGlyphWidth - 1 - x)) & 1;
}

}  // namespace bm::font
