// Host tests for key_event_for: editing keys, every printable ASCII character through the US
// layout, control characters, and characters no US key types.
#include "servers/serial/key_mapping.h"

#include <gtest/gtest.h>

namespace bm::serial {
namespace {

using ipc::keyboard::KeyCode;
using ipc::keyboard::KeyEvent;
using ipc::keyboard::kModCtrl;
using ipc::keyboard::kModShift;

InputEvent character(uint32_t c) { return InputEvent{InputEvent::kChar, c, Key::kNone}; }

KeyEvent from_bytes(const char* bytes) {
  LineDiscipline discipline;
  InputEvent input;
  for (const char* p = bytes; *p != '\0'; ++p) {
    if (discipline.feed(static_cast<uint8_t>(*p), &input)) return key_event_for(input);
  }
  ADD_FAILURE() << "no event from " << bytes;
  return {};
}

TEST(KeyMapping, EditingKeysKeepTheCharacterTheDisciplineGave) {
  struct Case {
    const char* bytes;
    KeyCode key;
    uint32_t character;
  };
  for (const Case& c : {Case{"\r", KeyCode::kEnter, '\n'}, Case{"\x7f", KeyCode::kBackspace, '\b'},
                        Case{"\t", KeyCode::kTab, '\t'}, Case{"\x1b[A", KeyCode::kUp, 0},
                        Case{"\x1b[B", KeyCode::kDown, 0}, Case{"\x1b[C", KeyCode::kRight, 0},
                        Case{"\x1b[D", KeyCode::kLeft, 0}, Case{"\x1b[H", KeyCode::kHome, 0},
                        Case{"\x1bOF", KeyCode::kEnd, 0}, Case{"\x1b[3~", KeyCode::kDelete, 0}}) {
    KeyEvent event = from_bytes(c.bytes);
    EXPECT_EQ(event.key, c.key) << ipc::keyboard::key_name(event.key);
    EXPECT_EQ(event.character, c.character);
    EXPECT_EQ(event.modifiers, 0);
    EXPECT_TRUE(event.pressed);
  }
}

TEST(KeyMapping, LettersAreTheirKeyAndUpperCaseAddsShift) {
  for (char c = 'a'; c <= 'z'; ++c) {
    KeyEvent lower = key_event_for(character(c));
    KeyEvent upper = key_event_for(character(c - 'a' + 'A'));
    auto expected = static_cast<KeyCode>(static_cast<int>(KeyCode::kA) + (c - 'a'));
    EXPECT_EQ(lower.key, expected);
    EXPECT_EQ(lower.modifiers, 0);
    EXPECT_EQ(lower.character, static_cast<uint32_t>(c));
    EXPECT_EQ(upper.key, expected);
    EXPECT_EQ(upper.modifiers, kModShift);
    EXPECT_EQ(upper.character, static_cast<uint32_t>(c - 'a' + 'A'));
    EXPECT_TRUE(upper.pressed);
  }
}

TEST(KeyMapping, DigitsAndPunctuationFollowTheUsLegends) {
  struct Case {
    char c;
    KeyCode key;
    uint8_t modifiers;
  };
  for (const Case& c :
       {Case{'1', KeyCode::kDigit1, 0}, Case{'!', KeyCode::kDigit1, kModShift},
        Case{'0', KeyCode::kDigit0, 0}, Case{')', KeyCode::kDigit0, kModShift},
        Case{'@', KeyCode::kDigit2, kModShift}, Case{' ', KeyCode::kSpace, 0},
        Case{'-', KeyCode::kMinus, 0}, Case{'_', KeyCode::kMinus, kModShift},
        Case{'+', KeyCode::kEqual, kModShift}, Case{'{', KeyCode::kLeftBracket, kModShift},
        Case{'|', KeyCode::kBackslash, kModShift}, Case{':', KeyCode::kSemicolon, kModShift},
        Case{'"', KeyCode::kApostrophe, kModShift}, Case{'~', KeyCode::kGrave, kModShift},
        Case{'<', KeyCode::kComma, kModShift}, Case{'.', KeyCode::kPeriod, 0},
        Case{'?', KeyCode::kSlash, kModShift}}) {
    KeyEvent event = key_event_for(character(static_cast<uint8_t>(c.c)));
    EXPECT_EQ(event.key, c.key) << c.c;
    EXPECT_EQ(event.modifiers, c.modifiers) << c.c;
    EXPECT_EQ(event.character, static_cast<uint32_t>(c.c));
  }
}

TEST(KeyMapping, EveryPrintableAsciiCharacterHasAUsKey) {
  for (uint32_t c = 0x20; c < 0x7f; ++c) {
    KeyEvent event = key_event_for(character(c));
    EXPECT_NE(event.key, KeyCode::kUnidentified) << static_cast<char>(c);
    EXPECT_TRUE(ipc::keyboard::valid_event(event)) << static_cast<char>(c);
  }
}

TEST(KeyMapping, ControlCharactersAreCtrlPlusTheirKey) {
  KeyEvent ctrl_c = from_bytes("\x03");
  EXPECT_EQ(ctrl_c.key, KeyCode::kC);
  EXPECT_EQ(ctrl_c.modifiers, kModCtrl);
  EXPECT_EQ(ctrl_c.character, 3u);
  KeyEvent ctrl_a = key_event_for(character(1));
  EXPECT_EQ(ctrl_a.key, KeyCode::kA);
  KeyEvent ctrl_z = key_event_for(character(26));
  EXPECT_EQ(ctrl_z.key, KeyCode::kZ);
  EXPECT_EQ(key_event_for(character(0x1c)).key, KeyCode::kBackslash);
  EXPECT_EQ(key_event_for(character(0x1d)).key, KeyCode::kRightBracket);
  EXPECT_EQ(key_event_for(character(0x1e)).modifiers, kModCtrl | kModShift);
  EXPECT_EQ(key_event_for(character(0x1f)).key, KeyCode::kMinus);
  EXPECT_EQ(key_event_for(character(0x1b)).key, KeyCode::kEscape);
}

TEST(KeyMapping, CharactersWithoutAUsKeyAreUnidentified) {
  KeyEvent e_acute = from_bytes("\xc3\xa9");
  EXPECT_EQ(e_acute.key, KeyCode::kUnidentified);
  EXPECT_EQ(e_acute.character, 0xe9u);
  EXPECT_EQ(e_acute.modifiers, 0);
  EXPECT_TRUE(e_acute.pressed);
  EXPECT_TRUE(ipc::keyboard::valid_event(e_acute));
  for (uint32_t c : {0u, 0x80u, 0x20acu, 0x1f600u, kReplacementCharacter}) {
    KeyEvent event = key_event_for(character(c));
    EXPECT_EQ(event.key, KeyCode::kUnidentified) << c;
    EXPECT_EQ(event.character, c);
    EXPECT_TRUE(ipc::keyboard::valid_event(event)) << c;
  }
  // Not a scalar value: never produced by the discipline, but still a valid event.
  KeyEvent surrogate = key_event_for(character(0xd800));
  EXPECT_EQ(surrogate.character, kReplacementCharacter);
  EXPECT_TRUE(ipc::keyboard::valid_event(surrogate));
}

}  // namespace
}  // namespace bm::serial
