// Where a starting vga server writes: at its predecessor's cursor after a restart, below
// the kernel's boot log at boot.
#include "servers/vga/resume_position.h"

#include <gtest/gtest.h>

namespace bm::vga {
namespace {

void expect_position(ScreenPosition position, int row, int column, bool scroll_first) {
  EXPECT_EQ(position.row, row);
  EXPECT_EQ(position.column, column);
  EXPECT_EQ(position.scroll_first, scroll_first);
}

TEST(ResumePosition, ARestartedServerContinuesAtTheCursorInTheMiddleOfALine) {
  // The shell's prompt and half a command on row 7, nothing below it.
  expect_position(resume_position(7, 6, 8), 7, 6, false);
  // The cursor at the start of an empty line after the text.
  expect_position(resume_position(8, 0, 8), 8, 0, false);
  // A full screen: the cursor on the last row, which has text.
  expect_position(resume_position(kRows - 1, 12, kRows), kRows - 1, 12, false);
}

TEST(ResumePosition, AtBootTheServerStartsBelowTheKernelsLog) {
  // The firmware left the cursor at the top; the kernel logged 10 rows without moving it.
  expect_position(resume_position(0, 0, 10), 10, 0, false);
  // A full screen of log: write on the last row after one scroll.
  expect_position(resume_position(0, 0, kRows), kRows - 1, 0, true);
  // A cursor off the grid (position register past 80x25) is never used.
  expect_position(resume_position(kRows + 3, 0, 4), 4, 0, false);
}

}  // namespace
}  // namespace bm::vga
