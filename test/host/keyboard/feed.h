// Test helper: feeds a byte sequence to a Decoder and collects the events it completes.
#pragma once

#include <gtest/gtest.h>

#include <initializer_list>
#include <vector>

#include "servers/keyboard/decoder.h"

namespace bm::keyboard::test {

inline std::vector<KeyEvent> feed(Decoder& decoder, std::initializer_list<uint8_t> bytes) {
  std::vector<KeyEvent> events;
  for (uint8_t byte : bytes) {
    KeyEvent event{Key::kNone, false, 0xEE, 0xDEAD};  // poisoned: must be overwritten
    if (decoder.feed(byte, &event)) events.push_back(event);
  }
  return events;
}

// The one event bytes must produce.
inline KeyEvent feed_one(Decoder& decoder, std::initializer_list<uint8_t> bytes) {
  std::vector<KeyEvent> events = feed(decoder, bytes);
  EXPECT_EQ(events.size(), 1u);
  return events.empty() ? KeyEvent{Key::kNone, false, 0, 0} : events.front();
}

}  // namespace bm::keyboard::test
