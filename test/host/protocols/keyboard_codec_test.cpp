// Host tests for the keyboard protocol (ipc/keyboard.h): the key code table, round trips of
// every request and reply, and the values a decoder refuses.
#include <set>
#include <string>

#include "ipc/keyboard.h"
#include "test/host/protocols/wire_test_support.h"

namespace bm::ipc::keyboard {
namespace {

using testing::make_message;
using testing::poisoned;
using testing::round_trip;

// Every key of BM_KEY_LIST, for the tests that walk them all.
constexpr KeyCode kAllKeys[] = {
#define BM_KEY_ENTRY(name, value, text) KeyCode::name,
    BM_KEY_LIST(BM_KEY_ENTRY)
#undef BM_KEY_ENTRY
};

TEST(KeyCode, ValuesAreTheHidUsagesAndNamesAreUnique) {
  EXPECT_EQ(static_cast<int>(KeyCode::kA), 0x04);
  EXPECT_EQ(static_cast<int>(KeyCode::kZ), 0x1d);
  EXPECT_EQ(static_cast<int>(KeyCode::kDigit0), 0x27);
  EXPECT_EQ(static_cast<int>(KeyCode::kF12), 0x45);
  EXPECT_EQ(static_cast<int>(KeyCode::kUp), 0x52);
  EXPECT_EQ(static_cast<int>(KeyCode::kKeypad0), 0x62);
  EXPECT_EQ(static_cast<int>(KeyCode::kRightGui), 0xe7);
  std::set<int> values;
  std::set<std::string> names;
  for (KeyCode key : kAllKeys) {
    EXPECT_TRUE(values.insert(static_cast<int>(key)).second) << key_name(key);
    EXPECT_TRUE(names.insert(key_name(key)).second) << key_name(key);
    EXPECT_TRUE(is_key_code(static_cast<uint64_t>(key)));
  }
  // Letters, digits and F-keys are contiguous, so a layout table can index them.
  for (int i = 0; i < 26; ++i) EXPECT_TRUE(is_key_code(0x04 + i));
  EXPECT_EQ(std::string(key_name(KeyCode::kQ)), "Q");
  EXPECT_EQ(std::string(key_name(KeyCode::kPageDown)), "PageDown");
  EXPECT_EQ(std::string(key_name(static_cast<KeyCode>(0x01))), "unknown key");
  for (uint64_t gap :
       {0x01ull, 0x03ull, 0x66ull, 0xdfull, 0xe8ull, 0xffull, 0x101ull, 0x10004ull}) {
    EXPECT_FALSE(is_key_code(gap)) << gap;
  }
  // 0x00 and 0x04-0x65, the eight modifiers, and kUnidentified.
  EXPECT_EQ(values.size(), 108u);
}

// A character without a physical key (a serial terminal's "é") still makes a valid event.
TEST(KeyCode, UnidentifiedLiesPastTheHidPageAndMakesValidEvents) {
  EXPECT_EQ(static_cast<int>(KeyCode::kUnidentified), 0x100);
  EXPECT_EQ(std::string(key_name(KeyCode::kUnidentified)), "Unidentified");
  EXPECT_TRUE(is_event_key(0x100));
  KeyEvent event{KeyCode::kUnidentified, true, 0, 0xe9};
  WireMessage message;
  ASSERT_TRUE(encode(ReadEventReply{ProtocolStatus::kOk, event}, &message));
  ReadEventReply decoded;
  ASSERT_EQ(decode(message, &decoded), ProtocolStatus::kOk);
  EXPECT_EQ(decoded.event.key, KeyCode::kUnidentified);
  EXPECT_EQ(decoded.event.character, 0xe9u);
  EXPECT_TRUE(decoded.event.pressed);
}

TEST(KeyCode, CoversWhatTheShellAndDecoderNeed) {
  for (KeyCode key :
       {KeyCode::kF1,          KeyCode::kF12,          KeyCode::kLeft,          KeyCode::kRight,
        KeyCode::kUp,          KeyCode::kDown,         KeyCode::kHome,          KeyCode::kEnd,
        KeyCode::kPageUp,      KeyCode::kPageDown,     KeyCode::kInsert,        KeyCode::kDelete,
        KeyCode::kEnter,       KeyCode::kBackspace,    KeyCode::kTab,           KeyCode::kEscape,
        KeyCode::kLeftShift,   KeyCode::kRightShift,   KeyCode::kLeftCtrl,      KeyCode::kRightCtrl,
        KeyCode::kLeftAlt,     KeyCode::kRightAlt,     KeyCode::kCapsLock,      KeyCode::kNumLock,
        KeyCode::kKeypadEnter, KeyCode::kKeypadDivide, KeyCode::kNonUsBackslash}) {
    EXPECT_TRUE(is_event_key(static_cast<uint64_t>(key))) << key_name(key);
  }
  EXPECT_FALSE(is_event_key(0));
}

TEST(KeyboardRequests, RoundTripBlockingAndNonBlocking) {
  for (bool blocking : {false, true}) {
    WireMessage message;
    EXPECT_EQ(round_trip(ReadEventRequest{blocking}, &message).blocking, blocking);
    EXPECT_EQ(message.label, kReadEvent);
    EXPECT_EQ(message.words, 1u);
    EXPECT_EQ(message.word[0], blocking ? 1u : 0u);
    EXPECT_EQ(round_trip(ReadCharRequest{blocking}, &message).blocking, blocking);
    EXPECT_EQ(message.label, kReadChar);
  }
}

TEST(KeyboardRequests, RefuseABlockingFlagOtherThanZeroOrOne) {
  ReadEventRequest event{true};
  ReadCharRequest character{true};
  for (uint64_t bad : {2ull, 1ull << 32, ~0ull}) {
    EXPECT_EQ(decode(make_message(kReadEvent, {bad}), &event), ProtocolStatus::kBadValue);
    EXPECT_EQ(decode(make_message(kReadChar, {bad}), &character), ProtocolStatus::kBadValue);
  }
  EXPECT_TRUE(event.blocking);
}

TEST(KeyboardSetLayout, RoundTripsUsAndDeAndRefusesOtherIds) {
  for (Layout layout : {Layout::kUs, Layout::kDe}) {
    WireMessage message;
    EXPECT_EQ(round_trip(SetLayoutRequest{layout}, &message).layout, layout);
    EXPECT_EQ(message.word[0], static_cast<uint64_t>(layout));
  }
  EXPECT_EQ(static_cast<uint64_t>(Layout::kUs), 1u);
  EXPECT_EQ(static_cast<uint64_t>(Layout::kDe), 2u);
  WireMessage message = poisoned();
  EXPECT_FALSE(encode(SetLayoutRequest{static_cast<Layout>(3)}, &message));
  SetLayoutRequest out;
  for (uint64_t bad : {0ull, 3ull, 1ull << 32 | 1, ~0ull}) {
    EXPECT_EQ(decode(make_message(kSetLayout, {bad}), &out), ProtocolStatus::kBadValue) << bad;
  }
}

TEST(KeyboardReadEventReply, RoundTripsEveryKeyBothWays) {
  for (KeyCode key : kAllKeys) {
    if (key == KeyCode::kNone) continue;
    for (bool pressed : {false, true}) {
      WireMessage message;
      KeyEvent event{key, pressed, kModCtrl, 0};
      ReadEventReply out = round_trip(ReadEventReply{ProtocolStatus::kOk, event}, &message);
      ASSERT_EQ(out.status, ProtocolStatus::kOk);
      EXPECT_EQ(out.event.key, key);
      EXPECT_EQ(out.event.pressed, pressed);
      EXPECT_EQ(out.event.modifiers, kModCtrl);
      EXPECT_EQ(message.words, 4u);  // the whole event fits the registers
    }
  }
}

TEST(KeyboardReadEventReply, RoundTripsEveryModifierCombination) {
  for (unsigned modifiers = 0; modifiers <= kAllModifiers; ++modifiers) {
    WireMessage message;
    KeyEvent event{KeyCode::kDigit7, true, static_cast<uint8_t>(modifiers), '/'};
    ReadEventReply out = round_trip(ReadEventReply{ProtocolStatus::kOk, event}, &message);
    EXPECT_EQ(out.event.modifiers, modifiers);
    EXPECT_EQ(message.word[2], modifiers | kEventPressedBit);
  }
  WireMessage message = poisoned();
  EXPECT_FALSE(
      encode(ReadEventReply{ProtocolStatus::kOk, {KeyCode::kA, true, 1u << 6, 'a'}}, &message));
}

TEST(KeyboardReadEventReply, RoundTripsCharactersAcrossUnicode) {
  for (uint32_t character : {0u, 1u, 0x61u, 0xe4u, 0x20acu, 0xd7ffu, 0xe000u, 0x10ffffu}) {
    WireMessage message;
    KeyEvent event{KeyCode::kA, true, 0, character};
    EXPECT_EQ(round_trip(ReadEventReply{ProtocolStatus::kOk, event}, &message).event.character,
              character);
  }
  WireMessage message = poisoned();
  for (uint32_t bad : {0xd800u, 0xdfffu, 0x110000u}) {
    EXPECT_FALSE(
        encode(ReadEventReply{ProtocolStatus::kOk, {KeyCode::kA, true, 0, bad}}, &message));
  }
}

TEST(KeyboardReadEventReply, DecodeRefusesBadFields) {
  ReadEventReply out;
  const uint64_t a = static_cast<uint64_t>(KeyCode::kA);
  EXPECT_EQ(decode(make_message(kReadEvent, {0, a, 0x100, 'a'}), &out), ProtocolStatus::kOk);
  EXPECT_EQ(decode(make_message(kReadEvent, {0, 0, 0x100, 'a'}), &out), ProtocolStatus::kBadValue);
  EXPECT_EQ(decode(make_message(kReadEvent, {0, 0x66, 0x100, 'a'}), &out),
            ProtocolStatus::kBadValue);
  EXPECT_EQ(decode(make_message(kReadEvent, {0, a | 1ull << 32, 0x100, 'a'}), &out),
            ProtocolStatus::kBadValue);
  EXPECT_EQ(decode(make_message(kReadEvent, {0, a, 0x200, 'a'}), &out), ProtocolStatus::kBadValue);
  EXPECT_EQ(decode(make_message(kReadEvent, {0, a, 0x40, 'a'}), &out), ProtocolStatus::kBadValue);
  EXPECT_EQ(decode(make_message(kReadEvent, {0, a, 0, 0xd800}), &out), ProtocolStatus::kBadValue);
  EXPECT_EQ(decode(make_message(kReadEvent, {0, a, 0, 0x110000}), &out), ProtocolStatus::kBadValue);
  EXPECT_EQ(out.event.character, static_cast<uint32_t>('a'));  // from the one success
}

TEST(KeyboardReadEventReply, WouldBlockIsTheStatusWordAlone) {
  WireMessage message;
  ReadEventReply out = round_trip(
      ReadEventReply{ProtocolStatus::kWouldBlock, {KeyCode::kA, true, 0, 'a'}}, &message);
  EXPECT_EQ(message.words, 1u);
  EXPECT_EQ(out.status, ProtocolStatus::kWouldBlock);
  EXPECT_EQ(out.event.key, KeyCode::kNone);
}

TEST(KeyboardReadCharReply, RoundTripsCodePointsAndRefusesZero) {
  for (uint32_t character : {1u, 0x0au, 0x7au, 0xdfu, 0x20acu, 0x10ffffu}) {
    WireMessage message;
    ReadCharReply out = round_trip(ReadCharReply{ProtocolStatus::kOk, character}, &message);
    EXPECT_EQ(out.character, character);
    EXPECT_EQ(message.words, 2u);
  }
  WireMessage message = poisoned();
  EXPECT_FALSE(encode(ReadCharReply{ProtocolStatus::kOk, 0}, &message));
  EXPECT_FALSE(encode(ReadCharReply{ProtocolStatus::kOk, 0xdc00}, &message));
  ReadCharReply out;
  for (uint64_t bad : {0ull, 0xd800ull, 0x110000ull, 1ull << 32 | 'a'}) {
    EXPECT_EQ(decode(make_message(kReadChar, {0, bad}), &out), ProtocolStatus::kBadValue) << bad;
  }
  EXPECT_EQ(round_trip(ReadCharReply{ProtocolStatus::kWouldBlock, 'x'}, &message).character, 0u);
}

TEST(KeyboardSetLayoutReply, RoundTripsEveryStatus) {
  for (uint64_t value = 0; value < kProtocolStatusCount; ++value) {
    WireMessage message;
    auto status = static_cast<ProtocolStatus>(value);
    EXPECT_EQ(round_trip(SetLayoutReply{status}, &message).status, status);
    EXPECT_EQ(message.label, kSetLayout);
  }
}

}  // namespace
}  // namespace bm::ipc::keyboard
