// Host tests for every escape sequence the terminal acts on: cursor movement, position, erase
// display/line, save/restore and SGR colours, with defaults, explicit values and clamping.
#include <string>

#include "test/host/vga/terminal_fixture.h"

namespace bm::terminal {
namespace {

// A screen full of letters, so erasing shows exactly which cells went blank.
class EraseTest : public TerminalTest {
 protected:
  void SetUp() override {
    for (int row = 0; row < kRows; ++row) {
      for (int column = 0; column < kColumns; ++column)
        screen.put(row, column, make_cell('#', 0x4E));
    }
    ASSERT_TRUE(terminal.set_colours(kWhite, kBlue).ok());
  }
  bool blank(int row, int column) const { return screen.get(row, column) == make_cell(' ', 0x1F); }
  bool untouched(int row, int column) const {
    return screen.get(row, column) == make_cell('#', 0x4E);
  }
};

TEST_F(TerminalTest, CursorUpDefaultsToOneAndStopsAtTheTop) {
  ASSERT_TRUE(terminal.move_cursor(10, 5).ok());
  write("\x1b[A");
  expect_cursor(9, 5);
  write("\x1b[0A");
  expect_cursor(8, 5);
  write("\x1b[3A");
  expect_cursor(5, 5);
  write("\x1b[99A");
  expect_cursor(0, 5);
  write("\x1b[65535A");
  expect_cursor(0, 5);
  EXPECT_EQ(screen.scrolls, 0);
}

TEST_F(TerminalTest, CursorDownDefaultsToOneAndStopsAtTheBottomWithoutScrolling) {
  ASSERT_TRUE(terminal.move_cursor(10, 5).ok());
  write("\x1b[B");
  expect_cursor(11, 5);
  write("\x1b[0B");
  expect_cursor(12, 5);
  write("\x1b[4B");
  expect_cursor(16, 5);
  write("\x1b[65535B");
  expect_cursor(24, 5);
  EXPECT_EQ(screen.scrolls, 0);
}

TEST_F(TerminalTest, CursorForwardDefaultsToOneAndStopsAtTheLastColumn) {
  write("\x1b[C");
  expect_cursor(0, 1);
  write("\x1b[0C");
  expect_cursor(0, 2);
  write("\x1b[10C");
  expect_cursor(0, 12);
  write("\x1b[65535C");
  expect_cursor(0, 79);
  EXPECT_FALSE(terminal.wrap_pending());
  EXPECT_EQ(screen.puts, 0);
}

TEST_F(TerminalTest, CursorBackDefaultsToOneAndStopsAtColumnZero) {
  ASSERT_TRUE(terminal.move_cursor(3, 40).ok());
  write("\x1b[D");
  expect_cursor(3, 39);
  write("\x1b[0D");
  expect_cursor(3, 38);
  write("\x1b[8D");
  expect_cursor(3, 30);
  write("\x1b[31D");
  expect_cursor(3, 0);
}

TEST_F(TerminalTest, CursorBackFromAPendingWrapCountsFromColumn80) {
  write(std::string(80, 'a'));
  write("\x1b[D");
  expect_cursor(0, 79);
  EXPECT_FALSE(terminal.wrap_pending());
  write("\n" + std::string(79, 'b') + "c\x1b[3D");
  expect_cursor(1, 77);
}

TEST_F(TerminalTest, CursorMovesClearAPendingWrap) {
  for (const char* move : {"\x1b[A", "\x1b[B", "\x1b[C"}) {
    SCOPED_TRACE(move);
    ASSERT_TRUE(terminal.move_cursor(5, 0).ok());
    write(std::string(80, 'a'));
    ASSERT_TRUE(terminal.wrap_pending());
    write(move);
    EXPECT_FALSE(terminal.wrap_pending());
    EXPECT_EQ(terminal.column(), 79);
  }
}

TEST_F(TerminalTest, CursorPositionIsOneBasedWithDefaults) {
  write("\x1b[5;10H");
  expect_cursor(4, 9);
  write("\x1b[H");
  expect_cursor(0, 0);
  write("\x1b[7H");
  expect_cursor(6, 0);
  write("\x1b[;12H");
  expect_cursor(0, 11);
  write("\x1b[0;0H");
  expect_cursor(0, 0);
  write("\x1b[25;80H");
  expect_cursor(24, 79);
  write("\x1b[1;1H");
  expect_cursor(0, 0);
}

TEST_F(TerminalTest, CursorPositionIsClampedToTheScreen) {
  write("\x1b[26;81H");
  expect_cursor(24, 79);
  write("\x1b[65535;65535H");
  expect_cursor(24, 79);
  write("\x1b[3;200H");
  expect_cursor(2, 79);
  write("\x1b[100;3H");
  expect_cursor(24, 2);
}

TEST_F(TerminalTest, HorizontalVerticalPositionIsTheSameAsCursorPosition) {
  write("\x1b[8;20f");
  expect_cursor(7, 19);
  write("\x1b[f");
  expect_cursor(0, 0);
  write("\x1b[99;99f");
  expect_cursor(24, 79);
  write("\x1b[;3f");
  expect_cursor(0, 2);
}

TEST_F(TerminalTest, PositionedTextLandsThere) {
  write("\x1b[12;35Hcentre");
  EXPECT_EQ(screen.text(11), std::string(34, ' ') + "centre");
}

TEST_F(EraseTest, EraseDisplayDefaultIsCursorToEnd) {
  for (const char* erase : {"\x1b[J", "\x1b[0J"}) {
    SCOPED_TRACE(erase);
    SetUp();
    write(std::string("\x1b[11;21H") + erase);
    for (int row = 0; row < kRows; ++row) {
      for (int column = 0; column < kColumns; ++column) {
        bool after = row > 10 || (row == 10 && column >= 20);
        ASSERT_EQ(blank(row, column), after) << row << "," << column;
        ASSERT_EQ(untouched(row, column), !after) << row << "," << column;
      }
    }
    expect_cursor(10, 20);
  }
}

TEST_F(EraseTest, EraseDisplayOneIsStartToCursorInclusive) {
  write("\x1b[11;21H\x1b[1J");
  for (int row = 0; row < kRows; ++row) {
    for (int column = 0; column < kColumns; ++column) {
      bool before = row < 10 || (row == 10 && column <= 20);
      ASSERT_EQ(blank(row, column), before) << row << "," << column;
      ASSERT_EQ(untouched(row, column), !before) << row << "," << column;
    }
  }
  expect_cursor(10, 20);
}

TEST_F(EraseTest, EraseDisplayTwoAndThreeEraseAllWithoutMovingTheCursor) {
  for (const char* erase : {"\x1b[2J", "\x1b[3J"}) {
    SCOPED_TRACE(erase);
    SetUp();
    write(std::string("\x1b[11;21H") + erase);
    for (int row = 0; row < kRows; ++row) {
      for (int column = 0; column < kColumns; ++column) ASSERT_TRUE(blank(row, column));
    }
    expect_cursor(10, 20);
  }
}

TEST_F(EraseTest, ClearScreenTheWayShellsDo) {
  write("\x1b[H\x1b[2J$ ");
  EXPECT_EQ(screen.text(0), "$");
  EXPECT_TRUE(blank(24, 79));
  expect_cursor(0, 2);
}

TEST_F(EraseTest, EraseDisplayWithAnUnknownModeDoesNothing) {
  write("\x1b[5;5H\x1b[4J\x1b[9J");
  for (int row = 0; row < kRows; ++row) {
    for (int column = 0; column < kColumns; ++column) ASSERT_TRUE(untouched(row, column));
  }
}

TEST_F(EraseTest, EraseLineDefaultIsCursorToEnd) {
  for (const char* erase : {"\x1b[K", "\x1b[0K"}) {
    SCOPED_TRACE(erase);
    SetUp();
    write(std::string("\x1b[4;31H") + erase);
    for (int column = 0; column < kColumns; ++column) {
      ASSERT_EQ(blank(3, column), column >= 30) << column;
      ASSERT_EQ(untouched(3, column), column < 30) << column;
    }
    EXPECT_TRUE(untouched(2, 79));
    EXPECT_TRUE(untouched(4, 0));
    expect_cursor(3, 30);
  }
}

TEST_F(EraseTest, EraseLineOneIsStartToCursorInclusive) {
  write("\x1b[4;31H\x1b[1K");
  for (int column = 0; column < kColumns; ++column) {
    ASSERT_EQ(blank(3, column), column <= 30) << column;
    ASSERT_EQ(untouched(3, column), column > 30) << column;
  }
  EXPECT_TRUE(untouched(2, 79));
  EXPECT_TRUE(untouched(4, 0));
  expect_cursor(3, 30);
}

TEST_F(EraseTest, EraseLineTwoErasesTheWholeLine) {
  write("\x1b[4;31H\x1b[2K");
  for (int column = 0; column < kColumns; ++column) ASSERT_TRUE(blank(3, column)) << column;
  EXPECT_TRUE(untouched(2, 79));
  EXPECT_TRUE(untouched(4, 0));
  expect_cursor(3, 30);
}

TEST_F(EraseTest, EraseLineWithAnUnknownModeDoesNothing) {
  write("\x1b[4;31H\x1b[3K");
  for (int column = 0; column < kColumns; ++column) ASSERT_TRUE(untouched(3, column));
}

TEST_F(EraseTest, EraseAtAPendingWrapIncludesTheLastColumnAndClearsTheWrap) {
  write("\x1b[4;1H" + std::string(80, 'x') + "\x1b[K");
  EXPECT_TRUE(blank(3, 79));
  EXPECT_EQ(screen.character(3, 78), 'x');
  EXPECT_FALSE(terminal.wrap_pending());
  write("y");
  EXPECT_EQ(screen.character(3, 79), 'y');
}

TEST_F(EraseTest, LineEditorRedrawPattern) {
  write("\x1b[25;1H\r$ echo hellp\b\x1b[Ko");
  EXPECT_EQ(screen.text(24), "$ echo hello");
  EXPECT_TRUE(blank(24, 12));
}

TEST_F(TerminalTest, SaveAndRestoreCursor) {
  write("\x1b[5;6H\x1b[s\x1b[20;70Habc\x1b[u");
  expect_cursor(4, 5);
  write("X");
  EXPECT_EQ(screen.character(4, 5), 'X');
  EXPECT_EQ(screen.text(19), std::string(69, ' ') + "abc");
}

TEST_F(TerminalTest, RestoreCanBeRepeated) {
  write("\x1b[3;4H\x1b[s\x1b[H\x1b[u\x1b[10;10H\x1b[u");
  expect_cursor(2, 3);
}

TEST_F(TerminalTest, RestoreWithoutSaveGoesHome) {
  write("\x1b[12;12H\x1b[u");
  expect_cursor(0, 0);
}

TEST_F(TerminalTest, DecSaveAndRestoreAreAliases) {
  write("\x1b[7;8H\0337\x1b[H\0338");
  expect_cursor(6, 7);
  write("\x1b[2;2H\x1b[s\x1b[H\0338");
  expect_cursor(1, 1);
}

TEST_F(TerminalTest, SaveAndRestoreKeepAPendingWrap) {
  write(std::string(80, 'a') + "\x1b[s\x1b[10;10H\x1b[ub");
  EXPECT_EQ(screen.character(0, 79), 'a');
  EXPECT_EQ(screen.text(1), "b");
}

TEST_F(TerminalTest, SaveAndRestoreDoNotTouchColours) {
  write("\x1b[s\x1b[31m\x1b[u");
  EXPECT_EQ(terminal.attribute(), kRed | kBlack << 4);
}

// ANSI colour index -> VGA colour number, dark and bright.
constexpr uint8_t kExpectedVga[8] = {kBlack, kRed,     kGreen, kBrown,
                                     kBlue,  kMagenta, kCyan,  kLightGrey};
constexpr uint8_t kExpectedBrightVga[8] = {kDarkGrey,  kLightRed,     kLightGreen, kYellow,
                                           kLightBlue, kLightMagenta, kLightCyan,  kWhite};

TEST_F(TerminalTest, SgrForegroundMapsAnsiOrderToVgaOrder) {
  for (int i = 0; i < 8; ++i) {
    write("\x1b[" + std::to_string(30 + i) + "m");
    EXPECT_EQ(terminal.attribute(), kExpectedVga[i]) << 30 + i;
    write("\x1b[" + std::to_string(90 + i) + "m");
    EXPECT_EQ(terminal.attribute(), kExpectedBrightVga[i]) << 90 + i;
  }
}

TEST_F(TerminalTest, SgrBackgroundMapsAnsiOrderToVgaOrder) {
  for (int i = 0; i < 8; ++i) {
    write("\x1b[" + std::to_string(40 + i) + "m");
    EXPECT_EQ(terminal.attribute(), kExpectedVga[i] << 4 | kLightGrey) << 40 + i;
    // No bright backgrounds: the dark one, never the blink bit.
    write("\x1b[" + std::to_string(100 + i) + "m");
    EXPECT_EQ(terminal.attribute(), kExpectedVga[i] << 4 | kLightGrey) << 100 + i;
  }
}

TEST_F(TerminalTest, SgrColoursReachTheCells) {
  write("\x1b[31mR\x1b[92mG\x1b[44mB\x1b[0mN");
  EXPECT_EQ(screen.get(0, 0), make_cell('R', 0x04));
  EXPECT_EQ(screen.get(0, 1), make_cell('G', 0x0A));
  EXPECT_EQ(screen.get(0, 2), make_cell('B', 0x1A));
  EXPECT_EQ(screen.get(0, 3), make_cell('N', 0x07));
}

TEST_F(TerminalTest, BoldMakesTheForegroundBright) {
  write("\x1b[1m");
  EXPECT_EQ(terminal.attribute(), kWhite);
  for (int i = 0; i < 8; ++i) {
    write("\x1b[" + std::to_string(30 + i) + "m");
    EXPECT_EQ(terminal.attribute(), kExpectedBrightVga[i]) << 30 + i;
  }
  write("\x1b[22m");
  EXPECT_EQ(terminal.attribute(), kLightGrey);  // 37 was last
  write("\x1b[93;22m");                         // a bright colour stays bright without bold
  EXPECT_EQ(terminal.attribute(), kYellow);
}

TEST_F(TerminalTest, BoldDoesNotBrightenTheBackground) {
  write("\x1b[1;44m");
  EXPECT_EQ(terminal.attribute(), kBlue << 4 | kWhite);
}

TEST_F(TerminalTest, ReverseVideoSwapsColoursAndKeepsIntensityOnTheForeground) {
  write("\x1b[34;43m\x1b[7m");  // blue on brown
  EXPECT_EQ(terminal.attribute(), kBlue << 4 | kBrown);
  write("\x1b[27m");
  EXPECT_EQ(terminal.attribute(), kBrown << 4 | kBlue);
  write("\x1b[1;7m");  // bright blue on brown, reversed: bright brown (yellow) on blue
  EXPECT_EQ(terminal.attribute(), kBlue << 4 | kYellow);
  write("\x1b[0;7m");
  EXPECT_EQ(terminal.attribute(), kLightGrey << 4 | kBlack);
  write("x");
  EXPECT_EQ(screen.attribute(0, 0), 0x70);
  EXPECT_EQ(screen.blinking_cells, 0);
}

TEST_F(TerminalTest, SgrResetForms) {
  for (const char* reset : {"\x1b[0m", "\x1b[m", "\x1b[;m", "\x1b[00m"}) {
    SCOPED_TRACE(reset);
    write("\x1b[1;7;35;46m");
    ASSERT_NE(terminal.attribute(), kGreyOnBlack);
    write(reset);
    EXPECT_EQ(terminal.attribute(), kGreyOnBlack);
  }
}

TEST_F(TerminalTest, SgrDefaultColourCodes) {
  write("\x1b[32;45m\x1b[39m");
  EXPECT_EQ(terminal.attribute(), kMagenta << 4 | kLightGrey);
  write("\x1b[49m");
  EXPECT_EQ(terminal.attribute(), kGreyOnBlack);
}

TEST_F(TerminalTest, SgrAppliesSeveralParametersInOrder) {
  write("\x1b[1;31;42m");
  EXPECT_EQ(terminal.attribute(), kGreen << 4 | kLightRed);
  write("\x1b[0;36;41;1;7m");
  EXPECT_EQ(terminal.attribute(), kCyan << 4 | kLightRed);  // bright cyan on red, reversed
  write("\x1b[33;0;34m");  // a reset in the middle cancels what came before it
  EXPECT_EQ(terminal.attribute(), kBlue);
  write("\x1b[31;32;33;34;35;36;37;40m");  // the last one of each wins
  EXPECT_EQ(terminal.attribute(), kLightGrey);
}

TEST_F(TerminalTest, SgrIgnoresCodesWithoutAVgaMeaning) {
  write("\x1b[35m\x1b[2;3;4;5;6;8;9;21;23;24;25m");
  EXPECT_EQ(terminal.attribute(), kMagenta);
  write("x");
  EXPECT_EQ(screen.blinking_cells, 0);
}

TEST_F(TerminalTest, SgrSkipsTheArgumentsOfExtendedColours) {
  write("\x1b[31;38;5;0m");  // 256-colour: not shown, and the 0 is not a reset
  EXPECT_EQ(terminal.attribute(), kRed);
  write("\x1b[38;2;0;0;0;44m");  // RGB: four arguments skipped, then 44 applies
  EXPECT_EQ(terminal.attribute(), kBlue << 4 | kRed);
  write("\x1b[48;5;1;1m");
  EXPECT_EQ(terminal.attribute(), kBlue << 4 | kLightRed);
  write("\x1b[0;38;7;7m");  // unknown kind: the rest is dropped
  EXPECT_EQ(terminal.attribute(), kGreyOnBlack);
  write("\x1b[38m\x1b[48;5m");
  EXPECT_EQ(terminal.attribute(), kGreyOnBlack);
}

TEST_F(TerminalTest, SgrChangesNoCellsAndDoesNotMoveTheCursor) {
  write("ab\x1b[1;31m");
  EXPECT_EQ(screen.puts, 2);
  expect_cursor(0, 2);
}

}  // namespace
}  // namespace bm::terminal
