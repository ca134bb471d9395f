// Host tests feeding the decoder random byte streams: it never misbehaves (ASan/UBSan watch),
// every event it reports is well-formed, and a clean sequence afterwards decodes right.
#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "servers/keyboard/decoder.h"
#include "test/host/keyboard/feed.h"

namespace bm::keyboard {
namespace {

using test::feed;

void check_well_formed(const KeyEvent& event) {
  EXPECT_NE(event.key, Key::kNone);
  EXPECT_LT(static_cast<int>(event.key), static_cast<int>(Key::kCount));
  EXPECT_EQ(event.modifiers & 0x80, 0);
  if (!event.pressed) {
    EXPECT_EQ(event.character, 0u);
  }
  EXPECT_LE(event.character, 0x10FFFFu);
}

// Brings the decoder back to a known state the way a real stream would: one unknown code ends
// any half-received sequence (a real keyboard never stops mid-sequence; random bytes can), then
// every modifier and lock key is released and the locks are set off.
void resynchronise(Decoder& decoder) {
  feed(decoder, {0x59});
  feed(decoder, {0xAA, 0xB6, 0x9D, 0xE0, 0x9D, 0xB8, 0xE0, 0xB8, 0xBA, 0xC5, 0xC6});
  decoder.set_leds(0);
  decoder.leds_changed_and_clear();
}

void check_types_cleanly(Decoder& decoder) {
  ASSERT_EQ(decoder.modifiers(), 0);
  // "aB", Up, Enter, keypad 7 as Home (Num Lock off), Caps Lock on.
  std::vector<KeyEvent> events = feed(decoder, {0x1E, 0x9E, 0x2A, 0x30, 0xB0, 0xAA, 0xE0, 0x48,
                                                0xE0, 0xC8, 0x1C, 0x9C, 0x47, 0xC7, 0x3A, 0xBA});
  ASSERT_EQ(events.size(), 14u);
  EXPECT_EQ(events[0].character, 'a');
  EXPECT_EQ(events[3].character, 'B');
  EXPECT_EQ(events[3].modifiers, kShift);
  EXPECT_EQ(events[6].key, Key::kUp);
  EXPECT_EQ(events[8].character, '\n');
  EXPECT_EQ(events[10].key, Key::kHome);
  EXPECT_EQ(events[11].key, Key::kHome);
  EXPECT_FALSE(events[11].pressed);
  EXPECT_EQ(decoder.modifiers(), kCapsLock);
  EXPECT_TRUE(decoder.leds_changed_and_clear());
}

TEST(KeyboardDecoderStream, RandomBytesNeverBreakTheDecoder) {
  std::mt19937 random(20240605);
  std::uniform_int_distribution<int> byte(0, 255);
  std::uniform_int_distribution<int> length(1, 64);
  for (int round = 0; round < 2000; ++round) {
    SCOPED_TRACE(round);
    Decoder decoder(round % 2 == 0 ? layout_us() : layout_de());
    const int n = length(random);
    for (int i = 0; i < n; ++i) {
      KeyEvent event{};
      if (decoder.feed(static_cast<uint8_t>(byte(random)), &event)) check_well_formed(event);
      EXPECT_EQ(decoder.leds() & ~0x07, 0);
    }
    resynchronise(decoder);
    decoder.set_layout(layout_us());
    check_types_cleanly(decoder);
    if (HasFatalFailure()) return;
  }
}

// Streams biased toward the interesting bytes (prefixes, modifiers, keypad, protocol bytes).
TEST(KeyboardDecoderStream, PrefixHeavyStreamsRecover) {
  const uint8_t interesting[] = {0xE0, 0xE1, 0x1D, 0x9D, 0x45, 0xC5, 0x2A, 0xAA, 0x36, 0xB6,
                                 0x38, 0xB8, 0x3A, 0xBA, 0x47, 0xC7, 0x53, 0xD3, 0xFA, 0xFE,
                                 0x00, 0xFF, 0x48, 0xC8, 0x1E, 0x9E, 0x59, 0x7F};
  std::mt19937 random(7);
  std::uniform_int_distribution<size_t> pick(0, sizeof(interesting) - 1);
  for (int round = 0; round < 2000; ++round) {
    SCOPED_TRACE(round);
    Decoder decoder(layout_de());
    for (int i = 0; i < 32; ++i) {
      KeyEvent event{};
      if (decoder.feed(interesting[pick(random)], &event)) check_well_formed(event);
    }
    resynchronise(decoder);
    decoder.set_layout(layout_us());
    check_types_cleanly(decoder);
    if (HasFatalFailure()) return;
  }
}

}  // namespace
}  // namespace bm::keyboard
