// Host tests for the escape-sequence parser on its own: which event each byte completes, the
// parameters of a CSI, and the limits that make a sequence malformed.
#include "servers/terminal/ansi_parser.h"

#include <gtest/gtest.h>

#include <string_view>
#include <vector>

namespace bm::terminal {
namespace {

// Feeds all bytes and returns the events that were not kNone.
std::vector<AnsiEvent> feed_all(AnsiParser& parser, std::string_view bytes) {
  std::vector<AnsiEvent> events;
  for (char byte : bytes) {
    AnsiEvent event = parser.feed(static_cast<uint8_t>(byte));
    if (event != AnsiEvent::kNone) events.push_back(event);
  }
  return events;
}

// Feeds all bytes but the last, which must be the only one to complete a CSI.
void expect_csi(AnsiParser& parser, std::string_view bytes) {
  for (size_t i = 0; i + 1 < bytes.size(); ++i) {
    ASSERT_EQ(parser.feed(static_cast<uint8_t>(bytes[i])), AnsiEvent::kNone) << "byte " << i;
  }
  ASSERT_EQ(parser.feed(static_cast<uint8_t>(bytes.back())), AnsiEvent::kCsi);
  EXPECT_EQ(parser.byte(), static_cast<uint8_t>(bytes.back()));
}

TEST(AnsiParser, PrintableAndHighBytesArePrint) {
  AnsiParser parser;
  for (int byte = 0x20; byte <= 0xFF; ++byte) {
    if (byte == 0x7F) continue;
    EXPECT_EQ(parser.feed(static_cast<uint8_t>(byte)), AnsiEvent::kPrint) << byte;
    EXPECT_EQ(parser.byte(), byte);
  }
}

TEST(AnsiParser, ControlBytesAreControl) {
  AnsiParser parser;
  for (int byte = 0; byte < 0x20; ++byte) {
    if (byte == 0x1B) continue;
    EXPECT_EQ(parser.feed(static_cast<uint8_t>(byte)), AnsiEvent::kControl) << byte;
  }
  EXPECT_EQ(parser.feed(0x7F), AnsiEvent::kControl);
}

TEST(AnsiParser, CsiWithoutParametersHasNone) {
  AnsiParser parser;
  expect_csi(parser, "\x1b[H");
  EXPECT_EQ(parser.parameter_count(), 0);
  EXPECT_EQ(parser.parameter(0), 0);
}

TEST(AnsiParser, CsiParametersAreReadInOrder) {
  AnsiParser parser;
  expect_csi(parser, "\x1b[12;345;6m");
  ASSERT_EQ(parser.parameter_count(), 3);
  EXPECT_EQ(parser.parameter(0), 12);
  EXPECT_EQ(parser.parameter(1), 345);
  EXPECT_EQ(parser.parameter(2), 6);
  EXPECT_EQ(parser.parameter(3), 0);
  EXPECT_EQ(parser.parameter(-1), 0);
}

TEST(AnsiParser, OmittedParametersReadAsZero) {
  AnsiParser parser;
  expect_csi(parser, "\x1b[;5H");
  ASSERT_EQ(parser.parameter_count(), 2);
  EXPECT_EQ(parser.parameter(0), 0);
  EXPECT_EQ(parser.parameter(1), 5);
  expect_csi(parser, "\x1b[7;H");
  ASSERT_EQ(parser.parameter_count(), 2);
  EXPECT_EQ(parser.parameter(0), 7);
  EXPECT_EQ(parser.parameter(1), 0);
}

TEST(AnsiParser, ParametersDoNotLeakIntoTheNextSequence) {
  AnsiParser parser;
  expect_csi(parser, "\x1b[1;2;3m");
  expect_csi(parser, "\x1b[9A");
  ASSERT_EQ(parser.parameter_count(), 1);
  EXPECT_EQ(parser.parameter(0), 9);
  EXPECT_EQ(parser.parameter(1), 0);
}

TEST(AnsiParser, EightParametersAreAcceptedNineAreNot) {
  AnsiParser parser;
  expect_csi(parser, "\x1b[1;2;3;4;5;6;7;8m");
  EXPECT_EQ(parser.parameter_count(), AnsiParser::kMaxParameters);
  EXPECT_EQ(parser.parameter(7), 8);
  EXPECT_TRUE(feed_all(parser, "\x1b[1;2;3;4;5;6;7;8;9m").empty());
  EXPECT_TRUE(feed_all(parser, "\x1b[;;;;;;;;m").empty());
}

TEST(AnsiParser, ParameterLimitIsSixteenBits) {
  AnsiParser parser;
  expect_csi(parser, "\x1b[65535A");
  EXPECT_EQ(parser.parameter(0), 65535);
  expect_csi(parser, "\x1b[00000000000000000000042A");
  EXPECT_EQ(parser.parameter(0), 42);
  EXPECT_TRUE(feed_all(parser, "\x1b[65536A").empty());
  EXPECT_TRUE(feed_all(parser, "\x1b[1;99999999999999999999999999;1H").empty());
  // The parser is usable again right after.
  expect_csi(parser, "\x1b[3B");
  EXPECT_EQ(parser.parameter(0), 3);
}

TEST(AnsiParser, EscapeWithFinalByteIsEscape) {
  AnsiParser parser;
  EXPECT_EQ(parser.feed(0x1B), AnsiEvent::kNone);
  EXPECT_EQ(parser.feed('7'), AnsiEvent::kEscape);
  EXPECT_EQ(parser.byte(), '7');
  EXPECT_EQ(parser.feed('7'), AnsiEvent::kPrint);  // back to text
}

TEST(AnsiParser, UnsupportedSequencesAreSwallowedWhole) {
  AnsiParser parser;
  for (std::string_view sequence :
       {"\x1b(B", "\x1b#8", "\x1b[?25l", "\x1b[>0c", "\x1b[ q", "\x1b[38:5:1m", "\x1b[1$p",
        "\x1b]0;title\x07", "\x1b]2;title\x1b\\", "\x1bP1$r\x1b\\", "\x1b_apc\x1b\\"}) {
    EXPECT_TRUE(feed_all(parser, sequence).empty()) << testing::PrintToString(sequence);
    EXPECT_EQ(parser.feed('x'), AnsiEvent::kPrint) << testing::PrintToString(sequence);
  }
}

TEST(AnsiParser, ControlsInsideASequenceActWithoutEndingIt) {
  AnsiParser parser;
  EXPECT_EQ(parser.feed(0x1B), AnsiEvent::kNone);
  EXPECT_EQ(parser.feed('['), AnsiEvent::kNone);
  EXPECT_EQ(parser.feed('1'), AnsiEvent::kNone);
  EXPECT_EQ(parser.feed('\r'), AnsiEvent::kControl);
  EXPECT_EQ(parser.feed('2'), AnsiEvent::kNone);
  EXPECT_EQ(parser.feed('C'), AnsiEvent::kCsi);
  EXPECT_EQ(parser.parameter(0), 12);
}

TEST(AnsiParser, CancelAndSubstituteAbortASequence) {
  AnsiParser parser;
  EXPECT_TRUE(feed_all(parser, "\x1b[12\x18").empty());
  EXPECT_EQ(parser.feed('C'), AnsiEvent::kPrint);
  EXPECT_TRUE(feed_all(parser, "\x1b\x1a").empty());
  EXPECT_EQ(parser.feed('['), AnsiEvent::kPrint);
}

TEST(AnsiParser, EscapeRestartsASequence) {
  AnsiParser parser;
  expect_csi(parser, "\x1b[12\x1b[3D");
  ASSERT_EQ(parser.parameter_count(), 1);
  EXPECT_EQ(parser.parameter(0), 3);
}

TEST(AnsiParser, HighByteInsideASequenceDropsIt) {
  AnsiParser parser;
  EXPECT_TRUE(feed_all(parser, "\x1b[3\xc3").empty());
  EXPECT_EQ(parser.feed('D'), AnsiEvent::kPrint);
  EXPECT_TRUE(feed_all(parser, "\x1b\x9b").empty());
  EXPECT_EQ(parser.feed('D'), AnsiEvent::kPrint);
}

TEST(AnsiParser, DeleteInsideASequenceIsIgnored) {
  AnsiParser parser;
  expect_csi(parser, "\x1b[4\1772C");
  EXPECT_EQ(parser.parameter(0), 42);
}

TEST(AnsiParser, EscapeInsideAControlStringStartsANewSequence) {
  AnsiParser parser;
  expect_csi(parser, "\x1b]0;unterminated\x1b[5A");
  EXPECT_EQ(parser.parameter(0), 5);
}

TEST(AnsiParser, ResetDropsAHalfReadSequence) {
  AnsiParser parser;
  EXPECT_TRUE(feed_all(parser, "\x1b[1").empty());
  parser.reset();
  EXPECT_EQ(parser.feed('A'), AnsiEvent::kPrint);
}

}  // namespace
}  // namespace bm::terminal
