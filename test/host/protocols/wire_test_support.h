// Helpers for the protocol tests: wire messages whose unused words hold garbage (so a decoder
// that reads past `words` is caught), encode-then-decode round trips, and a catalogue of
// valid sample messages with their decoders for the generic rejection tests.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <initializer_list>
#include <string>
#include <vector>

#include "ipc/console.h"
#include "ipc/keyboard.h"
#include "ipc/protocol.h"
#include "ipc/serial.h"

namespace bm::ipc::testing {

// What the unused words of every test message hold.
constexpr uint64_t kPoison = 0xa5a5'a5a5'a5a5'a5a5ull;

inline void poison(WireMessage* message) {
  for (uint64_t& word : message->word) word = kPoison;
}

inline WireMessage poisoned() {
  WireMessage message{};
  poison(&message);
  return message;
}

inline WireMessage make_message(uint32_t label, std::initializer_list<uint64_t> words) {
  WireMessage message = poisoned();
  message.label = label;
  message.words = static_cast<uint32_t>(words.size());
  uint32_t i = 0;
  for (uint64_t word : words) message.word[i++] = word;
  return message;
}

// Encodes into a poisoned message; the encoder must accept the value.
template <typename T>
WireMessage encoded(const T& value) {
  WireMessage message = poisoned();
  EXPECT_TRUE(encode(value, &message));
  return message;
}

template <typename T>
ProtocolStatus decode_as(const WireMessage& message) {
  T out{};
  return decode(message, &out);
}

// encode, then decode into a fresh value; both must succeed.
template <typename T>
T round_trip(const T& value, WireMessage* storage) {
  *storage = encoded(value);
  T out{};
  EXPECT_EQ(decode(*storage, &out), ProtocolStatus::kOk);
  return out;
}

inline std::string bytes_string(const ByteView& view) {
  return std::string(reinterpret_cast<const char*>(view.data), view.length);
}

inline ByteView view_of(const std::string& text) {
  return {reinterpret_cast<const uint8_t*>(text.data()), static_cast<uint32_t>(text.size())};
}

// `length` bytes covering every value 0..255, so packing cannot confuse any byte.
inline std::string pattern(size_t length) {
  std::string text(length, '\0');
  for (size_t i = 0; i < length; ++i) text[i] = static_cast<char>((i * 7 + 3) & 0xff);
  return text;
}

// A valid message together with the decoder meant for it.
struct Sample {
  std::string name;
  WireMessage message;
  std::function<ProtocolStatus(const WireMessage&)> decode;
};

template <typename T>
Sample sample(std::string name, const T& value) {
  return {std::move(name), encoded(value), [](const WireMessage& m) { return decode_as<T>(m); }};
}

// Every request of every protocol, at the edges of its length (built in samples.cpp).
std::vector<Sample> request_samples();
// Every reply, kOk and error forms.
std::vector<Sample> reply_samples();
// Every label of every protocol in ipc/, and a few that belong to none.
std::vector<uint32_t> all_labels();

}  // namespace bm::ipc::testing
