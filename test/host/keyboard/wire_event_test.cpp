// Host tests for the decoder -> protocol mapping: every key has a distinct protocol code that
// a valid event accepts, modifier bits move to their protocol places, and decoded scan codes
// come out as the protocol events a client sees.
#include <gtest/gtest.h>

#include <set>

#include "servers/keyboard/decoder.h"
#include "servers/keyboard/wire_event.h"

namespace bm::keyboard {
namespace {

namespace wire = ipc::keyboard;

TEST(WireEvent, EveryKeyHasADistinctValidCode) {
  std::set<uint16_t> codes;
  for (unsigned k = 1; k < static_cast<unsigned>(Key::kCount); ++k) {
    wire::KeyCode code = wire_key(static_cast<Key>(k));
    EXPECT_TRUE(wire::is_event_key(static_cast<uint64_t>(code))) << "key " << k;
    EXPECT_TRUE(codes.insert(static_cast<uint16_t>(code)).second) << "key " << k;
  }
  EXPECT_EQ(wire_key(Key::kNone), wire::KeyCode::kNone);
  EXPECT_EQ(wire_key(Key::kCount), wire::KeyCode::kNone);
  EXPECT_EQ(wire_key(static_cast<Key>(250)), wire::KeyCode::kNone);
}

TEST(WireEvent, NamesMatch) {
  EXPECT_EQ(wire_key(Key::kA), wire::KeyCode::kA);
  EXPECT_EQ(wire_key(Key::kY), wire::KeyCode::kY);
  EXPECT_EQ(wire_key(Key::kEnter), wire::KeyCode::kEnter);
  EXPECT_EQ(wire_key(Key::kKeypadEnter), wire::KeyCode::kKeypadEnter);
  EXPECT_EQ(wire_key(Key::kRightAlt), wire::KeyCode::kRightAlt);
  EXPECT_EQ(wire_key(Key::kPause), wire::KeyCode::kPause);
  EXPECT_STREQ(wire::key_name(wire_key(Key::kNonUsBackslash)), "NonUS\\");
}

TEST(WireEvent, ModifierBitsMove) {
  EXPECT_EQ(wire_modifiers(0), 0);
  EXPECT_EQ(wire_modifiers(kShift), wire::kModShift);
  EXPECT_EQ(wire_modifiers(kCtrl), wire::kModCtrl);
  EXPECT_EQ(wire_modifiers(kAlt), wire::kModAlt);
  EXPECT_EQ(wire_modifiers(kAltGr), wire::kModAltGr);
  EXPECT_EQ(wire_modifiers(kCapsLock), wire::kModCapsLock);
  EXPECT_EQ(wire_modifiers(kNumLock), wire::kModNumLock);
  EXPECT_EQ(wire_modifiers(kScrollLock), 0);
  EXPECT_EQ(wire_modifiers(0x7f), wire::kAllModifiers);
}

TEST(WireEvent, DecodedScanCodesBecomeValidProtocolEvents) {
  Decoder decoder(layout_de());
  KeyEvent event{};
  // Left Shift down, then the key labelled Y on a US keyboard: 'Z' on de.
  ASSERT_FALSE(decoder.feed(0x2a, &event) && event.character != 0);
  ASSERT_TRUE(decoder.feed(0x15, &event));
  wire::KeyEvent out = wire_event(event);
  EXPECT_EQ(out.key, wire::KeyCode::kY);
  EXPECT_TRUE(out.pressed);
  EXPECT_EQ(out.character, static_cast<uint32_t>('Z'));
  EXPECT_EQ(out.modifiers, wire::kModShift);
  EXPECT_TRUE(wire::valid_event(out));
  ASSERT_TRUE(decoder.feed(0x95, &event));  // release
  out = wire_event(event);
  EXPECT_FALSE(out.pressed);
  EXPECT_EQ(out.character, 0u);
  EXPECT_TRUE(wire::valid_event(out));
}

}  // namespace
}  // namespace bm::keyboard
