// Host tests for the terminal's plain output: printing, deferred wrap, scrolling, the control
// characters, placeholders, the hardware cursor and the set_colours/move_cursor calls.
#include <string>

#include "test/host/vga/terminal_fixture.h"

namespace bm::terminal {
namespace {

TEST_F(TerminalTest, StartsHomeWithGreyOnBlackAndLeavesTheScreenAlone) {
  EXPECT_EQ(terminal.row(), 0);
  EXPECT_EQ(terminal.column(), 0);
  EXPECT_EQ(terminal.attribute(), kGreyOnBlack);
  EXPECT_EQ(screen.puts, 0);
  EXPECT_EQ(screen.cursor_updates, 0);
}

TEST_F(TerminalTest, PrintsTextAtTheCursor) {
  write("hello, world");
  EXPECT_EQ(screen.text(0), "hello, world");
  EXPECT_EQ(screen.attribute(0, 0), kGreyOnBlack);
  EXPECT_EQ(screen.get(0, 4), make_cell('o', kGreyOnBlack));
  EXPECT_EQ(screen.puts, 12);
  expect_cursor(0, 12);
}

TEST_F(TerminalTest, PrintsEveryPrintableAscii) {
  std::string all;
  for (char c = 0x20; c < 0x7F; ++c) all += c;
  write(all);
  for (int i = 0; i < 80; ++i) EXPECT_EQ(screen.character(0, i), 0x20 + i);
  for (int i = 80; i < 95; ++i) EXPECT_EQ(screen.character(1, i - 80), 0x20 + i);
}

TEST_F(TerminalTest, EmptyAndNullWritesOnlyPlaceTheCursor) {
  terminal.write(nullptr, 100);
  terminal.write("x", 0);
  EXPECT_EQ(screen.puts, 0);
  EXPECT_EQ(screen.cursor_updates, 2);
  expect_cursor(0, 0);
}

TEST_F(TerminalTest, HardwareCursorIsUpdatedOncePerWrite) {
  write("some text\nand more\r\n\tx");
  EXPECT_EQ(screen.cursor_updates, 1);
  expect_cursor(2, 9);
}

TEST_F(TerminalTest, WrapIsDeferredUntilTheNextCharacter) {
  write(std::string(80, 'a'));
  EXPECT_EQ(screen.text(0), std::string(80, 'a'));
  expect_cursor(0, 79);
  EXPECT_TRUE(terminal.wrap_pending());
  EXPECT_EQ(screen.text(1), "");
  write("b");
  EXPECT_EQ(screen.text(1), "b");
  EXPECT_EQ(screen.character(0, 79), 'a');
  expect_cursor(1, 1);
  EXPECT_FALSE(terminal.wrap_pending());
}

TEST_F(TerminalTest, EightyCharactersAndNewlineMakeOneLine) {
  write(std::string(80, 'a') + "\nb");
  EXPECT_EQ(screen.text(1), "b");
  expect_cursor(1, 1);
}

TEST_F(TerminalTest, LongTextWrapsEveryEightyColumns) {
  std::string text;
  for (int i = 0; i < 200; ++i) text += static_cast<char>('a' + i % 26);
  write(text);
  EXPECT_EQ(screen.text(0), text.substr(0, 80));
  EXPECT_EQ(screen.text(1), text.substr(80, 80));
  EXPECT_EQ(screen.text(2), text.substr(160));
  expect_cursor(2, 40);
}

TEST_F(TerminalTest, BottomRightCellIsWrittenWithoutScrolling) {
  ASSERT_TRUE(terminal.move_cursor(24, 79).ok());
  write("z");
  EXPECT_EQ(screen.character(24, 79), 'z');
  EXPECT_EQ(screen.scrolls, 0);
  expect_cursor(24, 79);
  write("y");
  EXPECT_EQ(screen.scrolls, 1);
  EXPECT_EQ(screen.character(23, 79), 'z');
  EXPECT_EQ(screen.text(24), "y");
  expect_cursor(24, 1);
}

TEST_F(TerminalTest, ScrollsAfterTheTwentyFifthLine) {
  for (int line = 0; line < 25; ++line) write("line " + std::to_string(line) + "\n");
  // The 25th "\n" left the bottom row: one scroll so far.
  EXPECT_EQ(screen.scrolls, 1);
  EXPECT_EQ(screen.text(0), "line 1");
  EXPECT_EQ(screen.text(23), "line 24");
  EXPECT_EQ(screen.text(24), "");
  expect_cursor(24, 0);
  write("line 25\nline 26");
  EXPECT_EQ(screen.scrolls, 2);
  EXPECT_EQ(screen.text(0), "line 2");
  EXPECT_EQ(screen.text(23), "line 25");
  EXPECT_EQ(screen.text(24), "line 26");
}

TEST_F(TerminalTest, ScrolledInLineIsBlankWithTheCurrentAttribute) {
  ASSERT_TRUE(terminal.set_colours(kYellow, kBlue).ok());
  ASSERT_TRUE(terminal.move_cursor(24, 0).ok());
  write("last\n");
  EXPECT_EQ(screen.text(23), "last");
  EXPECT_EQ(screen.attribute(23, 0), 0x1E);
  for (int column = 0; column < kColumns; ++column) {
    EXPECT_EQ(screen.get(24, column), make_cell(' ', 0x1E)) << column;
  }
  EXPECT_EQ(screen.get(22, 0), kInitialCell);  // moved up untouched
}

TEST_F(TerminalTest, ScrolledInLineIgnoresReverseVideo) {
  ASSERT_TRUE(terminal.move_cursor(24, 0).ok());
  write("\x1b[34;42;7mX\n");  // blue on green, reversed
  EXPECT_EQ(screen.attribute(23, 0), 0x12);
  EXPECT_EQ(terminal.attribute(), 0x12);
  EXPECT_EQ(terminal.blank_attribute(), 0x21);
  EXPECT_EQ(screen.get(24, 0), make_cell(' ', 0x21));
  EXPECT_EQ(screen.get(24, 79), make_cell(' ', 0x21));
}

TEST_F(TerminalTest, NewlineIsLineFeedAndCarriageReturn) {
  write("abc\ndef");
  EXPECT_EQ(screen.text(0), "abc");
  EXPECT_EQ(screen.text(1), "def");
  expect_cursor(1, 3);
}

TEST_F(TerminalTest, CarriageReturnGoesToColumnZero) {
  write("abcdef\rXY");
  EXPECT_EQ(screen.text(0), "XYcdef");
  expect_cursor(0, 2);
}

TEST_F(TerminalTest, CarriageReturnClearsAPendingWrap) {
  write(std::string(80, 'a') + "\rb");
  EXPECT_EQ(screen.character(0, 0), 'b');
  EXPECT_EQ(screen.text(1), "");
  expect_cursor(0, 1);
}

TEST_F(TerminalTest, TabMovesToTheNextMultipleOfEight) {
  write("\t");
  expect_cursor(0, 8);
  write("\t");
  expect_cursor(0, 16);
  write("abc\t");
  expect_cursor(0, 24);
  write("1234567\tx");
  EXPECT_EQ(screen.character(0, 32), 'x');
  EXPECT_EQ(screen.text(0), std::string(16, ' ') + "abc     1234567 x");
}

TEST_F(TerminalTest, TabDoesNotWriteCells) {
  write("abcdefghij\rab\tX");
  EXPECT_EQ(screen.text(0), "abcdefghXj");
}

TEST_F(TerminalTest, TabStopsAtTheLastColumn) {
  ASSERT_TRUE(terminal.move_cursor(3, 70).ok());
  write("\t");
  expect_cursor(3, 72);
  write("\t");
  expect_cursor(3, 79);
  write("\t");
  expect_cursor(3, 79);
  EXPECT_FALSE(terminal.wrap_pending());
  write("x");
  EXPECT_EQ(screen.character(3, 79), 'x');
  EXPECT_TRUE(terminal.wrap_pending());
  write("\t");  // nothing beyond a pending wrap
  EXPECT_TRUE(terminal.wrap_pending());
  write("y");
  EXPECT_EQ(screen.text(4), "y");
}

TEST_F(TerminalTest, BackspaceMovesLeftWithoutErasing) {
  write("abc\b");
  expect_cursor(0, 2);
  EXPECT_EQ(screen.text(0), "abc");
  write("\bX");
  EXPECT_EQ(screen.text(0), "aXc");
}

TEST_F(TerminalTest, BackspaceStopsAtColumnZero) {
  write("ab\ncd\b\b\b\b");
  expect_cursor(1, 0);
  EXPECT_EQ(screen.text(0), "ab");
  write("X");
  EXPECT_EQ(screen.text(1), "Xd");
}

TEST_F(TerminalTest, ShellBackspaceSequenceErasesTheLastCharacter) {
  write("$ ls");
  write("\b \b");
  EXPECT_EQ(screen.text(0), "$ l");
  expect_cursor(0, 3);
}

TEST_F(TerminalTest, ShellBackspaceErasesACharacterInTheLastColumn) {
  write(std::string(79, '-') + "x");
  ASSERT_TRUE(terminal.wrap_pending());
  write("\b \b");
  EXPECT_EQ(screen.character(0, 79), ' ');
  EXPECT_EQ(screen.character(0, 78), '-');
  expect_cursor(0, 79);
  EXPECT_FALSE(terminal.wrap_pending());
  write("y");
  EXPECT_EQ(screen.character(0, 79), 'y');
  EXPECT_EQ(screen.text(1), "");
}

TEST_F(TerminalTest, BellAndOtherControlsAreIgnored) {
  write(std::string_view("a\a\0\x01\x0b\x0c\x0e\x1f\177b", 10));
  EXPECT_EQ(screen.text(0), "ab");
  EXPECT_EQ(screen.puts, 2);
  expect_cursor(0, 2);
}

TEST_F(TerminalTest, NonAsciiBytesPrintAPlaceholderEach) {
  write("a\303\244b\x80\xff");
  EXPECT_EQ(screen.character(0, 0), 'a');
  EXPECT_EQ(screen.character(0, 1), Terminal::kPlaceholder);
  EXPECT_EQ(screen.character(0, 2), Terminal::kPlaceholder);
  EXPECT_EQ(screen.character(0, 3), 'b');
  EXPECT_EQ(screen.character(0, 4), Terminal::kPlaceholder);
  EXPECT_EQ(screen.character(0, 5), Terminal::kPlaceholder);
  expect_cursor(0, 6);
}

TEST_F(TerminalTest, ClearBlanksEverythingAndHomesTheCursor) {
  screen.fill(make_cell('#', 0x4F));
  write("\n\nabc");
  ASSERT_TRUE(terminal.set_colours(kWhite, kBlue).ok());
  int updates = screen.cursor_updates;
  terminal.clear();
  for (int row = 0; row < kRows; ++row) {
    for (int column = 0; column < kColumns; ++column) {
      ASSERT_EQ(screen.get(row, column), make_cell(' ', 0x1F)) << row << "," << column;
    }
  }
  expect_cursor(0, 0);
  EXPECT_EQ(screen.cursor_updates, updates + 1);
  EXPECT_EQ(terminal.attribute(), 0x1F);
}

TEST_F(TerminalTest, ClearKeepsAHalfReadEscape) {
  write("\x1b[");
  terminal.clear();
  write("5Cx");
  EXPECT_EQ(screen.character(0, 5), 'x');
}

TEST_F(TerminalTest, SetColoursSetsTheAttribute) {
  for (uint8_t foreground = 0; foreground < 16; ++foreground) {
    for (uint8_t background = 0; background < 8; ++background) {
      ASSERT_TRUE(terminal.set_colours(foreground, background).ok());
      EXPECT_EQ(terminal.attribute(), background << 4 | foreground);
    }
  }
  write("\rq");
  EXPECT_EQ(screen.attribute(0, 0), 0x7F);
}

TEST_F(TerminalTest, SetColoursMakesBrightBackgroundsDarkInsteadOfBlinking) {
  for (uint8_t background = 8; background < 16; ++background) {
    ASSERT_TRUE(terminal.set_colours(kWhite, background).ok());
    EXPECT_EQ(terminal.attribute(), (background - 8) << 4 | kWhite);
  }
  write("x");
  EXPECT_EQ(screen.blinking_cells, 0);
}

TEST_F(TerminalTest, SetColoursRejectsValuesAbove15AndChangesNothing) {
  ASSERT_TRUE(terminal.set_colours(kRed, kCyan).ok());
  const uint8_t before = terminal.attribute();
  for (auto [foreground, background] : {std::pair<int, int>{16, 0}, {0, 16}, {255, 255}, {16, 1}}) {
    auto result =
        terminal.set_colours(static_cast<uint8_t>(foreground), static_cast<uint8_t>(background));
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error(), Error::kInvalidArgument);
    EXPECT_EQ(terminal.attribute(), before);
  }
}

TEST_F(TerminalTest, SetColoursBecomesTheDefaultAndEndsBoldAndReverse) {
  write("\x1b[1;7m");
  ASSERT_TRUE(terminal.set_colours(kGreen, kBlack).ok());
  EXPECT_EQ(terminal.attribute(), 0x02);
  write("\x1b[31;44m\x1b[0m");
  EXPECT_EQ(terminal.attribute(), 0x02);
  write("\x1b[31;44m\x1b[39m");
  EXPECT_EQ(terminal.attribute(), 0x12);
  write("\x1b[49m");
  EXPECT_EQ(terminal.attribute(), 0x02);
}

TEST_F(TerminalTest, MoveCursorGoesThereAndUpdatesTheHardwareCursor) {
  ASSERT_TRUE(terminal.move_cursor(12, 34).ok());
  expect_cursor(12, 34);
  write("x");
  EXPECT_EQ(screen.character(12, 34), 'x');
  ASSERT_TRUE(terminal.move_cursor(0, 0).ok());
  expect_cursor(0, 0);
  ASSERT_TRUE(terminal.move_cursor(24, 79).ok());
  expect_cursor(24, 79);
}

TEST_F(TerminalTest, MoveCursorClearsAPendingWrap) {
  write(std::string(80, 'a'));
  ASSERT_TRUE(terminal.move_cursor(0, 79).ok());
  EXPECT_FALSE(terminal.wrap_pending());
  write("b");
  EXPECT_EQ(screen.character(0, 79), 'b');
}

TEST_F(TerminalTest, MoveCursorRejectsPositionsOffTheScreen) {
  ASSERT_TRUE(terminal.move_cursor(5, 6).ok());
  int updates = screen.cursor_updates;
  for (auto [row, column] :
       {std::pair{-1, 0}, {0, -1}, {25, 0}, {0, 80}, {25, 80}, {-100, 500}, {1 << 30, 1 << 30}}) {
    auto result = terminal.move_cursor(row, column);
    ASSERT_FALSE(result.ok()) << row << "," << column;
    EXPECT_EQ(result.error(), Error::kInvalidArgument);
  }
  EXPECT_EQ(screen.cursor_updates, updates);
  expect_cursor(5, 6);
}

}  // namespace
}  // namespace bm::terminal
