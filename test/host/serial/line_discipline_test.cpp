// Host tests for the console line discipline: CR/LF both ways, BS/DEL, escape sequences
// (whole and split across calls), malformed sequences, and UTF-8.
#include "servers/serial/line_discipline.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

namespace bm::serial {
namespace {

// Events rendered as text so expectations read naturally: keys as <Name>, characters as
// themselves (or U+XXXX above ASCII).
std::string describe(const InputEvent& event) {
  if (event.kind == InputEvent::kKey) {
    switch (event.key) {
      case Key::kUp:
        return "<Up>";
      case Key::kDown:
        return "<Down>";
      case Key::kLeft:
        return "<Left>";
      case Key::kRight:
        return "<Right>";
      case Key::kHome:
        return "<Home>";
      case Key::kEnd:
        return "<End>";
      case Key::kDelete:
        return "<Delete>";
      case Key::kBackspace:
        return "<Backspace>";
      case Key::kEnter:
        return "<Enter>";
      case Key::kTab:
        return "<Tab>";
      case Key::kNone:
        return "<None>";
    }
    return "<?>";
  }
  if (event.character < 0x80) return std::string(1, static_cast<char>(event.character));
  char buffer[16];
  snprintf(buffer, sizeof(buffer), "U+%04X", event.character);
  return buffer;
}

std::string feed(LineDiscipline& discipline, const std::string& bytes) {
  std::string out;
  for (char c : bytes) {
    InputEvent event;
    if (discipline.feed(static_cast<uint8_t>(c), &event)) out += describe(event);
  }
  return out;
}

std::string decode(const std::string& bytes) {
  LineDiscipline discipline;
  return feed(discipline, bytes);
}

std::string output(const std::string& text) {
  std::vector<uint8_t> out(text.size() * 2);
  size_t consumed = 0;
  size_t written = LineDiscipline::translate_output(reinterpret_cast<const uint8_t*>(text.data()),
                                                    text.size(), out.data(), out.size(), &consumed);
  EXPECT_EQ(consumed, text.size());
  return std::string(out.begin(), out.begin() + written);
}

TEST(LineDiscipline, OutputExpandsEveryNewline) {
  EXPECT_EQ(output("a\nb\n"), "a\r\nb\r\n");
  EXPECT_EQ(output("\n\n"), "\r\n\r\n");
  EXPECT_EQ(output("no newline"), "no newline");
  EXPECT_EQ(output("x\r\n"), "x\r\r\n");  // an existing CR is left alone
}

TEST(LineDiscipline, OutputStopsBeforeSplittingACrLf) {
  const uint8_t in[] = {'a', '\n', 'b'};
  uint8_t out[4] = {};
  size_t consumed = 99;
  EXPECT_EQ(LineDiscipline::translate_output(in, 3, out, 2, &consumed), 1u);
  EXPECT_EQ(consumed, 1u);  // the "\n" needs two bytes and only one was left
  EXPECT_EQ(out[0], 'a');
  EXPECT_EQ(LineDiscipline::translate_output(in + 1, 2, out, 4, &consumed), 3u);
  EXPECT_EQ(consumed, 2u);
  EXPECT_EQ(std::string(out, out + 3), "\r\nb");
  EXPECT_EQ(LineDiscipline::translate_output(in, 3, nullptr, 4, &consumed), 0u);
  EXPECT_EQ(consumed, 0u);
}

TEST(LineDiscipline, CarriageReturnAndLineFeedBecomeOneEnter) {
  EXPECT_EQ(decode("ls\r"), "ls<Enter>");
  EXPECT_EQ(decode("ls\n"), "ls<Enter>");
  EXPECT_EQ(decode("ls\r\n"), "ls<Enter>");
  EXPECT_EQ(decode("\r\r"), "<Enter><Enter>");
  EXPECT_EQ(decode("\n\n"), "<Enter><Enter>");
  EXPECT_EQ(decode("\r\n\r\n"), "<Enter><Enter>");
  EXPECT_EQ(decode("\rx\n"), "<Enter>x<Enter>");  // LF after other input is its own Enter
}

TEST(LineDiscipline, CrLfSplitAcrossCallsIsStillOneEnter) {
  LineDiscipline discipline;
  EXPECT_EQ(feed(discipline, "a\r"), "a<Enter>");
  EXPECT_EQ(feed(discipline, "\nb"), "b");
}

TEST(LineDiscipline, EnterCarriesANewlineCharacter) {
  LineDiscipline discipline;
  InputEvent event;
  ASSERT_TRUE(discipline.feed('\r', &event));
  EXPECT_EQ(event.kind, InputEvent::kKey);
  EXPECT_EQ(event.key, Key::kEnter);
  EXPECT_EQ(event.character, static_cast<uint32_t>('\n'));
}

TEST(LineDiscipline, DeleteAndBackspaceBytesAreTheBackspaceKey) {
  EXPECT_EQ(decode("ab\x7f"), "ab<Backspace>");
  EXPECT_EQ(decode("ab\b"), "ab<Backspace>");
  EXPECT_EQ(decode("\t"), "<Tab>");
}

TEST(LineDiscipline, OtherControlCharactersPassThrough) {
  LineDiscipline discipline;
  InputEvent event;
  ASSERT_TRUE(discipline.feed(0x03, &event));  // Ctrl-C
  EXPECT_EQ(event.kind, InputEvent::kChar);
  EXPECT_EQ(event.character, 3u);
}

TEST(LineDiscipline, CursorKeySequences) {
  EXPECT_EQ(decode("\x1b[A\x1b[B\x1b[C\x1b[D"), "<Up><Down><Right><Left>");
  EXPECT_EQ(decode("\x1b[H\x1b[F"), "<Home><End>");
  EXPECT_EQ(decode("\x1b[3~"), "<Delete>");
  EXPECT_EQ(decode("\x1b[1~\x1b[7~\x1b[4~\x1b[8~"), "<Home><Home><End><End>");
  EXPECT_EQ(decode("\x1bOA\x1bOB\x1bOC\x1bOD\x1bOH\x1bOF"), "<Up><Down><Right><Left><Home><End>");
}

TEST(LineDiscipline, ModifierParametersAreIgnored) {
  EXPECT_EQ(decode("\x1b[1;5A"), "<Up>");
  EXPECT_EQ(decode("\x1b[3;2~"), "<Delete>");
}

TEST(LineDiscipline, SequencesSplitAcrossCallsAnywhere) {
  const std::string sequence = "x\x1b[3~y";
  for (size_t split = 0; split <= sequence.size(); ++split) {
    LineDiscipline discipline;
    std::string got = feed(discipline, sequence.substr(0, split));
    got += feed(discipline, sequence.substr(split));
    EXPECT_EQ(got, "x<Delete>y") << "split at " << split;
  }
  LineDiscipline discipline;
  EXPECT_EQ(feed(discipline, "\x1b"), "");
  EXPECT_EQ(feed(discipline, "["), "");
  EXPECT_EQ(feed(discipline, "A"), "<Up>");
}

TEST(LineDiscipline, UnknownSequencesProduceNothingAndKeepTheText) {
  EXPECT_EQ(decode("\x1b[5~x"), "x");  // Page Up: no key to map it to
  EXPECT_EQ(decode("\x1b[Zx"), "x");   // back-tab
  EXPECT_EQ(decode("\x1bOPx"), "x");   // F1
  EXPECT_EQ(decode("\x1b[99999999~x"), "x");
}

TEST(LineDiscipline, EscapeFollowedByOrdinaryTextDropsTheEscape) {
  EXPECT_EQ(decode("\x1bx"), "x");
  EXPECT_EQ(decode("\x1b\x1b[A"), "<Up>");
}

TEST(LineDiscipline, AControlByteAbandonsASequence) {
  EXPECT_EQ(decode("\x1b[1\r"), "<Enter>");
  EXPECT_EQ(decode("\x1b[\x1b[B"), "<Down>");
  EXPECT_EQ(decode("\x1bO\r"), "<Enter>");
}

TEST(LineDiscipline, AnOverlongSequenceIsAbandoned) {
  std::string endless = "\x1b[" + std::string(40, ';') + "A";
  std::string got = decode(endless);
  EXPECT_EQ(got.find("<Up>"), std::string::npos);
  // What follows the abandoned part is ordinary input again.
  EXPECT_EQ(got.back(), 'A');
}

TEST(LineDiscipline, Utf8BecomesCodePoints) {
  EXPECT_EQ(decode("\xc3\xa4"), "U+00E4");           // ä
  EXPECT_EQ(decode("\xe2\x82\xac"), "U+20AC");       // €
  EXPECT_EQ(decode("\xf0\x9f\x98\x80"), "U+1F600");  // 4-byte form
  LineDiscipline discipline;
  EXPECT_EQ(feed(discipline, "\xc3"), "");        // split across calls
  EXPECT_EQ(feed(discipline, "\x9f"), "U+00DF");  // ß
}

TEST(LineDiscipline, MalformedUtf8IsReplacedOrDropped) {
  EXPECT_EQ(decode("\x80"), "U+FFFD");              // stray continuation byte
  EXPECT_EQ(decode("\xc0\xaf"), "U+FFFDU+FFFD");    // C0 is never a valid lead
  EXPECT_EQ(decode("\xe0\x80\xaf"), "U+FFFD");      // overlong three-byte form
  EXPECT_EQ(decode("\xed\xa0\x80"), "U+FFFD");      // UTF-16 surrogate
  EXPECT_EQ(decode("\xf4\x90\x80\x80"), "U+FFFD");  // above U+10FFFF
  EXPECT_EQ(decode("\xc3"
                   "a"),
            "a");  // cut short: the new byte still counts
  EXPECT_EQ(decode("\xe2\x82\r"), "<Enter>");
}

TEST(LineDiscipline, DecodeStopsWhenTheEventArrayIsFull) {
  LineDiscipline discipline;
  const uint8_t bytes[] = {'a', 0x1b, '[', 'A', 'b'};
  InputEvent events[2];
  size_t consumed = 0;
  EXPECT_EQ(discipline.decode(bytes, sizeof(bytes), events, 2, &consumed), 2u);
  EXPECT_EQ(consumed, 4u);  // 'a' and the complete ESC [ A
  EXPECT_EQ(describe(events[0]), "a");
  EXPECT_EQ(describe(events[1]), "<Up>");
  EXPECT_EQ(discipline.decode(bytes + consumed, 1, events, 2, &consumed), 1u);
  EXPECT_EQ(describe(events[0]), "b");
  EXPECT_EQ(discipline.decode(nullptr, 3, events, 2, &consumed), 0u);
  EXPECT_EQ(consumed, 0u);
}

TEST(LineDiscipline, ResetForgetsAPartialSequence) {
  LineDiscipline discipline;
  EXPECT_EQ(feed(discipline, "\x1b["), "");
  discipline.reset();
  EXPECT_EQ(feed(discipline, "A"), "A");
  EXPECT_FALSE(discipline.feed('x', nullptr));
}

}  // namespace
}  // namespace bm::serial
