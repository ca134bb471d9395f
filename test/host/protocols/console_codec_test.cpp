// Host tests for the console protocol's encode/decode (ipc/console.h): round trips at the
// edges of every field, the documented word layout, and the values a decoder refuses.
#include "ipc/console.h"
#include "test/host/protocols/wire_test_support.h"

namespace bm::ipc::console {
namespace {

using testing::encoded;
using testing::make_message;
using testing::pattern;
using testing::poisoned;
using testing::round_trip;
using testing::view_of;

TEST(ConsoleWrite, RoundTripsEveryLengthFromEmptyTo4000Bytes) {
  const std::string text = pattern(kMaxWriteBytes);
  for (uint32_t length : {0u, 1u, 7u, 8u, 9u, 24u, 25u, 3999u, 4000u}) {
    SCOPED_TRACE(length);
    WireMessage message;
    WriteRequest out = round_trip(WriteRequest{view_of(text.substr(0, length))}, &message);
    EXPECT_EQ(message.label, kWrite);
    EXPECT_EQ(message.words, 1 + (length + 7) / 8);
    EXPECT_EQ(message.word[0], length);
    EXPECT_EQ(testing::bytes_string(out.bytes), text.substr(0, length));
  }
}

TEST(ConsoleWrite, The4000ByteWriteFillsWordsUpTo500) {
  WireMessage message = encoded(WriteRequest{view_of(pattern(4000))});
  EXPECT_EQ(message.words, kMaxWriteWords);
  EXPECT_EQ(kMaxWriteWords, 501u);
}

TEST(ConsoleWrite, EncodeRefusesMoreThan4000BytesOrMissingData) {
  const std::string text = pattern(4001);
  WireMessage message = poisoned();
  EXPECT_FALSE(encode(WriteRequest{view_of(text)}, &message));
  EXPECT_FALSE(encode(WriteRequest{{nullptr, 3}}, &message));
  EXPECT_EQ(message.word[0], testing::kPoison);  // refused encodes write nothing
}

TEST(ConsoleWrite, DecodeRefusesABadLengthWord) {
  WriteRequest out;
  // The length says 4001 bytes (501 words would follow): over the limit.
  WireMessage message = encoded(WriteRequest{view_of(pattern(4000))});
  message.word[0] = 4001;
  EXPECT_EQ(decode(message, &out), ProtocolStatus::kBadValue);
  message.word[0] = 1ull << 40;
  EXPECT_EQ(decode(message, &out), ProtocolStatus::kBadValue);
  // A length that disagrees with the word count.
  EXPECT_EQ(decode(make_message(kWrite, {9, 0}), &out), ProtocolStatus::kTooShort);
  EXPECT_EQ(decode(make_message(kWrite, {8, 0, 0}), &out), ProtocolStatus::kTooLong);
  EXPECT_EQ(decode(make_message(kWrite, {0, 0}), &out), ProtocolStatus::kTooLong);
  // Garbage after the last byte.
  EXPECT_EQ(decode(make_message(kWrite, {1, 0x4100}), &out), ProtocolStatus::kBadValue);
  // The bytes are a view into the message, which must outlive them.
  const WireMessage two_bytes = make_message(kWrite, {2, 0x4100});
  EXPECT_EQ(decode(two_bytes, &out), ProtocolStatus::kOk);
  EXPECT_EQ(testing::bytes_string(out.bytes), std::string("\0A", 2));
}

TEST(ConsoleClearAndQuerySize, AreEmptyRequests) {
  WireMessage message;
  round_trip(ClearRequest{}, &message);
  EXPECT_EQ(message.label, kClear);
  EXPECT_EQ(message.words, 0u);
  round_trip(QuerySizeRequest{}, &message);
  EXPECT_EQ(message.label, kQuerySize);
  EXPECT_EQ(message.words, 0u);
}

TEST(ConsoleSetColours, RoundTripsAll256Pairs) {
  int pairs = 0;
  for (uint64_t foreground = 0; foreground <= 15; ++foreground) {
    for (uint64_t background = 0; background <= 15; ++background) {
      WireMessage message;
      SetColoursRequest out = round_trip(
          SetColoursRequest{static_cast<Colour>(foreground), static_cast<Colour>(background)},
          &message);
      EXPECT_EQ(message.words, 2u);
      EXPECT_EQ(message.word[0], foreground);
      EXPECT_EQ(message.word[1], background);
      EXPECT_EQ(static_cast<uint64_t>(out.foreground), foreground);
      EXPECT_EQ(static_cast<uint64_t>(out.background), background);
      ++pairs;
    }
  }
  EXPECT_EQ(pairs, 256);
}

TEST(ConsoleSetColours, RefusesColour16AndAbove) {
  WireMessage message = poisoned();
  EXPECT_FALSE(encode(SetColoursRequest{static_cast<Colour>(16), Colour::kBlack}, &message));
  EXPECT_FALSE(encode(SetColoursRequest{Colour::kBlack, static_cast<Colour>(16)}, &message));
  SetColoursRequest out{Colour::kYellow, Colour::kRed};
  for (uint64_t bad : {16ull, 255ull, 1ull << 32, ~0ull}) {
    EXPECT_EQ(decode(make_message(kSetColours, {bad, 0}), &out), ProtocolStatus::kBadValue);
    EXPECT_EQ(decode(make_message(kSetColours, {0, bad}), &out), ProtocolStatus::kBadValue);
  }
  EXPECT_EQ(out.foreground, Colour::kYellow);  // untouched by the refusals
  EXPECT_EQ(decode(make_message(kSetColours, {15, 15}), &out), ProtocolStatus::kOk);
  EXPECT_EQ(out.foreground, Colour::kWhite);
}

TEST(ConsoleMoveCursor, RoundTripsUpTo65535) {
  for (uint32_t row : {0u, 24u, 65535u}) {
    for (uint32_t column : {0u, 79u, 65535u}) {
      WireMessage message;
      MoveCursorRequest out = round_trip(MoveCursorRequest{row, column}, &message);
      EXPECT_EQ(out.row, row);
      EXPECT_EQ(out.column, column);
      EXPECT_EQ(message.word[0], row);
      EXPECT_EQ(message.word[1], column);
    }
  }
}

TEST(ConsoleMoveCursor, RefusesCoordinatesBeyond65535) {
  WireMessage message = poisoned();
  EXPECT_FALSE(encode(MoveCursorRequest{65536, 0}, &message));
  EXPECT_FALSE(encode(MoveCursorRequest{0, 65536}, &message));
  MoveCursorRequest out;
  for (uint64_t bad : {65536ull, 1ull << 32, (1ull << 32) + 5, ~0ull}) {
    EXPECT_EQ(decode(make_message(kMoveCursor, {bad, 0}), &out), ProtocolStatus::kBadValue);
    EXPECT_EQ(decode(make_message(kMoveCursor, {0, bad}), &out), ProtocolStatus::kBadValue);
  }
}

TEST(ConsoleWriteReply, RoundTripsWrittenCountsAndErrors) {
  for (uint32_t written : {0u, 1u, 4000u}) {
    WireMessage message;
    WriteReply out = round_trip(WriteReply{ProtocolStatus::kOk, written}, &message);
    EXPECT_EQ(out.status, ProtocolStatus::kOk);
    EXPECT_EQ(out.written, written);
    EXPECT_EQ(message.words, 2u);
  }
  WireMessage message;
  WriteReply out = round_trip(WriteReply{ProtocolStatus::kBadValue, 77}, &message);
  EXPECT_EQ(message.words, 1u);  // an error sends no count
  EXPECT_EQ(out.status, ProtocolStatus::kBadValue);
  EXPECT_EQ(out.written, 0u);
  EXPECT_FALSE(encode(WriteReply{ProtocolStatus::kOk, 4001}, &message));
  EXPECT_EQ(decode(make_message(kWrite, {0, 4001}), &out), ProtocolStatus::kBadValue);
  EXPECT_EQ(decode(make_message(kWrite, {0, 1ull << 32}), &out), ProtocolStatus::kBadValue);
}

TEST(ConsoleStatusReplies, RoundTripEveryStatus) {
  for (uint64_t value = 0; value < kProtocolStatusCount; ++value) {
    auto status = static_cast<ProtocolStatus>(value);
    WireMessage message;
    EXPECT_EQ(round_trip(ClearReply{status}, &message).status, status);
    EXPECT_EQ(message.label, kClear);
    EXPECT_EQ(round_trip(SetColoursReply{status}, &message).status, status);
    EXPECT_EQ(message.label, kSetColours);
    EXPECT_EQ(round_trip(MoveCursorReply{status}, &message).status, status);
    EXPECT_EQ(message.label, kMoveCursor);
  }
}

TEST(ConsoleQuerySizeReply, RoundTripsSizesAndRefusesZero) {
  for (uint32_t size : {1u, 25u, 80u, 65535u}) {
    WireMessage message;
    QuerySizeReply out = round_trip(QuerySizeReply{ProtocolStatus::kOk, size, 80}, &message);
    EXPECT_EQ(out.rows, size);
    EXPECT_EQ(out.columns, 80u);
    EXPECT_EQ(message.words, 3u);
  }
  WireMessage message;
  EXPECT_EQ(round_trip(QuerySizeReply{ProtocolStatus::kUnsupported, 0, 0}, &message).status,
            ProtocolStatus::kUnsupported);
  EXPECT_FALSE(encode(QuerySizeReply{ProtocolStatus::kOk, 0, 80}, &message));
  EXPECT_FALSE(encode(QuerySizeReply{ProtocolStatus::kOk, 25, 65536}, &message));
  QuerySizeReply out;
  EXPECT_EQ(decode(make_message(kQuerySize, {0, 0, 80}), &out), ProtocolStatus::kBadValue);
  EXPECT_EQ(decode(make_message(kQuerySize, {0, 25, 65536}), &out), ProtocolStatus::kBadValue);
}

TEST(ConsoleProtocol, LabelsAndNamesFollowTheTable) {
  EXPECT_EQ(kWrite, 0x101u);
  EXPECT_EQ(kClear, 0x102u);
  EXPECT_EQ(kSetColours, 0x103u);
  EXPECT_EQ(kMoveCursor, 0x104u);
  EXPECT_EQ(kQuerySize, 0x105u);
  EXPECT_STREQ(kMessages[0].name, "write");
  EXPECT_STREQ(kMessages[4].name, "query_size");
}

}  // namespace
}  // namespace bm::ipc::console
