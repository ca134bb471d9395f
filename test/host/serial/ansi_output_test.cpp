// Host tests for the ANSI sequences of the serial console: clear, SGR colours and CUP.
#include "servers/serial/ansi_output.h"

#include <gtest/gtest.h>

#include <string>

namespace bm::serial {
namespace {

using ipc::console::Colour;

std::string colours(Colour foreground, Colour background) {
  char out[kMaxAnsiSequence];
  return std::string(out, ansi_set_colours(foreground, background, out));
}

std::string cursor(uint32_t row, uint32_t column) {
  char out[kMaxAnsiSequence];
  return std::string(out, ansi_move_cursor(row, column, out));
}

TEST(AnsiOutput, ClearErasesTheScreenAndHomesTheCursor) {
  EXPECT_EQ(std::string(kAnsiClear, kAnsiClearLength), "\x1b[2J\x1b[H");
}

TEST(AnsiOutput, VgaColoursMapToTheirAnsiNames) {
  EXPECT_EQ(colours(Colour::kLightGrey, Colour::kBlack), "\x1b[37;40m");
  EXPECT_EQ(colours(Colour::kBlue, Colour::kRed), "\x1b[34;41m");  // VGA 1 blue, 4 red
  EXPECT_EQ(colours(Colour::kGreen, Colour::kCyan), "\x1b[32;46m");
  EXPECT_EQ(colours(Colour::kBrown, Colour::kMagenta), "\x1b[33;45m");
  EXPECT_EQ(colours(Colour::kWhite, Colour::kDarkGrey), "\x1b[97;100m");
  EXPECT_EQ(colours(Colour::kYellow, Colour::kLightBlue), "\x1b[93;104m");
  EXPECT_EQ(colours(Colour::kLightRed, Colour::kLightGreen), "\x1b[91;102m");
}

TEST(AnsiOutput, EveryColourPairFits) {
  for (uint64_t f = 0; f < 16; ++f) {
    for (uint64_t b = 0; b < 16; ++b) {
      std::string sequence = colours(static_cast<Colour>(f), static_cast<Colour>(b));
      EXPECT_LE(sequence.size(), kMaxAnsiSequence);
      EXPECT_EQ(sequence.back(), 'm');
    }
  }
}

TEST(AnsiOutput, CursorPositionsCountFromOne) {
  EXPECT_EQ(cursor(0, 0), "\x1b[1;1H");
  EXPECT_EQ(cursor(24, 79), "\x1b[25;80H");
  EXPECT_EQ(cursor(9, 99), "\x1b[10;100H");
  EXPECT_EQ(cursor(65535, 65535), "\x1b[65536;65536H");
  EXPECT_LE(cursor(65535, 65535).size(), kMaxAnsiSequence);
  EXPECT_EQ(cursor(1u << 20, 0), "\x1b[65536;1H");  // clamped to the protocol's bound
}

}  // namespace
}  // namespace bm::serial
