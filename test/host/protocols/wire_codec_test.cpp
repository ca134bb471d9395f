// Host tests for the generic codec (ipc/wire_codec.h) on made-up messages, one per field
// kind: each round trips, refuses to encode what the wire cannot carry, and decodes a word out
// of range as kBadValue and a wrong word count as kTooShort / kTooLong.
#include "ipc/wire_codec.h"

#include <cstring>
#include <string>

#include "test/host/protocols/wire_test_support.h"

namespace bm::ipc::testing {
namespace {

enum class Shade : uint64_t { kLight = 1, kDark = 2 };
constexpr bool is_shade(uint64_t value) { return value == 1 || value == 2; }

constexpr MessageSpec kWordSpec{0x7001, "word", 1, 1, 1, 1};
constexpr MessageSpec kFlagSpec{0x7002, "flag", 1, 1, 1, 1};
constexpr MessageSpec kCheckedSpec{0x7003, "checked", 1, 1, 1, 1};
constexpr MessageSpec kBoundedSpec{0x7004, "bounded", 1, 1, 1, 1};
// A tag word, then 2..20 bytes: a length word and one to three words of bytes.
constexpr MessageSpec kBytesSpec{0x7005, "bytes", 3, 5, 1, 1};
constexpr MessageSpec kNameSpec{0x7006, "name", 4, 4, 1, 1, kMovesHandles};
constexpr MessageSpec kPackedSpec{0x7007, "packed", 1, 1, 1, 1};
constexpr MessageSpec kNestedSpec{0x7008, "nested", 2, 2, 1, 1};
constexpr MessageSpec kValueSpec{0x7009, "value", 0, 0, 3, 3};
constexpr MessageSpec kHandleSpec{0x700a, "handle", 0, 0, 2, 2, kMovesHandles};
constexpr MessageSpec kListSpec{0x700b, "list", 0, 0, 2, 5};
// 1..12 bytes and then a word: a length word, one or two words of bytes, the word.
constexpr MessageSpec kEmbeddedSpec{0x700c, "embedded", 3, 4, 1, 1};

struct WordRequest {
  uint64_t value = 0;
  using Wire = Request<kWordSpec, Word<&WordRequest::value>>;
};
struct FlagRequest {
  bool on = false;
  using Wire = Request<kFlagSpec, Flag<&FlagRequest::on>>;
};
struct CheckedRequest {
  Shade shade = Shade::kLight;
  using Wire = Request<kCheckedSpec, Checked<&CheckedRequest::shade, is_shade>>;
};
struct BoundedRequest {
  uint32_t level = 3;
  using Wire = Request<kBoundedSpec, Bounded<&BoundedRequest::level, 3, 9>>;
};
struct BytesRequest {
  uint64_t tag = 0;
  ByteView text{};
  using Wire = Request<kBytesSpec, Word<&BytesRequest::tag>, Bytes<&BytesRequest::text, 20, 2>>;
};
struct EmbeddedRequest {
  ByteView key{};
  uint64_t value = 0;
  using Wire = Request<kEmbeddedSpec, EmbeddedBytes<&EmbeddedRequest::key, 12, 1>,
                       Word<&EmbeddedRequest::value>>;
};
struct NameRequest {
  char name[kMaxNameLength + 1] = {};
  abi::Handle handle = 0;
  using Wire =
      Request<kNameSpec, ServiceName<&NameRequest::name>, MovedHandle<&NameRequest::handle>>;
};
struct PackedRequest {
  uint8_t low = 0;    // bits 0-3
  bool high = false;  // bit 8
  using Wire =
      Request<kPackedSpec,
              PackedWord<Bits<&PackedRequest::low, 0, 0xf>, Bits<&PackedRequest::high, 8, 1>>>;
};
struct Range;
constexpr bool ordered(const Range& range);
struct Range {
  uint64_t first = 0;
  uint32_t last = 0;
  using Wire = Fields<Word<&Range::first>, Bounded<&Range::last, 0, 0xffff'ffff>, Rule<ordered>>;
};
constexpr bool ordered(const Range& range) { return range.first <= range.last; }
struct NestedRequest {
  Range range{};
  using Wire = Request<kNestedSpec, Nested<&NestedRequest::range>>;
};
struct ValueReply {
  ProtocolStatus status = ProtocolStatus::kOk;
  uint64_t value = 7;
  Shade shade = Shade::kLight;
  using Wire = Reply<kValueSpec, Word<&ValueReply::value>, Checked<&ValueReply::shade, is_shade>>;
};
struct HandleReply {
  ProtocolStatus status = ProtocolStatus::kOk;
  uint64_t value = 0;
  abi::Handle handle = 0;
  using Wire = Reply<kHandleSpec, Word<&HandleReply::value>, MovedHandle<&HandleReply::handle>>;
};

// An irregular layout: w1 = count, then that many items (at most 3).
struct Counted {
  uint32_t count = 0;
  uint64_t items[3] = {};
};
constexpr uint32_t encode_counted(const Counted& list, uint64_t* words) {
  if (list.count > 3) return 0;
  words[0] = 0;
  words[1] = list.count;
  for (uint32_t i = 0; i < list.count; ++i) words[2 + i] = list.items[i];
  return 2 + list.count;
}
constexpr bool decode_counted(const uint64_t* words, uint32_t count, Counted* out) {
  if (words[1] != count - 2) return false;
  out->count = count - 2;
  for (uint32_t i = 0; i < out->count; ++i) out->items[i] = words[2 + i];
  return true;
}
struct ListReply {
  ProtocolStatus status = ProtocolStatus::kOk;
  Counted list{};
  using Wire = Reply<kListSpec, Irregular<&ListReply::list, encode_counted, decode_counted, 1, 4>>;
};

// A refused encode leaves the message as it was.
template <typename T>
void expect_refused(const T& value) {
  WireMessage message = poisoned();
  EXPECT_FALSE(encode(value, &message));
  WireMessage untouched = poisoned();
  EXPECT_EQ(std::memcmp(&message, &untouched, sizeof(message)), 0);
}

// The same message with `words` words (the rest keep their contents).
WireMessage with_words(WireMessage message, uint32_t words) {
  message.words = words;
  return message;
}

// The codecs are constexpr (byte strings aside, whose views alias the words): a round trip
// works at compile time.
constexpr bool round_trips_at_compile_time() {
  WireMessage message{};
  PackedRequest packed{5, true};
  PackedRequest packed_out;
  NestedRequest nested{{1, 2}};
  NestedRequest nested_out;
  ValueReply value{ProtocolStatus::kOk, 3, Shade::kDark};
  ValueReply value_out;
  return encode(packed, &message) && decode(message, &packed_out) == ProtocolStatus::kOk &&
         packed_out.low == 5 && packed_out.high && encode(nested, &message) &&
         decode(message, &nested_out) == ProtocolStatus::kOk && nested_out.range.last == 2 &&
         encode(value, &message) && decode(message, &value_out) == ProtocolStatus::kOk &&
         value_out.shade == Shade::kDark;
}
static_assert(round_trips_at_compile_time());

TEST(WireCodecWord, CarriesAnyValueAndChecksTheCount) {
  WireMessage message;
  for (uint64_t value : {0ull, 1ull, 1ull << 63, ~0ull}) {
    EXPECT_EQ(round_trip(WordRequest{value}, &message).value, value);
    EXPECT_EQ(message.label, 0x7001u);
    EXPECT_EQ(message.words, 1u);
    EXPECT_EQ(message.word[0], value);
    EXPECT_FALSE(message.has_handle);
  }
  EXPECT_EQ(decode_as<WordRequest>(with_words(message, 0)), ProtocolStatus::kTooShort);
  EXPECT_EQ(decode_as<WordRequest>(with_words(message, 2)), ProtocolStatus::kTooLong);
  EXPECT_EQ(decode_as<WordRequest>(make_message(0x7002, {1})), ProtocolStatus::kUnknownLabel);
}

TEST(WireCodecFlag, IsZeroOrOne) {
  WireMessage message;
  EXPECT_TRUE(round_trip(FlagRequest{true}, &message).on);
  EXPECT_EQ(message.word[0], 1u);
  EXPECT_FALSE(round_trip(FlagRequest{false}, &message).on);
  EXPECT_EQ(message.word[0], 0u);
  for (uint64_t word : {2ull, 0x100ull, ~0ull}) {
    EXPECT_EQ(decode_as<FlagRequest>(make_message(0x7002, {word})), ProtocolStatus::kBadValue);
  }
}

TEST(WireCodecChecked, PassesOnlyWhatItsPredicateAccepts) {
  WireMessage message;
  EXPECT_EQ(round_trip(CheckedRequest{Shade::kDark}, &message).shade, Shade::kDark);
  EXPECT_EQ(message.word[0], 2u);
  expect_refused(CheckedRequest{static_cast<Shade>(3)});
  for (uint64_t word : {0ull, 3ull, 1ull << 32 | 1}) {
    EXPECT_EQ(decode_as<CheckedRequest>(make_message(0x7003, {word})), ProtocolStatus::kBadValue);
  }
}

TEST(WireCodecBounded, KeepsTheRangeAndNeverTruncates) {
  WireMessage message;
  EXPECT_EQ(round_trip(BoundedRequest{3}, &message).level, 3u);
  EXPECT_EQ(round_trip(BoundedRequest{9}, &message).level, 9u);
  expect_refused(BoundedRequest{2});
  expect_refused(BoundedRequest{10});
  for (uint64_t word : {0ull, 2ull, 10ull, 1ull << 32 | 5}) {
    EXPECT_EQ(decode_as<BoundedRequest>(make_message(0x7004, {word})), ProtocolStatus::kBadValue);
  }
}

TEST(WireCodecBytes, RoundTripsFromTheShortestToTheLongest) {
  for (size_t length : {2, 7, 8, 9, 16, 20}) {
    const std::string text = pattern(length);
    WireMessage message;
    BytesRequest out = round_trip(BytesRequest{42, view_of(text)}, &message);
    EXPECT_EQ(message.words, 2 + words_for_bytes(static_cast<uint32_t>(length)));
    EXPECT_EQ(message.word[0], 42u);
    EXPECT_EQ(message.word[1], length);
    EXPECT_EQ(out.tag, 42u);
    EXPECT_EQ(bytes_string(out.text), text);
  }
}

TEST(WireCodecBytes, RefusesLengthsOutsideItsBounds) {
  const std::string text = pattern(21);
  expect_refused(BytesRequest{1, {reinterpret_cast<const uint8_t*>(text.data()), 1}});
  expect_refused(BytesRequest{1, view_of(text)});
  expect_refused(BytesRequest{1, {nullptr, 4}});  // a length without data
  // A length word under the minimum or over the maximum, whatever follows.
  EXPECT_EQ(decode_as<BytesRequest>(make_message(0x7005, {1, 1, 0x41})), ProtocolStatus::kBadValue);
  EXPECT_EQ(decode_as<BytesRequest>(make_message(0x7005, {1, 21, 0, 0, 0})),
            ProtocolStatus::kBadValue);
  // The count must end right after the bytes.
  EXPECT_EQ(decode_as<BytesRequest>(make_message(0x7005, {1, 20, 0, 0})),
            ProtocolStatus::kTooShort);
  EXPECT_EQ(decode_as<BytesRequest>(make_message(0x7005, {1, 2, 0x4141, 0})),
            ProtocolStatus::kTooLong);
  EXPECT_EQ(decode_as<BytesRequest>(make_message(0x7005, {1, 2})), ProtocolStatus::kTooShort);
  // Unused bytes of the last word are zero.
  EXPECT_EQ(decode_as<BytesRequest>(make_message(0x7005, {1, 2, 0x01'4141})),
            ProtocolStatus::kBadValue);
  EXPECT_EQ(decode_as<BytesRequest>(make_message(0x7005, {1, 2, 0x4141})), ProtocolStatus::kOk);
}

TEST(WireCodecEmbeddedBytes, EndsWhereItsLengthSaysAndTheNextFieldFollows) {
  for (size_t length : {1, 7, 8, 9, 12}) {
    const std::string text = pattern(length);
    WireMessage message;
    EmbeddedRequest out = round_trip(EmbeddedRequest{view_of(text), 99}, &message);
    EXPECT_EQ(message.words, 2 + words_for_bytes(static_cast<uint32_t>(length)));
    EXPECT_EQ(message.word[message.words - 1], 99u);
    EXPECT_EQ(bytes_string(out.key), text);
    EXPECT_EQ(out.value, 99u);
  }
  expect_refused(EmbeddedRequest{view_of(""), 1});
  expect_refused(EmbeddedRequest{view_of(pattern(13)), 1});
}

TEST(WireCodecEmbeddedBytes, RefusesLengthsPaddingAndCountsThatDoNotFit) {
  auto status = [](std::initializer_list<uint64_t> words) {
    return decode_as<EmbeddedRequest>(make_message(0x700c, words));
  };
  EXPECT_EQ(status({1, 0x41, 7}), ProtocolStatus::kOk);
  EXPECT_EQ(status({0, 0, 7}), ProtocolStatus::kBadValue);       // under the minimum
  EXPECT_EQ(status({13, 0, 0, 7}), ProtocolStatus::kBadValue);   // over the maximum
  EXPECT_EQ(status({1, 0x4141, 7}), ProtocolStatus::kBadValue);  // a byte past the length
  EXPECT_EQ(status({12, 0, 0}), ProtocolStatus::kTooShort);      // no word after the bytes
  // A short key leaves a word the count allows but no field takes.
  EXPECT_EQ(status({1, 0x41, 7, 8}), ProtocolStatus::kTooLong);
}

TEST(WireCodecName, TravelsInFourWordsWithItsHandle) {
  WireMessage message;
  NameRequest request{"console", 0x9'0001};
  NameRequest out = round_trip(request, &message);
  EXPECT_EQ(message.words, 4u);
  EXPECT_EQ(message.word[0], 0x656c6f736e6f63ull);  // "console", little-endian
  EXPECT_TRUE(message.has_handle);
  EXPECT_EQ(message.handle, 0x9'0001u);
  EXPECT_STREQ(out.name, "console");
  EXPECT_EQ(out.handle, 0x9'0001u);

  expect_refused(NameRequest{"", 0x9'0001});
  expect_refused(NameRequest{"console", 0});
  WireMessage no_handle = message;
  no_handle.has_handle = false;
  EXPECT_EQ(decode_as<NameRequest>(no_handle), ProtocolStatus::kBadValue);
  WireMessage bad_name = message;
  bad_name.word[0] = 0x0a;  // a control character
  EXPECT_EQ(decode_as<NameRequest>(bad_name), ProtocolStatus::kBadValue);
}

TEST(WireCodecPackedWord, PutsEachPartAtItsBitsAndRefusesStrayBits) {
  WireMessage message;
  PackedRequest out = round_trip(PackedRequest{0xa, true}, &message);
  EXPECT_EQ(message.word[0], 0x10au);
  EXPECT_EQ(out.low, 0xa);
  EXPECT_TRUE(out.high);
  expect_refused(PackedRequest{0x10, false});
  for (uint64_t word : {0x10ull, 0x200ull, 1ull << 63}) {
    EXPECT_EQ(decode_as<PackedRequest>(make_message(0x7007, {word})), ProtocolStatus::kBadValue);
  }
}

TEST(WireCodecNested, ReadsTheInnerFieldsInPlaceAndChecksItsRule) {
  WireMessage message;
  NestedRequest out = round_trip(NestedRequest{{4, 5}}, &message);
  EXPECT_EQ(message.words, 2u);
  EXPECT_EQ(message.word[0], 4u);
  EXPECT_EQ(message.word[1], 5u);
  EXPECT_EQ(out.range.first, 4u);
  EXPECT_EQ(out.range.last, 5u);
  expect_refused(NestedRequest{{6, 5}});
  EXPECT_EQ(decode_as<NestedRequest>(make_message(0x7008, {6, 5})), ProtocolStatus::kBadValue);
  EXPECT_EQ(decode_as<NestedRequest>(make_message(0x7008, {1, 1ull << 32})),
            ProtocolStatus::kBadValue);
}

TEST(WireCodecNested, LeavesTheOutputAloneOnFailure) {
  NestedRequest out{{1, 2}};
  EXPECT_EQ(decode(make_message(0x7008, {6, 5}), &out), ProtocolStatus::kBadValue);
  EXPECT_EQ(out.range.first, 1u);
  EXPECT_EQ(out.range.last, 2u);
}

TEST(WireCodecReply, KOkCarriesTheFieldsAnyOtherStatusIsAlone) {
  WireMessage message;
  ValueReply out = round_trip(ValueReply{ProtocolStatus::kOk, 99, Shade::kDark}, &message);
  EXPECT_EQ(message.words, 3u);
  EXPECT_EQ(message.word[0], 0u);
  EXPECT_EQ(message.word[1], 99u);
  EXPECT_EQ(message.word[2], 2u);
  EXPECT_EQ(out.value, 99u);
  EXPECT_EQ(out.shade, Shade::kDark);

  out = round_trip(ValueReply{ProtocolStatus::kNotFound, 99, Shade::kDark}, &message);
  EXPECT_EQ(message.words, 1u);
  EXPECT_EQ(message.word[0], static_cast<uint64_t>(ProtocolStatus::kNotFound));
  EXPECT_EQ(out.status, ProtocolStatus::kNotFound);
  EXPECT_EQ(out.value, 7u);  // the default: an error reply carries no fields
  expect_refused(ValueReply{static_cast<ProtocolStatus>(kProtocolStatusCount), 1, Shade::kDark});
  expect_refused(ValueReply{ProtocolStatus::kOk, 1, static_cast<Shade>(0)});
}

TEST(WireCodecReply, ChecksTheCountForTheStatusItCarries) {
  EXPECT_EQ(decode_as<ValueReply>(make_message(0x7009, {0, 1})), ProtocolStatus::kTooShort);
  EXPECT_EQ(decode_as<ValueReply>(make_message(0x7009, {0, 1, 1, 0})), ProtocolStatus::kTooLong);
  EXPECT_EQ(decode_as<ValueReply>(make_message(0x7009, {5, 1, 1})), ProtocolStatus::kTooLong);
  EXPECT_EQ(decode_as<ValueReply>(make_message(0x7009, {})), ProtocolStatus::kTooShort);
  EXPECT_EQ(decode_as<ValueReply>(make_message(0x7009, {kProtocolStatusCount})),
            ProtocolStatus::kBadValue);
  EXPECT_EQ(decode_as<ValueReply>(make_message(0x7009, {0, 1, 3})), ProtocolStatus::kBadValue);
  EXPECT_EQ(decode_as<ValueReply>(make_message(0x7009, {5})), ProtocolStatus::kOk);
}

TEST(WireCodecReply, AProtocolThatMovesHandlesWantsOneExactlyWithKOk) {
  WireMessage message;
  HandleReply out = round_trip(HandleReply{ProtocolStatus::kOk, 3, 0x7'0001}, &message);
  EXPECT_TRUE(message.has_handle);
  EXPECT_EQ(out.handle, 0x7'0001u);
  expect_refused(HandleReply{ProtocolStatus::kOk, 3, 0});

  WireMessage without = message;
  without.has_handle = false;
  EXPECT_EQ(decode_as<HandleReply>(without), ProtocolStatus::kBadValue);
  WireMessage error_with_handle =
      make_message(0x700a, {static_cast<uint64_t>(ProtocolStatus::kBusy)});
  error_with_handle.has_handle = true;
  EXPECT_EQ(decode_as<HandleReply>(error_with_handle), ProtocolStatus::kBadValue);
  error_with_handle.has_handle = false;
  EXPECT_EQ(decode_as<HandleReply>(error_with_handle), ProtocolStatus::kOk);

  // A driver protocol (no kMovesHandles) does not look at the handle slot of a reply.
  WireMessage stray = encoded(ValueReply{ProtocolStatus::kOk, 1, Shade::kLight});
  stray.has_handle = true;
  EXPECT_EQ(decode_as<ValueReply>(stray), ProtocolStatus::kOk);
}

TEST(WireCodecIrregular, UsesItsOwnCodecForTheWholeReply) {
  WireMessage message;
  ListReply out = round_trip(ListReply{ProtocolStatus::kOk, {2, {10, 20, 0}}}, &message);
  EXPECT_EQ(message.words, 4u);
  EXPECT_EQ(message.word[1], 2u);
  EXPECT_EQ(out.list.count, 2u);
  EXPECT_EQ(out.list.items[1], 20u);
  out = round_trip(ListReply{ProtocolStatus::kOk, {0, {}}}, &message);
  EXPECT_EQ(message.words, 2u);
  expect_refused(ListReply{ProtocolStatus::kOk, {4, {}}});
  EXPECT_EQ(decode_as<ListReply>(make_message(0x700b, {0, 2, 1})), ProtocolStatus::kBadValue);
  EXPECT_EQ(decode_as<ListReply>(make_message(0x700b, {0, 1, 1, 1})), ProtocolStatus::kBadValue);
  EXPECT_EQ(decode_as<ListReply>(make_message(0x700b, {0, 4, 1, 1, 1, 1})),
            ProtocolStatus::kTooLong);
}

}  // namespace
}  // namespace bm::ipc::testing
