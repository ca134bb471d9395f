// Host tests for the 8x16 font table: every printable ASCII character has a glyph of its
// own, space is blank, and glyph_pixel reads rows with the leftmost pixel in bit 7.
#include <gtest/gtest.h>

#include <cstring>

#include "lib/font/font_8x16.h"

namespace bm::font {
namespace {

int pixels_set(uint8_t code) {
  int count = 0;
  for (int y = 0; y < kGlyphHeight; ++y) {
    for (int x = 0; x < kGlyphWidth; ++x) count += glyph_pixel(glyph_rows(code), x, y);
  }
  return count;
}

TEST(Font8x16, EveryPrintableAsciiCharacterHasPixels) {
  for (int code = '!'; code <= '~'; ++code) {
    EXPECT_GT(pixels_set(static_cast<uint8_t>(code)), 0) << static_cast<char>(code);
  }
  EXPECT_EQ(pixels_set(' '), 0);
}

TEST(Font8x16, NoTwoPrintableAsciiGlyphsAreAlike) {
  for (int a = ' '; a <= '~'; ++a) {
    for (int b = a + 1; b <= '~'; ++b) {
      EXPECT_NE(std::memcmp(glyph_rows(static_cast<uint8_t>(a)),
                            glyph_rows(static_cast<uint8_t>(b)), kGlyphHeight),
                0)
          << static_cast<char>(a) << " and " << static_cast<char>(b);
    }
  }
}

TEST(Font8x16, LatinOneLettersTheGermanLayoutTypesHaveGlyphs) {
  for (uint8_t code : {0xc4, 0xd6, 0xdc, 0xdf, 0xe4, 0xf6, 0xfc}) {  // ÄÖÜßäöü
    EXPECT_GT(pixels_set(code), 0) << int{code};
  }
}

TEST(Font8x16, TheLeftmostPixelIsBitSeven) {
  const uint8_t rows[kGlyphHeight] = {0x80, 0x01};
  EXPECT_TRUE(glyph_pixel(rows, 0, 0));
  EXPECT_FALSE(glyph_pixel(rows, 7, 0));
  EXPECT_TRUE(glyph_pixel(rows, 7, 1));
  EXPECT_FALSE(glyph_pixel(rows, 0, 1));
}

}  // namespace
}  // namespace bm::font
