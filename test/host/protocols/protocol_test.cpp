// Host tests for the pieces every protocol shares (ipc/protocol.h): status words, byte
// packing, status-only replies, and the split of a message between registers and IPC buffer.
#include "ipc/protocol.h"

#include <memory>

#include "test/host/protocols/wire_test_support.h"

namespace bm::ipc::testing {
namespace {

// Status-only replies of two made-up messages.
constexpr MessageSpec kSpec1234{0x1234, "test_1234", 0, 0, 1, 1};
constexpr MessageSpec kSpec42{0x42, "test_42", 0, 0, 1, 1};

// The codecs are constexpr where they can be: a round trip works at compile time.
constexpr bool status_reply_round_trips_at_compile_time() {
  WireMessage message{};
  StatusReply<kSpec1234> reply{ProtocolStatus::kWouldBlock};
  if (!encode(reply, &message)) return false;
  StatusReply<kSpec1234> out;
  return decode(message, &out) == ProtocolStatus::kOk &&
         out.status == ProtocolStatus::kWouldBlock && message.words == 1 && message.label == 0x1234;
}
static_assert(status_reply_round_trips_at_compile_time());

// A server may keep its messages in static storage: no constructor runs.
constinit WireMessage g_static_message{};

TEST(ProtocolStatus, ValuesAreStableAndNamed) {
  EXPECT_EQ(static_cast<uint64_t>(ProtocolStatus::kOk), 0u);
  EXPECT_EQ(static_cast<uint64_t>(ProtocolStatus::kUnknownLabel), 1u);
  EXPECT_EQ(static_cast<uint64_t>(ProtocolStatus::kTooShort), 2u);
  EXPECT_EQ(static_cast<uint64_t>(ProtocolStatus::kTooLong), 3u);
  EXPECT_EQ(static_cast<uint64_t>(ProtocolStatus::kBadValue), 4u);
  EXPECT_EQ(static_cast<uint64_t>(ProtocolStatus::kWouldBlock), 5u);
  EXPECT_EQ(static_cast<uint64_t>(ProtocolStatus::kUnsupported), 6u);
  EXPECT_EQ(static_cast<uint64_t>(ProtocolStatus::kOutOfMemory), 7u);
  EXPECT_EQ(static_cast<uint64_t>(ProtocolStatus::kBadAlignment), 8u);
  EXPECT_EQ(static_cast<uint64_t>(ProtocolStatus::kBadSize), 9u);
  EXPECT_EQ(static_cast<uint64_t>(ProtocolStatus::kNotAllocated), 10u);
  EXPECT_EQ(static_cast<uint64_t>(ProtocolStatus::kDoubleFree), 11u);
  EXPECT_EQ(static_cast<uint64_t>(ProtocolStatus::kNoDevice), 12u);
  EXPECT_EQ(static_cast<uint64_t>(ProtocolStatus::kNotFound), 13u);
  EXPECT_EQ(static_cast<uint64_t>(ProtocolStatus::kBusy), 14u);
  EXPECT_EQ(static_cast<uint64_t>(ProtocolStatus::kNoRights), 15u);
  EXPECT_EQ(static_cast<uint64_t>(ProtocolStatus::kPeerGone), 16u);
  EXPECT_EQ(static_cast<uint64_t>(ProtocolStatus::kTimedOut), 17u);
  EXPECT_EQ(static_cast<uint64_t>(ProtocolStatus::kNoSlots), 18u);
  EXPECT_EQ(static_cast<uint64_t>(ProtocolStatus::kInvalidHandle), 19u);
  EXPECT_EQ(static_cast<uint64_t>(ProtocolStatus::kWrongType), 20u);
  EXPECT_EQ(static_cast<uint64_t>(ProtocolStatus::kBadAddress), 21u);
  EXPECT_EQ(static_cast<uint64_t>(ProtocolStatus::kNoCaller), 22u);
  EXPECT_EQ(static_cast<uint64_t>(ProtocolStatus::kBadImage), 23u);
  EXPECT_EQ(static_cast<uint64_t>(ProtocolStatus::kExists), 24u);
  EXPECT_EQ(static_cast<uint64_t>(ProtocolStatus::kNotADirectory), 25u);
  EXPECT_EQ(static_cast<uint64_t>(ProtocolStatus::kIsADirectory), 26u);
  EXPECT_EQ(static_cast<uint64_t>(ProtocolStatus::kReadOnly), 27u);
  EXPECT_EQ(static_cast<uint64_t>(ProtocolStatus::kNoSpace), 28u);
  EXPECT_EQ(static_cast<uint64_t>(ProtocolStatus::kNameTooLong), 29u);
  EXPECT_EQ(static_cast<uint64_t>(ProtocolStatus::kBadPath), 30u);
  EXPECT_EQ(static_cast<uint64_t>(ProtocolStatus::kTooManyOpenFiles), 31u);
  EXPECT_EQ(static_cast<uint64_t>(ProtocolStatus::kNotEmpty), 32u);
  EXPECT_EQ(kProtocolStatusCount, 33u);
  for (uint64_t value = 0; value < kProtocolStatusCount; ++value) {
    EXPECT_TRUE(is_protocol_status(value));
    EXPECT_STRNE(protocol_status_text(static_cast<ProtocolStatus>(value)),
                 "unknown protocol status");
  }
  EXPECT_FALSE(is_protocol_status(kProtocolStatusCount));
  EXPECT_FALSE(is_protocol_status(~0ull));
  EXPECT_STREQ(protocol_status_text(static_cast<ProtocolStatus>(kProtocolStatusCount)),
               "unknown protocol status");
  EXPECT_EQ(g_static_message.words, 0u);
}

TEST(StatusReply, EveryStatusRoundTripsAsOneWord) {
  for (uint64_t value = 0; value < kProtocolStatusCount; ++value) {
    WireMessage message;
    auto out = round_trip(StatusReply<kSpec42>{static_cast<ProtocolStatus>(value)}, &message);
    EXPECT_EQ(out.status, static_cast<ProtocolStatus>(value));
    EXPECT_EQ(message.label, 0x42u);
    EXPECT_EQ(message.words, 1u);
    EXPECT_EQ(message.word[0], value);
  }
  WireMessage message = poisoned();
  EXPECT_FALSE(
      encode(StatusReply<kSpec42>{static_cast<ProtocolStatus>(kProtocolStatusCount)}, &message));
}

TEST(StatusReply, DecodeLeavesTheOutputAloneOnFailure) {
  StatusReply<kSpec42> out{ProtocolStatus::kUnsupported};
  EXPECT_EQ(decode(make_message(0x42, {}), &out), ProtocolStatus::kTooShort);
  EXPECT_EQ(decode(make_message(0x42, {0, 0}), &out), ProtocolStatus::kTooLong);
  EXPECT_EQ(decode(make_message(0x43, {0}), &out), ProtocolStatus::kUnknownLabel);
  EXPECT_EQ(decode(make_message(0x42, {99}), &out), ProtocolStatus::kBadValue);
  EXPECT_EQ(out.status, ProtocolStatus::kUnsupported);
}

TEST(CheckRequest, ChecksLabelThenBounds) {
  constexpr MessageSpec kSpec{0x10, "test", 2, 3, 1, 1};
  EXPECT_EQ(check_request(make_message(0x11, {1, 2}), kSpec), ProtocolStatus::kUnknownLabel);
  EXPECT_EQ(check_request(make_message(0x11, {}), kSpec), ProtocolStatus::kUnknownLabel);
  EXPECT_EQ(check_request(make_message(0x10, {1}), kSpec), ProtocolStatus::kTooShort);
  EXPECT_EQ(check_request(make_message(0x10, {1, 2}), kSpec), ProtocolStatus::kOk);
  EXPECT_EQ(check_request(make_message(0x10, {1, 2, 3}), kSpec), ProtocolStatus::kOk);
  EXPECT_EQ(check_request(make_message(0x10, {1, 2, 3, 4}), kSpec), ProtocolStatus::kTooLong);
}

TEST(EncodeStatusReply, WritesTheStatusWordAlone) {
  WireMessage message = poisoned();
  encode_status_reply(0x101, ProtocolStatus::kBadValue, &message);
  EXPECT_EQ(message.label, 0x101u);
  EXPECT_EQ(message.words, 1u);
  EXPECT_EQ(message.word[0], 4u);
  EXPECT_EQ(message.word[1], kPoison);  // nothing else touched
}

TEST(DecodeFlag, AcceptsOnlyZeroAndOne) {
  bool flag = true;
  EXPECT_TRUE(decode_flag(0, &flag));
  EXPECT_FALSE(flag);
  EXPECT_TRUE(decode_flag(1, &flag));
  EXPECT_TRUE(flag);
  for (uint64_t word : {2ull, 0x100ull, 1ull << 32, ~0ull}) {
    EXPECT_FALSE(decode_flag(word, &flag)) << word;
    EXPECT_TRUE(flag);
  }
}

TEST(PackBytes, PutsByteIInBits8TimesIModulo8) {
  const uint8_t bytes[] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0xff};
  WireMessage message = poisoned();
  pack_bytes({bytes, 9}, 1, &message);
  EXPECT_EQ(message.words, 4u);  // 1 skipped + length + 2 words of bytes
  EXPECT_EQ(message.word[0], kPoison);
  EXPECT_EQ(message.word[1], 9u);
  EXPECT_EQ(message.word[2], 0x0807060504030201ull);
  EXPECT_EQ(message.word[3], 0xffull);  // unused bytes zero
  EXPECT_EQ(message.word[4], kPoison);
}

TEST(PackBytes, EmptyIsTheLengthWordAlone) {
  WireMessage message = poisoned();
  pack_bytes({nullptr, 0}, 0, &message);
  EXPECT_EQ(message.words, 1u);
  EXPECT_EQ(message.word[0], 0u);
  ByteView view{reinterpret_cast<const uint8_t*>("x"), 1};
  EXPECT_EQ(unpack_bytes(message, 0, 10, &view), ProtocolStatus::kOk);
  EXPECT_EQ(view.length, 0u);
}

TEST(UnpackBytes, RoundTripsEveryLengthUpTo64) {
  const std::string text = pattern(64);
  for (uint32_t length = 0; length <= 64; ++length) {
    WireMessage message = poisoned();
    pack_bytes({reinterpret_cast<const uint8_t*>(text.data()), length}, 0, &message);
    ASSERT_EQ(message.words, 1 + words_for_bytes(length));
    ByteView view;
    ASSERT_EQ(unpack_bytes(message, 0, 64, &view), ProtocolStatus::kOk) << length;
    EXPECT_EQ(bytes_string(view), text.substr(0, length));
  }
}

TEST(UnpackBytes, RejectsNonZeroPaddingAndOverlongLengths) {
  ByteView view;
  // 3 bytes with a stray byte in the fourth position of the word.
  EXPECT_EQ(unpack_bytes(make_message(1, {3, 0x01'00'00'00ull}), 0, 100, &view),
            ProtocolStatus::kBadValue);
  EXPECT_EQ(unpack_bytes(make_message(1, {3, 0x00'ff'ff'ffull}), 0, 100, &view),
            ProtocolStatus::kOk);
  EXPECT_EQ(unpack_bytes(make_message(1, {8, 0xffff'ffff'ffff'ffffull}), 0, 100, &view),
            ProtocolStatus::kOk);
  // A length over the limit, and ones that would overflow a word count.
  EXPECT_EQ(unpack_bytes(make_message(1, {101}), 0, 100, &view), ProtocolStatus::kBadValue);
  EXPECT_EQ(unpack_bytes(make_message(1, {1ull << 32}), 0, 100, &view), ProtocolStatus::kBadValue);
  EXPECT_EQ(unpack_bytes(make_message(1, {~0ull}), 0, 100, &view), ProtocolStatus::kBadValue);
  // The length word itself missing.
  EXPECT_EQ(unpack_bytes(make_message(1, {5}), 1, 100, &view), ProtocolStatus::kTooShort);
  EXPECT_EQ(view.length, 8u);  // from the last success only
}

TEST(ValidBytes, NeedsDataForAnyLengthAndRespectsTheLimit) {
  const uint8_t byte = 0;
  EXPECT_TRUE(valid_bytes({nullptr, 0}, 4));
  EXPECT_FALSE(valid_bytes({nullptr, 1}, 4));
  EXPECT_TRUE(valid_bytes({&byte, 4}, 4));
  EXPECT_FALSE(valid_bytes({&byte, 5}, 4));
}

// The kernel's view: words 0-3 in registers, word i >= 4 at IpcBuffer::words[i - 4].
TEST(WireTransport, SplitsWordsBetweenRegistersAndTheIpcBuffer) {
  auto buffer = std::make_unique<abi::IpcBuffer>();
  for (uint32_t words : {0u, 1u, 4u, 5u, 511u, 512u}) {
    SCOPED_TRACE(words);
    WireMessage message = poisoned();
    message.label = 0x305;
    message.words = words;
    for (uint32_t i = 0; i < words; ++i) message.word[i] = 1000 + i;
    uint64_t registers[4] = {kPoison, kPoison, kPoison, kPoison};
    for (uint64_t& word : buffer->words) word = kPoison;
    ASSERT_TRUE(store_wire(message, registers, buffer.get()));
    for (uint32_t i = 0; i < 4; ++i) EXPECT_EQ(registers[i], i < words ? 1000 + i : 0) << i;
    for (uint32_t i = 4; i < abi::kMaxMessageWords; ++i) {
      ASSERT_EQ(buffer->words[i - 4], i < words ? 1000 + i : kPoison) << i;
    }
    WireMessage loaded = poisoned();
    ASSERT_TRUE(load_wire(0x305, words, registers, buffer.get(), &loaded));
    EXPECT_EQ(loaded.label, 0x305u);
    EXPECT_EQ(loaded.words, words);
    for (uint32_t i = 0; i < words; ++i) ASSERT_EQ(loaded.word[i], 1000 + i);
    if (words < abi::kMaxMessageWords) {
      EXPECT_EQ(loaded.word[words], kPoison);
    }
  }
}

TEST(WireTransport, RefusesMoreThan512Words) {
  auto buffer = std::make_unique<abi::IpcBuffer>();
  uint64_t registers[4] = {};
  WireMessage message = poisoned();
  message.words = abi::kMaxMessageWords + 1;
  EXPECT_FALSE(store_wire(message, registers, buffer.get()));
  WireMessage loaded = poisoned();
  loaded.words = 7;
  EXPECT_FALSE(load_wire(1, abi::kMaxMessageWords + 1, registers, buffer.get(), &loaded));
  EXPECT_EQ(loaded.words, 7u);
}

}  // namespace
}  // namespace bm::ipc::testing
