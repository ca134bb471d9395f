// Host tests for the terminal under bad and awkward input: malformed and unsupported escapes,
// sequences split across writes at every byte, and 100 000 random bytes per seed.
#include <random>
#include <string>
#include <string_view>

#include "tests/host/vga/terminal_fixture.h"

namespace bm::vga {
namespace {

struct MalformedCase {
  const char* what;
  std::string bytes;
  int column_offset;  // where "ok" lands, relative to the start column
};

// Each case is written at (4, 9) followed by "ok": only "ok" may appear, and only there.
const MalformedCase kMalformedCases[] = {
    {"ESC with an unknown final byte", "\x1bx", 0},
    {"ESC Z (DECID, unsupported)", "\x1bZ", 0},
    {"ESC c (RIS, unsupported)", "\x1b" "c", 0},
    {"CSI with an unsupported final byte", "\x1b[12Z", 0},
    {"CSI insert characters", "\x1b[2@", 0},
    {"CSI delete characters", "\x1b[3P", 0},
    {"CSI erase characters", "\x1b[5X", 0},
    {"CSI insert lines", "\x1b[2L", 0},
    {"CSI scroll up", "\x1b[3S", 0},
    {"CSI device status report (must not answer)", "\x1b[6n", 0},
    {"CSI device attributes", "\x1b[0c", 0},
    {"CSI scrolling region", "\x1b[1;24r", 0},
    {"CSI set mode", "\x1b[4h", 0},
    {"CSI cursor horizontal absolute", "\x1b[30G", 0},
    {"CSI erase display, unknown mode", "\x1b[7J", 0},
    {"CSI erase line, unknown mode", "\x1b[5K", 0},
    {"nine parameters", "\x1b[1;2;3;4;5;6;7;8;9H", 0},
    {"nine zero parameters", "\x1b[0;0;0;0;0;0;0;0;0H", 0},
    {"many empty parameters", "\x1b[;;;;;;;;;;;;;;;;;;;;2C", 0},
    {"nine SGR parameters", "\x1b[1;7;31;44;1;7;31;44;1m", 0},
    {"parameter of 65536", "\x1b[65536C", 0},
    {"second parameter overflowing", "\x1b[2;70000H", 0},
    {"SGR parameter overflowing", "\x1b[31;65536m", 0},
    {"huge parameter", "\x1b[99999999999999999999999999999999999999999m", 0},
    {"DEC private mode hide cursor", "\x1b[?25l", 0},
    {"DEC private mode show cursor", "\x1b[?25h", 0},
    {"alternate screen", "\x1b[?1049h", 0},
    {"private marker after digits", "\x1b[1?2C", 0},
    {"secondary device attributes", "\x1b[>c", 0},
    {"CSI with an intermediate byte", "\x1b[ q", 0},
    {"CSI with intermediate and parameters", "\x1b[1$p", 0},
    {"colon sub-parameters", "\x1b[1:2m", 0},
    {"colon RGB colour", "\x1b[38:2:255:0:0m", 0},
    {"charset designation G0", "\x1b(B", 0},
    {"charset designation G1", "\x1b)0", 0},
    {"screen alignment test", "\x1b#8", 0},
    {"OSC title ended by BEL", "\x1b]0;window title\x07", 0},
    {"OSC title ended by ST", "\x1b]2;title [1;1H\x1b\\", 0},
    {"DCS string", "\x1bP+q544e\x1b\\", 0},
    {"APC string", "\x1b_payload\x1b\\", 0},
    {"CSI cancelled by CAN", "\x1b[12\x18", 0},
    {"CSI cancelled by SUB", "\x1b[5;5\x1a", 0},
    {"ESC cancelled by CAN", "\x1b\x18", 0},
    {"OSC cancelled by CAN", "\x1b]0;abc\x18", 0},
    {"CSI broken by a high byte", "\x1b[3\x80", 0},
    {"CSI broken by UTF-8", "\x1b[1;\xc3\xa4", 1},  // the second UTF-8 byte prints
    {"ESC followed by a high byte", "\x1b\xff", 0},
    {"ESC ESC restarts", "\x1b\x1b[C", 1},
    {"CSI restarted by ESC", "\x1b[20\x1b[C", 1},
    {"a hundred nines", "\x1b[" + std::string(100, '9') + "A", 0},
    {"a hundred zeros then a count", "\x1b[" + std::string(100, '0') + "1C", 1},
};

class MalformedEscapeTest : public TerminalTest,
                            public testing::WithParamInterface<MalformedCase> {};

TEST_P(MalformedEscapeTest, IsIgnoredAndLaterOutputWorks) {
  const MalformedCase& test_case = GetParam();
  ASSERT_TRUE(terminal.move_cursor(4, 9).ok());
  write(test_case.bytes + "ok");
  const int column = 9 + test_case.column_offset;
  std::string expected_row = std::string(column, ' ') + "ok";
  if (test_case.column_offset == 1 && test_case.bytes.back() == '\xa4') {
    expected_row = std::string(9, ' ') + static_cast<char>(Terminal::kPlaceholder) + "ok";
  }
  EXPECT_EQ(screen.text(4), expected_row);
  EXPECT_EQ(screen.get(4, column), make_cell('o', kGreyOnBlack));
  EXPECT_EQ(screen.get(4, column + 1), make_cell('k', kGreyOnBlack));
  EXPECT_EQ(screen.changed_cells(), static_cast<int>(expected_row.size()) - column + 2 - 2 +
                                        (expected_row.size() > static_cast<size_t>(column + 2)));
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
    "\x1b]0;title\x07mn\x1b(Bop\x1b[?25lqr\x1b[2;3fst\x1b[1Juv\x1b[65536Cwx\x1b"
    "7\x1b[H\x1b"
    "8yz\x1b[7mAB\x1b[27m\tC\bD\r\nE\x1b[38;5;12mF\x1b[99;99HG\x1b[20;1H\x1b[2K\x1b[J"
    "\xc3\xa4\x1b[1;2;3;4;5;6;7;8;9m\x1b]2;t\x1b\\H\x1b[12\x18I\x1b[B\x1b[D\x1b[0;0H";

struct Outcome {
  FakeScreen screen;
  int row, column;
  uint8_t attribute;
};

void expect_same(const FakeScreen& expected_screen, const Terminal& expected,
                 const FakeScreen& actual_screen, const Terminal& actual) {
  EXPECT_TRUE(expected_screen.same_cells(actual_screen))
      << "expected:\n" << expected_screen.dump() << "actual:\n" << actual_screen.dump();
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
  EXPECT_GT(screen.changed_cells(), 20);
  EXPECT_EQ(screen.text(4), std::string(9, ' ') + "ghkl");
  EXPECT_EQ(screen.attribute(0, 2), kRed);
  expect_cursor(0, 0);
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

// Random bytes biased towards the ones that build sequences.
char random_byte(std::mt19937& random) {
  static const std::string kFinals = "ABCDHfJKsumGhlrqn@PXc78";
  int pick = static_cast<int>(random() % 100);
  if (pick < 10) return '\x1b';
  if (pick < 20) return '[';
  if (pick < 42) return static_cast<char>('0' + random() % 10);
  if (pick < 50) return ';';
  if (pick < 64) return kFinals[random() % kFinals.size()];
  if (pick < 72) return "\n\r\t\b\x07\x18\x1a?"[random() % 8];
  if (pick < 74) return "]P\\:"[random() % 4];
  return static_cast<char>(random() % 256);
}

class RandomInputTest : public TerminalTest, public testing::WithParamInterface<uint32_t> {};

TEST_P(RandomInputTest, NeverLeavesTheScreenAndRecovers) {
  std::mt19937 random(GetParam());
  constexpr size_t kBytes = 100'000;
  size_t written = 0;
  int escapes_acted_on = 0;
  while (written < kBytes) {
    std::string chunk(1 + random() % 64, '\0');
    for (char& byte : chunk) byte = random_byte(random);
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
    escapes_acted_on += terminal.attribute() != kGreyOnBlack;
  }
  EXPECT_EQ(screen.blinking_cells, 0);
  EXPECT_GT(screen.scrolls, 0);
  EXPECT_GT(escapes_acted_on, 0);  // the input really did reach the SGR code

  // CAN ends whatever sequence the noise left open; then everything works as usual.
  write("\x18\x1b[0m\x1b[2J\x1b[Hok\x1b[25;79Hend");
  EXPECT_EQ(screen.text(0), "ok");
  EXPECT_EQ(screen.get(0, 0), make_cell('o', kGreyOnBlack));
  EXPECT_EQ(screen.text(24), std::string(78, ' ') + "en");
  EXPECT_EQ(screen.text(23), "");  // the "d" wrapped and scrolled
  EXPECT_EQ(screen.text(24).size(), 80u);
  EXPECT_EQ(screen.changed_cells(), 4);
  EXPECT_EQ(screen.out_of_range, 0);
}

INSTANTIATE_TEST_SUITE_P(Terminal, RandomInputTest, testing::Values(1u, 2u, 3u, 0xC0FFEEu));

}  // namespace
}  // namespace bm::vga
