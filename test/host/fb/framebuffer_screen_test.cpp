// Host tests for the fb server's screen: the Terminal draws into a framebuffer in ordinary
// memory at 32, 24 and 16 bits per pixel, and every glyph cell, colour, the cursor and
// scrolling are read back pixel by pixel against the font.
#include "servers/fb/framebuffer_screen.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ipc/console.h"
#include "ipc/framebuffer_grant.h"
#include "lib/font/font_8x16.h"
#include "servers/terminal/console_service.h"
#include "servers/terminal/terminal.h"
#include "test/host/protocols/wire_test_support.h"

namespace bm::fb {
namespace {

using gfx::pack_pixel;

using font::kGlyphHeight;
using font::kGlyphWidth;

constexpr uint8_t kPadding = 0xab;  // bytes past each row's pixels: never written

// OVMF's BGRX, a packed 24-bit RGB and RGB565.
constexpr PixelFormat kXrgb32 = {4, {16, 8}, {8, 8}, {0, 8}};
constexpr PixelFormat kRgb24 = {3, {16, 8}, {8, 8}, {0, 8}};
constexpr PixelFormat kRgb565 = {2, {11, 5}, {5, 6}, {0, 5}};

// A framebuffer in memory with a pitch wider than its rows, and the Terminal on it.
struct Rig {
  Rig(PixelFormat format, uint32_t width, uint32_t height)
      : pitch(width * format.bytes_per_pixel + 12),
        pixels(static_cast<size_t>(pitch) * height, kPadding),
        view{pixels.data(), pitch, width, height, format},
        cells(static_cast<size_t>(grid_rows(view)) * grid_columns(view)),
        screen(view, cells.data()),
        terminal(screen) {
    screen.clear_all(0x07);
    terminal.clear();
  }

  uint32_t pixel(uint32_t x, uint32_t y) const {
    uint32_t value = 0;
    const uint8_t* at =
        pixels.data() + static_cast<size_t>(y) * pitch + x * view.format.bytes_per_pixel;
    for (int i = 0; i < view.format.bytes_per_pixel; ++i) value |= uint32_t{at[i]} << (8 * i);
    return value;
  }

  // Whether cell (row, column) shows `character` in exactly these two colours.
  ::testing::AssertionResult shows(int row, int column, uint8_t character, uint32_t foreground,
                                   uint32_t background) const {
    const uint8_t* glyph = font::glyph_rows(character);
    for (int y = 0; y < kGlyphHeight; ++y) {
      for (int x = 0; x < kGlyphWidth; ++x) {
        uint32_t want = font::glyph_pixel(glyph, x, y) ? foreground : background;
        uint32_t got = pixel(column * kGlyphWidth + x, row * kGlyphHeight + y);
        if (got != want) {
          return ::testing::AssertionFailure()
                 << "cell " << row << "," << column << " pixel " << x << "," << y << ": "
                 << std::hex << got << " instead of " << want << " for '" << character << "'";
        }
      }
    }
    return ::testing::AssertionSuccess();
  }

  bool padding_untouched() const {
    const uint32_t row_bytes = view.width * view.format.bytes_per_pixel;
    for (uint32_t y = 0; y < view.height; ++y) {
      for (uint32_t b = row_bytes; b < pitch; ++b) {
        if (pixels[static_cast<size_t>(y) * pitch + b] != kPadding) return false;
      }
    }
    return true;
  }

  void write(const std::string& text) { terminal.write(text.data(), text.size()); }

  uint32_t pitch;
  std::vector<uint8_t> pixels;
  FramebufferView view;
  std::vector<uint16_t> cells;
  FramebufferScreen screen;
  terminal::Terminal terminal;
};

class EveryDepth : public ::testing::TestWithParam<PixelFormat> {};

TEST_P(EveryDepth, TextAppearsAsTheFontsGlyphsInGreyOnBlack) {
  Rig rig(GetParam(), 160, 64);  // 20x4 cells
  rig.write("echo hello");
  const uint32_t grey = pack_pixel(GetParam(), 170, 170, 170);
  const uint32_t black = pack_pixel(GetParam(), 0, 0, 0);
  const std::string text = "echo hello";
  for (size_t i = 0; i < text.size(); ++i) {
    EXPECT_TRUE(rig.shows(0, static_cast<int>(i), static_cast<uint8_t>(text[i]), grey, black));
  }
  EXPECT_TRUE(rig.padding_untouched());
}

TEST_P(EveryDepth, SgrColoursBecomeThePixelFormatsColours) {
  Rig rig(GetParam(), 160, 64);
  rig.write("\x1b[91;44mR\x1b[0mg");  // bright red on blue, then the defaults
  EXPECT_TRUE(
      rig.shows(0, 0, 'R', pack_pixel(GetParam(), 255, 85, 85), pack_pixel(GetParam(), 0, 0, 170)));
  EXPECT_TRUE(
      rig.shows(0, 1, 'g', pack_pixel(GetParam(), 170, 170, 170), pack_pixel(GetParam(), 0, 0, 0)));
}

TEST_P(EveryDepth, ScrollingMovesPixelRowsAndDrawsOnlyTheNewRow) {
  Rig rig(GetParam(), 160, 64);  // 4 rows
  rig.write("one\ntwo\nthree\nfour");
  const uint64_t before = rig.screen.cells_drawn();
  rig.write("\nfive");
  const uint32_t grey = pack_pixel(GetParam(), 170, 170, 170);
  const uint32_t black = pack_pixel(GetParam(), 0, 0, 0);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(rig.shows(0, i, "two"[i], grey, black));
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(rig.shows(3, i, "five"[i], grey, black));
  EXPECT_TRUE(rig.shows(3, 5, ' ', grey, black));
  // The new bottom row (20 cells), "five", and the cursor's old and new cells: not 80.
  EXPECT_LE(rig.screen.cells_drawn() - before, 20u + 4 + 2);
  EXPECT_TRUE(rig.padding_untouched());
}

INSTANTIATE_TEST_SUITE_P(Depths, EveryDepth, ::testing::Values(kXrgb32, kRgb24, kRgb565),
                         [](const auto& info) {
                           return std::to_string(info.param.bytes_per_pixel * 8) + "bpp";
                         });

TEST(FramebufferScreen, TheCursorIsAnUnderlineThatFollowsTheText) {
  Rig rig(kXrgb32, 160, 64);
  rig.write("ab");
  const uint32_t grey = pack_pixel(kXrgb32, 170, 170, 170);
  const uint32_t black = pack_pixel(kXrgb32, 0, 0, 0);
  // Cursor at column 2: its bottom two pixel rows are grey, the rows above are blank.
  for (int x = 0; x < kGlyphWidth; ++x) {
    EXPECT_EQ(rig.pixel(2 * kGlyphWidth + x, 14), grey);
    EXPECT_EQ(rig.pixel(2 * kGlyphWidth + x, 15), grey);
    EXPECT_EQ(rig.pixel(2 * kGlyphWidth + x, 13), black);
  }
  rig.write("\r");
  EXPECT_TRUE(rig.shows(0, 2, ' ', grey, black));  // the old cursor cell is blank again
  EXPECT_EQ(rig.pixel(0, 15), grey);               // under the 'a' now
}

TEST(FramebufferScreen, MarginsRightAndBelowTheGridStayBackground) {
  Rig rig(kXrgb32, 165, 70);  // 20x4 cells, 5 and 6 pixels left over
  EXPECT_EQ(rig.screen.columns(), 20);
  EXPECT_EQ(rig.screen.rows(), 4);
  rig.write(std::string(200, '#'));  // fills and scrolls
  const uint32_t black = pack_pixel(kXrgb32, 0, 0, 0);
  for (uint32_t y = 0; y < 70; ++y) {
    for (uint32_t x = 160; x < 165; ++x) ASSERT_EQ(rig.pixel(x, y), black) << x << "," << y;
  }
  for (uint32_t y = 64; y < 70; ++y) {
    for (uint32_t x = 0; x < 165; ++x) ASSERT_EQ(rig.pixel(x, y), black) << x << "," << y;
  }
}

TEST(FramebufferScreen, AnswersTheConsoleProtocolWithItsGridSize) {
  Rig rig(kXrgb32, 1024, 768);
  ipc::WireMessage request = ipc::testing::make_message(ipc::console::kQuerySize, {});
  ipc::WireMessage reply;
  (void)terminal::serve_console_request(rig.terminal, request, &reply);
  ipc::console::QuerySizeReply size;
  ASSERT_EQ(ipc::console::decode(reply, &size), ipc::ProtocolStatus::kOk);
  EXPECT_EQ(size.rows, 48u);
  EXPECT_EQ(size.columns, 128u);
}

abi::FramebufferGeometry ovmf_geometry() {
  abi::FramebufferGeometry g{};
  g.pitch = 4096;
  g.width = 1024;
  g.height = 768;
  g.bits_per_pixel = 32;
  g.red_shift = 16;
  g.red_bits = 8;
  g.green_shift = 8;
  g.green_bits = 8;
  g.blue_shift = 0;
  g.blue_bits = 8;
  return g;
}

Error geometry_error(const abi::FramebufferGeometry& g) {
  PixelFormat format{};
  auto checked = check_geometry(g, &format);
  return checked.ok() ? Error::kOk : checked.error();
}

TEST(FramebufferGeometry, AcceptsOvmfsModeAndRefusesWhatItCannotDraw) {
  PixelFormat format{};
  ASSERT_TRUE(check_geometry(ovmf_geometry(), &format).ok());
  EXPECT_EQ(format.bytes_per_pixel, 4);
  EXPECT_EQ(format.red.shift, 16);

  auto g = ovmf_geometry();
  g.bits_per_pixel = 8;
  EXPECT_EQ(geometry_error(g), Error::kUnsupported);
  g = ovmf_geometry();
  g.green_bits = 9;
  EXPECT_EQ(geometry_error(g), Error::kUnsupported);
  g = ovmf_geometry();
  g.red_shift = 30;  // 30 + 8 > 32
  EXPECT_EQ(geometry_error(g), Error::kMalformed);
  g = ovmf_geometry();
  g.pitch = 4095;
  EXPECT_EQ(geometry_error(g), Error::kMalformed);
  g = ovmf_geometry();
  g.width = 7;  // not one glyph wide
  EXPECT_EQ(geometry_error(g), Error::kMalformed);
  g = ovmf_geometry();
  g.height = 15;
  EXPECT_EQ(geometry_error(g), Error::kMalformed);
}

TEST(FramebufferGrant, GeometryRoundTripsThroughTheGrantWords) {
  auto g = ovmf_geometry();
  g.width = 0xffff;
  g.height = 0x1234;
  g.pitch = 0xfffc0;
  ipc::FramebufferGrantWords words{};
  ASSERT_TRUE(ipc::encode_framebuffer_grant(g, &words));
  abi::FramebufferGeometry back = ipc::decode_framebuffer_grant(words);
  EXPECT_EQ(back.pitch, g.pitch);
  EXPECT_EQ(back.width, g.width);
  EXPECT_EQ(back.height, g.height);
  EXPECT_EQ(back.bits_per_pixel, 32);
  EXPECT_EQ(back.red_shift, 16);
  EXPECT_EQ(back.green_shift, 8);
  EXPECT_EQ(back.blue_bits, 8);
  EXPECT_EQ(back.size, uint64_t{g.pitch} * g.height);
  g.width = 0x10000;  // 16 bits only: refused, not truncated
  EXPECT_FALSE(ipc::encode_framebuffer_grant(g, &words));
}

}  // namespace
}  // namespace bm::fb
