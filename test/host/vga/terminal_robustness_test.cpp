// Host tests for the terminal under bad and awkward input: malformed and unsupported escapes,
// sequences split across writes at every byte, and 100 000 random bytes per seed.
#include <cctype>
#include <random>
#include <string>
#include <string_view>

#include "test/host/vga/terminal_fixture.h"

namespace bm::terminal {
namespace {

struct MalformedCase {
  const char* what;
  std::string bytes;
  std::string shown;  // what legitimately comes before "ok" (a placeholder, a cursor step)
};

// Each case is written at (4, 9) followed by "ok": only "ok" may appear, and only there.
const MalformedCase kMalformedCases[] = {
    {"ESC with an unknown final byte", "\x1bx", ""},
    {"ESC Z (DECID, unsupported)", "\x1bZ", ""},
    {"ESC c (RIS, unsupported)", "\033c", ""},
    {"CSI with an unsupported final byte", "\x1b[12Z", ""},
    {"CSI insert characters", "\x1b[2@", ""},
    {"CSI delete characters", "\x1b[3P", ""},
    {"CSI erase characters", "\x1b[5X", ""},
    {"CSI insert lines", "\x1b[2L", ""},
    {"CSI scroll up", "\x1b[3S", ""},
    {"CSI device status report (must not answer)", "\x1b[6n", ""},
    {"CSI device attributes", "\x1b[0c", ""},
    {"CSI scrolling region", "\x1b[1;24r", ""},
    {"CSI set mode", "\x1b[4h", ""},
    {"CSI cursor horizontal absolute", "\x1b[30G", ""},
    {"CSI erase display, unknown mode", "\x1b[7J", ""},
    {"CSI erase line, unknown mode", "\x1b[5K", ""},
    {"nine parameters", "\x1b[1;2;3;4;5;6;7;8;9H", ""},
    {"nine zero parameters", "\x1b[0;0;0;0;0;0;0;0;0H", ""},
    {"many empty parameters", "\x1b[;;;;;;;;;;;;;;;;;;;;2C", ""},
    {"nine SGR parameters", "\x1b[1;7;31;44;1;7;31;44;1m", ""},
    {"parameter of 65536", "\x1b[65536C", ""},
    {"second parameter overflowing", "\x1b[2;70000H", ""},
    {"SGR parameter overflowing", "\x1b[31;65536m", ""},
    {"huge parameter", "\x1b[99999999999999999999999999999999999999999m", ""},
    {"DEC private mode hide cursor", "\x1b[?25l", ""},
    {"DEC private mode show cursor", "\x1b[?25h", ""},
    {"alternate screen", "\x1b[?1049h", ""},
    {"private marker after digits", "\x1b[1?2C", ""},
    {"secondary device attributes", "\x1b[>c", ""},
    {"CSI with an intermediate byte", "\x1b[ q", ""},
    {"CSI with intermediate and parameters", "\x1b[1$p", ""},
    {"colon sub-parameters", "\x1b[1:2m", ""},
    {"colon RGB colour", "\x1b[38:2:255:0:0m", ""},
    {"charset designation G0", "\x1b(B", ""},
    {"charset designation G1", "\x1b)0", ""},
    {"screen alignment test", "\x1b#8", ""},
    {"OSC title ended by BEL", "\x1b]0;window title\x07", ""},
    {"OSC title ended by ST", "\x1b]2;title [1;1H\x1b\\", ""},
    {"DCS string", "\x1bP+q544e\x1b\\", ""},
    {"APC string", "\x1b_payload\x1b\\", ""},
    {"CSI cancelled by CAN", "\x1b[12\x18", ""},
    {"CSI cancelled by SUB", "\x1b[5;5\x1a", ""},
    {"ESC cancelled by CAN", "\x1b\x18", ""},
    {"OSC cancelled by CAN", "\x1b]0;abc\x18", ""},
    {"CSI broken by a high byte", "\x1b[3\x80", ""},
    {"CSI broken by UTF-8", "\x1b[1;\xc3\xa4", "\xfe"},  // the second byte prints
    {"ESC followed by a high byte", "\x1b\xff", ""},
    {"ESC ESC restarts", "\x1b\x1b[C", " "},
    {"CSI restarted by ESC", "\x1b[20\x1b[C", " "},
    {"a hundred nines", "\x1b[" + std::string(100, '9') + "A", ""},
    {"a hundred zeros then a count", "\x1b[" + std::string(100, '0') + "1C", " "},
};

class MalformedEscapeTest : public TerminalTest,
                            public testing::WithParamInterface<MalformedCase> {};

TEST_P(MalformedEscapeTest, IsIgnoredAndLaterOutputWorks) {
  const MalformedCase& test_case = GetParam();
  ASSERT_TRUE(terminal.move_cursor(4, 9).ok());
  write(test_case.bytes + "ok");
  const int column = 9 + static_cast<int>(test_case.shown.size());
  const std::string expected_row = std::string(9, ' ') + test_case.shown + "ok";
  EXPECT_EQ(screen.text(4), expected_row);
  EXPECT_EQ(screen.get(4, column), make_cell('o', kGreyOnBlack));
  EXPECT_EQ(screen.get(4, column + 1), make_cell('k', kGreyOnBlack));
  int visible = 0;
  for (char c : expected_row) visible += c != ' ';
  EXPECT_EQ(screen.changed_cells(), visible) << "something else was drawn";
  EXPECT_EQ(terminal.attribute(), kGreyOnBlack);
  expect_cursor(4, column + 2);
  // The next sequence is understood normally.
  write("\x1b[3;5H\x1b[32mz");
  EXPECT_EQ(screen.get(2, 4), make_cell('z', kGreen));
}

INSTANTIATE_TEST_SUITE_P(Terminal, MalformedEscapeTest, testing::ValuesIn(kMalformedCases),
                         [](const testing::TestParamInfo<MalformedCase>& info) {
                           std::string name;
                           for (char c : std::string_view(info.param.what)) {
                             if (std::isalnum(static_cast<unsigned char>(c))) name += c;
                           }
                           return name;
                         });

// A shell's worth of sequences of every kind, including ignored ones.
const std::string kScript =
    "ab\x1b[31mcd\x1b[1;44mef\x1b[0m\x1b[5;10Hgh\x1b[s\x1b[2A\x1b[3Cij\x1b[u\x1b[Kkl"
    "\x1b]0;title\x07mn\x1b(Bop\x1b[?25lqr\x1b[2;3fst\x1b[1Juv\x1b[65536Cwx\0337\x1b[H\0338"
    "yz\x1b[7mAB\x1b[27m\tC\bD\r\nE\x1b[38;5;12mF\x1b[99;99HG\x1b[20;1H\x1b[2K\x1b[J"
    "\xc3\xa4\x1b[1;2;3;4;5;6;7;8;9m\x1b]2;t\x1b\\H\x1b[12\x18I\x1b[B\x1b[D\x1b[0;0H";

void expect_same(const FakeScreen& expected_screen, const Terminal& expected,
                 const FakeScreen& actual_screen, const Terminal& actual) {
  EXPECT_TRUE(expected_screen.same_cells(actual_screen)) << "expected:\n"
                                                         << expected_screen.dump() << "actual:\n"
                                                         << actual_screen.dump();
  EXPECT_EQ(expected.row(), actual.row());
  EXPECT_EQ(expected.column(), actual.column());
  EXPECT_EQ(expected.attribute(), actual.attribute());
  EXPECT_EQ(expected.wrap_pending(), actual.wrap_pending());
  EXPECT_EQ(expected_screen.cursor_row, actual_screen.cursor_row);
  EXPECT_EQ(expected_screen.cursor_column, actual_screen.cursor_column);
}

TEST(TerminalSplitWrites, ScriptHasEffectsToCompare) {
  FakeScreen screen;
  Terminal terminal(screen);
  terminal.write(kScript.data(), kScript.size());
  EXPECT_EQ(screen.text(0), "");
  EXPECT_EQ(screen.text(1), "    uvwxyzAB    D");
  EXPECT_EQ(screen.attribute(1, 11), 0x70);
  EXPECT_EQ(screen.text(2), "EF            ij");
  EXPECT_EQ(screen.text(4), "         ghklmnopqr");
  EXPECT_EQ(screen.text(19), "\xfe\xfeHI");
  EXPECT_EQ(screen.text(24), "");
  EXPECT_EQ(terminal.row(), 0);
  EXPECT_EQ(terminal.column(), 0);
}

TEST(TerminalSplitWrites, EverySplitPointGivesTheSameScreen) {
  FakeScreen whole_screen;
  Terminal whole(whole_screen);
  whole.write(kScript.data(), kScript.size());
  for (size_t split = 0; split <= kScript.size(); ++split) {
    SCOPED_TRACE(split);
    FakeScreen screen;
    Terminal terminal(screen);
    terminal.write(kScript.data(), split);
    terminal.write(kScript.data() + split, kScript.size() - split);
    expect_same(whole_screen, whole, screen, terminal);
    if (HasFailure()) return;
  }
}

TEST(TerminalSplitWrites, EveryPairOfSplitPointsGivesTheSameScreen) {
  FakeScreen whole_screen;
  Terminal whole(whole_screen);
  whole.write(kScript.data(), kScript.size());
  for (size_t first = 0; first <= kScript.size(); ++first) {
    for (size_t second = first; second <= kScript.size(); ++second) {
      FakeScreen screen;
      Terminal terminal(screen);
      terminal.write(kScript.data(), first);
      terminal.write(kScript.data() + first, second - first);
      terminal.write(kScript.data() + second, kScript.size() - second);
      ASSERT_TRUE(whole_screen.same_cells(screen)) << first << "," << second;
      ASSERT_EQ(whole.row(), terminal.row()) << first << "," << second;
      ASSERT_EQ(whole.column(), terminal.column()) << first << "," << second;
      ASSERT_EQ(whole.attribute(), terminal.attribute()) << first << "," << second;
    }
  }
}

TEST(TerminalSplitWrites, OneByteAtATimeGivesTheSameScreen) {
  FakeScreen whole_screen;
  Terminal whole(whole_screen);
  whole.write(kScript.data(), kScript.size());
  FakeScreen screen;
  Terminal terminal(screen);
  for (char byte : kScript) terminal.write(&byte, 1);
  expect_same(whole_screen, whole, screen, terminal);
}

TEST_F(TerminalTest, EscapeAtTheEndOfAWriteContinuesInTheNext) {
  write("ab\x1b");
  EXPECT_EQ(screen.text(0), "ab");
  write("[5;7H");
  expect_cursor(4, 6);
  write("x\x1b[");
  write("3");
  write("1");
  write("mR");
  EXPECT_EQ(screen.get(4, 7), make_cell('R', kRed));
}

TEST_F(TerminalTest, HardwareCursorWaitsInsideASplitSequence) {
  ASSERT_TRUE(terminal.move_cursor(2, 2).ok());
  write("\x1b[10");
  expect_cursor(2, 2);
  write(";10H");
  expect_cursor(9, 9);
}

// Random bytes biased towards the ones that build sequences, with now and then a well-formed
// sequence so that the noise also moves the cursor, erases and changes colours.
std::string random_piece(std::mt19937& random) {
  static const std::string kFinals = "ABCDHfJKsumGhlrqn@PXc78";
  auto number = [&] { return std::to_string(random() % 120); };
  int pick = static_cast<int>(random() % 100);
  if (pick < 3) return "\x1b[" + number() + ";" + number() + kFinals[random() % kFinals.size()];
  if (pick < 6) return "\x1b[" + number() + ";" + number() + ";" + number() + "m";
  if (pick < 15) return "\x1b";
  if (pick < 25) return "[";
  if (pick < 45) return std::string(1, static_cast<char>('0' + random() % 10));
  if (pick < 52) return ";";
  if (pick < 64) return std::string(1, kFinals[random() % kFinals.size()]);
  if (pick < 72) return std::string(1, "\n\r\t\b\x07\x18\x1a?"[random() % 8]);
  if (pick < 74) return std::string(1, "]P\\:"[random() % 4]);
  return std::string(1, static_cast<char>(random() % 256));
}

class RandomInputTest : public TerminalTest, public testing::WithParamInterface<uint32_t> {};

TEST_P(RandomInputTest, NeverLeavesTheScreenAndRecovers) {
  std::mt19937 random(GetParam());
  constexpr size_t kBytes = 100'000;
  size_t written = 0;
  int coloured_writes = 0;
  while (written < kBytes) {
    std::string chunk;
    const size_t pieces = 1 + random() % 64;
    for (size_t i = 0; i < pieces; ++i) chunk += random_piece(random);
    int updates = screen.cursor_updates;
    write(chunk);
    written += chunk.size();
    ASSERT_EQ(screen.cursor_updates, updates + 1);
    ASSERT_GE(terminal.row(), 0);
    ASSERT_LT(terminal.row(), kRows);
    ASSERT_GE(terminal.column(), 0);
    ASSERT_LT(terminal.column(), kColumns);
    ASSERT_EQ(screen.cursor_row, terminal.row());
    ASSERT_EQ(screen.cursor_column, terminal.column());
    ASSERT_EQ(terminal.attribute() & 0x80, 0);
    ASSERT_EQ(screen.out_of_range, 0);
    coloured_writes += terminal.attribute() != kGreyOnBlack;
  }
  EXPECT_EQ(screen.blinking_cells, 0);
  EXPECT_GT(screen.scrolls, 0);
  EXPECT_GT(coloured_writes, 100);  // the noise really did reach the SGR code

  // CAN ends whatever sequence the noise left open; then everything works as usual.
  write("\x18\x1b[0m\x1b[2J\x1b[Hok\x1b[25;78Hend");
  EXPECT_EQ(screen.text(0), "ok");
  EXPECT_EQ(screen.get(0, 0), make_cell('o', kGreyOnBlack));
  EXPECT_EQ(screen.text(24), std::string(77, ' ') + "end");
  EXPECT_EQ(screen.changed_cells(), 5);
  EXPECT_TRUE(terminal.wrap_pending());
  EXPECT_EQ(screen.out_of_range, 0);
}

INSTANTIATE_TEST_SUITE_P(Terminal, RandomInputTest, testing::Values(1u, 2u, 3u, 0xC0FFEEu));

}  // namespace
}  // namespace bm::terminal
