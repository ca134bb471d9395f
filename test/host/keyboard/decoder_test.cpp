// Host tests for the scan code set 1 decoder: modifiers, locks and LEDs, the keypad, E0 and
// E1 sequences, breaks, typematic repeat, and bytes that are not keys.
#include "servers/keyboard/decoder.h"

#include <gtest/gtest.h>

#include <vector>

#include "test/host/keyboard/feed.h"

namespace bm::keyboard {
namespace {

using test::feed;
using test::feed_one;

TEST(KeyboardDecoder, ShiftKeysCombine) {
  Decoder decoder(layout_us());
  EXPECT_EQ(feed_one(decoder, {0x2A}).key, Key::kLeftShift);
  EXPECT_EQ(decoder.modifiers(), kShift);
  KeyEvent right = feed_one(decoder, {0x36});
  EXPECT_EQ(right.key, Key::kRightShift);
  EXPECT_EQ(right.character, 0u);
  KeyEvent left_up = feed_one(decoder, {0xAA});
  EXPECT_FALSE(left_up.pressed);
  EXPECT_EQ(left_up.modifiers, kShift);  // right Shift still down
  EXPECT_EQ(feed_one(decoder, {0x1E}).character, 'A');
  KeyEvent right_up = feed_one(decoder, {0xB6});
  EXPECT_EQ(right_up.key, Key::kRightShift);
  EXPECT_EQ(right_up.modifiers, 0);
  EXPECT_EQ(feed_one(decoder, {0x1E}).character, 'a');
}

TEST(KeyboardDecoder, LeftAndRightCtrlViaE0) {
  Decoder decoder(layout_us());
  KeyEvent left = feed_one(decoder, {0x1D});
  EXPECT_EQ(left.key, Key::kLeftCtrl);
  EXPECT_EQ(left.modifiers, kCtrl);
  KeyEvent right = feed_one(decoder, {0xE0, 0x1D});
  EXPECT_EQ(right.key, Key::kRightCtrl);
  EXPECT_EQ(feed_one(decoder, {0x9D}).modifiers, kCtrl);  // left up, right still down
  KeyEvent c = feed_one(decoder, {0x2E});
  EXPECT_EQ(c.character, 3u);  // Ctrl+C
  EXPECT_EQ(c.modifiers, kCtrl);
  KeyEvent right_up = feed_one(decoder, {0xE0, 0x9D});
  EXPECT_EQ(right_up.key, Key::kRightCtrl);
  EXPECT_FALSE(right_up.pressed);
  EXPECT_EQ(decoder.modifiers(), 0);
  EXPECT_EQ(feed_one(decoder, {0x2E}).character, 'c');
}

TEST(KeyboardDecoder, LeftAndRightAlt) {
  Decoder decoder(layout_de());
  EXPECT_EQ(feed_one(decoder, {0x38}).modifiers, kAlt);
  KeyEvent altgr = feed_one(decoder, {0xE0, 0x38});
  EXPECT_EQ(altgr.key, Key::kRightAlt);
  EXPECT_EQ(altgr.modifiers, kAlt | kAltGr);
  EXPECT_EQ(feed_one(decoder, {0xB8}).modifiers, kAltGr);
  // The same held key counts as Alt once the layout has no AltGr.
  decoder.set_layout(layout_us());
  EXPECT_EQ(decoder.modifiers(), kAlt);
  EXPECT_EQ(feed_one(decoder, {0xE0, 0xB8}).modifiers, 0);
}

TEST(KeyboardDecoder, CtrlGivesControlCharacters) {
  Decoder us(layout_us());
  feed(us, {0x1D});
  EXPECT_EQ(feed_one(us, {0x1E}).character, 1u);     // Ctrl+A
  EXPECT_EQ(feed_one(us, {0x2C}).character, 26u);    // Ctrl+Z
  EXPECT_EQ(feed_one(us, {0x1A}).character, 0x1Bu);  // Ctrl+[ = ESC
  EXPECT_EQ(feed_one(us, {0x02}).character, '1');    // no control character for digits
  feed(us, {0x2A});
  EXPECT_EQ(feed_one(us, {0x2E}).character, 3u);  // Ctrl+Shift+C too
  Decoder de(layout_de());
  feed(de, {0x1D});
  EXPECT_EQ(feed_one(de, {0x15}).character, 26u);  // the de Z key
}

TEST(KeyboardDecoder, CapsLockAffectsLettersOnly) {
  Decoder decoder(layout_us());
  KeyEvent caps = feed_one(decoder, {0x3A});
  EXPECT_EQ(caps.key, Key::kCapsLock);
  EXPECT_EQ(caps.modifiers, kCapsLock);
  EXPECT_EQ(caps.character, 0u);
  feed(decoder, {0xBA});
  EXPECT_EQ(feed_one(decoder, {0x1E}).character, 'A');
  EXPECT_EQ(feed_one(decoder, {0x02}).character, '1');  // digits ignore Caps Lock
  EXPECT_EQ(feed_one(decoder, {0x1A}).character, '[');
  feed(decoder, {0x2A});
  EXPECT_EQ(feed_one(decoder, {0x1E}).character, 'a');  // Shift+Caps: lower case
  EXPECT_EQ(feed_one(decoder, {0x02}).character, '!');
  feed(decoder, {0xAA, 0x3A, 0xBA});  // Caps Lock off again
  EXPECT_EQ(decoder.modifiers(), 0);
  EXPECT_EQ(feed_one(decoder, {0x1E}).character, 'a');
}

TEST(KeyboardDecoder, DeCapsLockCoversUmlautsButNotEszett) {
  Decoder decoder(layout_de());
  feed(decoder, {0x3A, 0xBA});
  EXPECT_EQ(feed_one(decoder, {0x1A}).character, U'Ü');
  EXPECT_EQ(feed_one(decoder, {0x27}).character, U'Ö');
  EXPECT_EQ(feed_one(decoder, {0x28}).character, U'Ä');
  EXPECT_EQ(feed_one(decoder, {0x0C}).character, U'ß');
  EXPECT_EQ(feed_one(decoder, {0x04}).character, '3');
  feed(decoder, {0x36});
  EXPECT_EQ(feed_one(decoder, {0x1A}).character, U'ü');
}

TEST(KeyboardDecoder, NumLockChoosesDigitsOrNavigation) {
  struct KeypadRow {
    uint8_t make;
    Key digit_key;
    uint32_t digit;
    Key navigation_key;
  };
  // clang-format off
  const KeypadRow rows[] = {
      {0x47, Key::kKeypad7, '7', Key::kHome},   {0x48, Key::kKeypad8, '8', Key::kUp},
      {0x49, Key::kKeypad9, '9', Key::kPageUp}, {0x4B, Key::kKeypad4, '4', Key::kLeft},
      {0x4C, Key::kKeypad5, '5', Key::kKeypad5}, {0x4D, Key::kKeypad6, '6', Key::kRight},
      {0x4F, Key::kKeypad1, '1', Key::kEnd},    {0x50, Key::kKeypad2, '2', Key::kDown},
      {0x51, Key::kKeypad3, '3', Key::kPageDown}, {0x52, Key::kKeypad0, '0', Key::kInsert},
      {0x53, Key::kKeypadPeriod, '.', Key::kDelete},
  };
  // clang-format on
  Decoder decoder(layout_us());
  for (const KeypadRow& row : rows) {  // Num Lock off
    SCOPED_TRACE(testing::Message() << "off, make 0x" << std::hex << int(row.make));
    KeyEvent event = feed_one(decoder, {row.make});
    EXPECT_EQ(event.key, row.navigation_key);
    EXPECT_EQ(event.character, 0u);
    EXPECT_EQ(feed_one(decoder, {static_cast<uint8_t>(row.make | 0x80)}).key, row.navigation_key);
  }
  KeyEvent num = feed_one(decoder, {0x45});
  EXPECT_EQ(num.key, Key::kNumLock);
  EXPECT_EQ(num.modifiers, kNumLock);
  feed(decoder, {0xC5});
  for (const KeypadRow& row : rows) {  // Num Lock on
    SCOPED_TRACE(testing::Message() << "on, make 0x" << std::hex << int(row.make));
    KeyEvent event = feed_one(decoder, {row.make});
    EXPECT_EQ(event.key, row.digit_key);
    EXPECT_EQ(event.character, row.digit);
    EXPECT_EQ(feed_one(decoder, {static_cast<uint8_t>(row.make | 0x80)}).key, row.digit_key);
  }
  // Shift inverts Num Lock, as on a PC.
  feed(decoder, {0x2A});
  KeyEvent shifted = feed_one(decoder, {0x47});
  EXPECT_EQ(shifted.key, Key::kHome);
  EXPECT_EQ(shifted.character, 0u);
  feed(decoder, {0xC7, 0xAA});
  // The operators do not depend on Num Lock.
  feed(decoder, {0x45, 0xC5});
  EXPECT_EQ(decoder.modifiers(), 0);
  EXPECT_EQ(feed_one(decoder, {0x4A}).character, '-');
  EXPECT_EQ(feed_one(decoder, {0x4E}).character, '+');
  EXPECT_EQ(feed_one(decoder, {0x37}).character, '*');
  KeyEvent slash = feed_one(decoder, {0xE0, 0x35});
  EXPECT_EQ(slash.key, Key::kKeypadDivide);
  EXPECT_EQ(slash.character, '/');
  KeyEvent enter = feed_one(decoder, {0xE0, 0x1C});
  EXPECT_EQ(enter.key, Key::kKeypadEnter);
  EXPECT_EQ(enter.character, '\n');
}

TEST(KeyboardDecoder, KeypadReleaseMatchesPressAcrossNumLockChange) {
  Decoder decoder(layout_us());
  decoder.set_leds(kLedNumLock);
  EXPECT_EQ(feed_one(decoder, {0x48}).key, Key::kKeypad8);
  feed(decoder, {0x45, 0xC5});  // Num Lock off while 8 is held
  KeyEvent release = feed_one(decoder, {0xC8});
  EXPECT_EQ(release.key, Key::kKeypad8);
  EXPECT_FALSE(release.pressed);
  EXPECT_EQ(feed_one(decoder, {0x48}).key, Key::kUp);
}

TEST(KeyboardDecoder, ExtendedNavigationKeys) {
  struct ExtendedRow {
    uint8_t make;
    Key key;
  };
  // clang-format off
  const ExtendedRow rows[] = {
      {0x48, Key::kUp},       {0x50, Key::kDown},     {0x4B, Key::kLeft},
      {0x4D, Key::kRight},    {0x47, Key::kHome},     {0x4F, Key::kEnd},
      {0x49, Key::kPageUp},   {0x51, Key::kPageDown}, {0x52, Key::kInsert},
      {0x53, Key::kDelete},   {0x5B, Key::kLeftGui},  {0x5C, Key::kRightGui},
      {0x5D, Key::kMenu},     {0x37, Key::kPrintScreen},
  };
  // clang-format on
  for (uint8_t leds : {uint8_t{0}, kLedNumLock}) {  // E0 keys ignore Num Lock
    Decoder decoder(layout_us());
    decoder.set_leds(leds);
    for (const ExtendedRow& row : rows) {
      SCOPED_TRACE(testing::Message() << "E0 0x" << std::hex << int(row.make));
      KeyEvent press = feed_one(decoder, {0xE0, row.make});
      EXPECT_EQ(press.key, row.key);
      EXPECT_TRUE(press.pressed);
      EXPECT_EQ(press.character, 0u);
      KeyEvent release = feed_one(decoder, {0xE0, static_cast<uint8_t>(row.make | 0x80)});
      EXPECT_EQ(release.key, row.key);
      EXPECT_FALSE(release.pressed);
    }
  }
}

TEST(KeyboardDecoder, FakeShiftsAreIgnored) {
  Decoder decoder(layout_us());
  // Num Lock on: Home is wrapped in a fake Shift press and release.
  std::vector<KeyEvent> events = feed(decoder, {0xE0, 0x2A, 0xE0, 0x47, 0xE0, 0xC7, 0xE0, 0xAA});
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].key, Key::kHome);
  EXPECT_EQ(events[0].modifiers, 0);
  EXPECT_EQ(events[1].key, Key::kHome);
  EXPECT_FALSE(events[1].pressed);
  // Shift held: the keyboard fakes its release around the key; Shift must stay held.
  feed(decoder, {0x2A});
  events = feed(decoder, {0xE0, 0xAA, 0xE0, 0x4B, 0xE0, 0xCB, 0xE0, 0x2A});
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].key, Key::kLeft);
  EXPECT_EQ(events[0].modifiers, kShift);
  feed(decoder, {0x36, 0xE0, 0xB6, 0xE0, 0x36});  // right Shift's fakes as well
  EXPECT_EQ(decoder.modifiers(), kShift);
  feed(decoder, {0xAA, 0xB6});
  EXPECT_EQ(decoder.modifiers(), 0);
  // Print Screen: E0 2A E0 37 is one key.
  events = feed(decoder, {0xE0, 0x2A, 0xE0, 0x37, 0xE0, 0xB7, 0xE0, 0xAA});
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].key, Key::kPrintScreen);
  EXPECT_EQ(decoder.modifiers(), 0);
}

TEST(KeyboardDecoder, PauseIsAPressAndARelease) {
  Decoder decoder(layout_us());
  std::vector<KeyEvent> events = feed(decoder, {0xE1, 0x1D, 0x45, 0xE1, 0x9D, 0xC5});
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].key, Key::kPause);
  EXPECT_TRUE(events[0].pressed);
  EXPECT_EQ(events[1].key, Key::kPause);
  EXPECT_FALSE(events[1].pressed);
  // Neither Ctrl nor Num Lock leaked out of the sequence.
  EXPECT_EQ(decoder.modifiers(), 0);
  EXPECT_FALSE(decoder.leds_changed_and_clear());
  // Ctrl+Pause (Break) arrives as E0 46 E0 C6.
  events = feed(decoder, {0xE0, 0x46, 0xE0, 0xC6});
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].key, Key::kPause);
  EXPECT_FALSE(events[1].pressed);
}

TEST(KeyboardDecoder, BrokenPauseSequenceDecodesTheIntruder) {
  Decoder decoder(layout_us());
  EXPECT_EQ(feed_one(decoder, {0xE1, 0x1E}).character, 'a');
  EXPECT_EQ(feed_one(decoder, {0xE1, 0x1D, 0x1F}).character, 's');
  EXPECT_EQ(feed_one(decoder, {0xE1, 0x9D, 0x20}).character, 'd');
  EXPECT_EQ(feed_one(decoder, {0xE1, 0xE0, 0x48}).key, Key::kUp);
  EXPECT_EQ(decoder.modifiers(), 0);
}

TEST(KeyboardDecoder, BreakCodesReleaseWithoutCharacter) {
  Decoder decoder(layout_us());
  KeyEvent press = feed_one(decoder, {0x1E});
  EXPECT_TRUE(press.pressed);
  EXPECT_EQ(press.character, 'a');
  KeyEvent release = feed_one(decoder, {0x9E});
  EXPECT_EQ(release.key, Key::kA);
  EXPECT_FALSE(release.pressed);
  EXPECT_EQ(release.character, 0u);
  KeyEvent enter_up = feed_one(decoder, {0x9C});
  EXPECT_EQ(enter_up.key, Key::kEnter);
  EXPECT_EQ(enter_up.character, 0u);
}

TEST(KeyboardDecoder, TypematicRepeatRepeatsPresses) {
  Decoder decoder(layout_us());
  std::vector<KeyEvent> events = feed(decoder, {0x2A, 0x23, 0x23, 0x23, 0xA3, 0xAA});
  ASSERT_EQ(events.size(), 6u);
  for (size_t i = 1; i <= 3; ++i) {
    EXPECT_EQ(events[i].key, Key::kH);
    EXPECT_TRUE(events[i].pressed);
    EXPECT_EQ(events[i].character, 'H');
  }
  EXPECT_FALSE(events[4].pressed);
  // Holding Caps Lock repeats its make code; it toggles once.
  events = feed(decoder, {0x3A, 0x3A, 0x3A, 0x3A, 0xBA});
  EXPECT_EQ(events.size(), 5u);
  EXPECT_EQ(decoder.modifiers(), kCapsLock);
  EXPECT_TRUE(decoder.leds_changed_and_clear());
  // Held arrow keys repeat through E0 as well.
  events = feed(decoder, {0xE0, 0x4B, 0xE0, 0x4B, 0xE0, 0xCB});
  ASSERT_EQ(events.size(), 3u);
  EXPECT_TRUE(events[1].pressed);
  EXPECT_EQ(events[1].key, Key::kLeft);
}

TEST(KeyboardDecoder, UnknownCodesAreIgnored) {
  Decoder decoder(layout_us());
  for (int code = 0x59; code <= 0x7F; ++code) {
    KeyEvent event{};
    EXPECT_FALSE(decoder.feed(static_cast<uint8_t>(code), &event)) << code;
    const uint8_t release = static_cast<uint8_t>(code | 0x80);
    if (release != 0xE0 && release != 0xE1) {
      EXPECT_FALSE(decoder.feed(release, &event)) << code;
    }
  }
  EXPECT_TRUE(feed(decoder, {0x55, 0xD5}).empty());
  EXPECT_EQ(feed_one(decoder, {0x1E}).character, 'a');
  // A lone E0 before an unknown code: both bytes vanish, the next key decodes.
  EXPECT_TRUE(feed(decoder, {0xE0, 0x20, 0xE0, 0xA0, 0xE0, 0x10}).empty());
  EXPECT_EQ(feed_one(decoder, {0x1F}).character, 's');
  // E0 E0: the second starts over.
  EXPECT_EQ(feed_one(decoder, {0xE0, 0xE0, 0x48}).key, Key::kUp);
  EXPECT_EQ(decoder.modifiers(), 0);
  EXPECT_EQ(decoder.leds(), 0);
}

TEST(KeyboardDecoder, ProtocolBytesAreSkipped) {
  Decoder decoder(layout_us());
  for (uint8_t byte : {0xFA, 0xFE, 0xEE, 0x00, 0xFF, 0xFC, 0xFD}) {
    KeyEvent event{};
    EXPECT_FALSE(decoder.feed(byte, &event)) << int(byte);
  }
  std::vector<KeyEvent> events = feed(decoder, {0xFA, 0x1E, 0xFA, 0x9E, 0xFE, 0xEE});
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].character, 'a');
  // An ACK between a prefix and its code does not break the sequence.
  EXPECT_EQ(feed_one(decoder, {0xE0, 0xFA, 0x48}).key, Key::kUp);
  EXPECT_EQ(feed(decoder, {0xE1, 0x1D, 0xFA, 0x45}).at(0).key, Key::kPause);
}

TEST(KeyboardDecoder, LedsFollowLockKeys) {
  Decoder decoder(layout_us());
  EXPECT_EQ(decoder.leds(), 0);
  EXPECT_FALSE(decoder.leds_changed_and_clear());
  feed(decoder, {0x3A, 0xBA});
  EXPECT_EQ(decoder.leds(), kLedCapsLock);
  EXPECT_EQ(decoder.leds(), 0x04);
  EXPECT_TRUE(decoder.leds_changed_and_clear());
  EXPECT_FALSE(decoder.leds_changed_and_clear());
  feed(decoder, {0x45, 0xC5});
  EXPECT_EQ(decoder.leds(), 0x06);
  EXPECT_TRUE(decoder.leds_changed_and_clear());
  KeyEvent scroll = feed_one(decoder, {0x46});
  EXPECT_EQ(scroll.key, Key::kScrollLock);
  EXPECT_EQ(scroll.modifiers, kCapsLock | kNumLock | kScrollLock);
  feed(decoder, {0xC6});
  EXPECT_EQ(decoder.leds(), 0x07);
  EXPECT_TRUE(decoder.leds_changed_and_clear());
  feed(decoder, {0x3A, 0xBA});
  EXPECT_EQ(decoder.leds(), 0x03);
  EXPECT_TRUE(decoder.leds_changed_and_clear());
  // Other keys leave the LEDs alone.
  feed(decoder, {0x1E, 0x9E, 0x2A, 0xAA, 0xE0, 0x48, 0xE0, 0xC8});
  EXPECT_FALSE(decoder.leds_changed_and_clear());
  // set_leds: the server's initial state; unknown bits dropped.
  decoder.set_leds(0xFF);
  EXPECT_EQ(decoder.leds(), 0x07);
  EXPECT_TRUE(decoder.leds_changed_and_clear());
  EXPECT_EQ(decoder.modifiers(), kCapsLock | kNumLock | kScrollLock);
}

TEST(KeyboardDecoder, NullEventStillTracksState) {
  Decoder decoder(layout_us());
  EXPECT_TRUE(decoder.feed(0x2A, nullptr));
  EXPECT_FALSE(decoder.feed(0xE0, nullptr));
  EXPECT_TRUE(decoder.feed(0x1D, nullptr));
  EXPECT_EQ(decoder.modifiers(), kShift | kCtrl);
}

// Layouts are plain data: a table built here works, and a global Decoder needs no runtime
// constructor.
constexpr KeyCharacters kTestKeys[] = {{Key::kA, U'α', U'Α', 0, true}};
constexpr Layout kTestLayout = {"test", false, '.', kTestKeys, 1};
constinit Decoder g_decoder(kTestLayout);

TEST(KeyboardDecoder, CustomLayoutAndConstantInitialisation) {
  EXPECT_EQ(feed_one(g_decoder, {0x1E}).character, U'α');
  EXPECT_EQ(feed_one(g_decoder, {0x1F}).character, 0u);  // not in the table
  g_decoder.set_leds(kLedCapsLock);
  EXPECT_EQ(feed_one(g_decoder, {0x1E}).character, U'Α');
  g_decoder.set_layout(layout_us());
  EXPECT_EQ(&g_decoder.layout(), &layout_us());
  EXPECT_EQ(feed_one(g_decoder, {0x1E}).character, 'A');  // Caps Lock survived the switch
}

}  // namespace
}  // namespace bm::keyboard
