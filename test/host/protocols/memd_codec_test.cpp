// Host tests for the memd protocol's encode/decode (ipc/memd.h): round trips of every request
// and reply, the documented word layout, and the replies a decoder refuses.
#include "ipc/memd.h"
#include "test/host/protocols/wire_test_support.h"

namespace bm::ipc::memd {
namespace {

using testing::encoded;
using testing::make_message;
using testing::poisoned;
using testing::round_trip;

constexpr uint64_t kEdges[] = {0, 1, 16, 4096, 4097, 1ull << 32, ~0ull};

ClientStats sample_stats() {
  return ClientStats{0xbad0c0de, 1000, 3, 256, 2, 5000, 60000, 2, 4, 1024, 9,
                     HeapPolicy::kFixedBlock};
}

// The requests carry any value: memd, not the decoder, judges sizes, alignments and addresses.
TEST(MemdAlloc, RoundTripsAnySizeAndAlignment) {
  for (uint64_t size : kEdges) {
    for (uint64_t alignment : kEdges) {
      WireMessage message;
      AllocRequest out = round_trip(AllocRequest{size, alignment}, &message);
      EXPECT_EQ(message.label, kAlloc);
      EXPECT_EQ(message.words, 2u);
      EXPECT_EQ(message.word[0], size);
      EXPECT_EQ(message.word[1], alignment);
      EXPECT_EQ(out.size, size);
      EXPECT_EQ(out.alignment, alignment);
    }
  }
}

TEST(MemdFree, RoundTripsAnyAddress) {
  for (uint64_t address : kEdges) {
    WireMessage message;
    FreeRequest out = round_trip(FreeRequest{address}, &message);
    EXPECT_EQ(message.label, kFree);
    EXPECT_EQ(message.words, 1u);
    EXPECT_EQ(message.word[0], address);
    EXPECT_EQ(out.address, address);
  }
}

TEST(MemdRealloc, RoundTripsAddressThenSize) {
  for (uint64_t address : kEdges) {
    for (uint64_t size : kEdges) {
      WireMessage message;
      ReallocRequest out = round_trip(ReallocRequest{address, size}, &message);
      EXPECT_EQ(message.label, kRealloc);
      EXPECT_EQ(message.words, 2u);
      EXPECT_EQ(message.word[0], address);
      EXPECT_EQ(message.word[1], size);
      EXPECT_EQ(out.address, address);
      EXPECT_EQ(out.size, size);
    }
  }
}

TEST(MemdStats, RoundTripsAnyIndex) {
  for (uint64_t index : kEdges) {
    WireMessage message;
    StatsRequest out = round_trip(StatsRequest{index}, &message);
    EXPECT_EQ(message.label, kStats);
    EXPECT_EQ(message.words, 1u);
    EXPECT_EQ(message.word[0], index);
    EXPECT_EQ(out.index, index);
  }
}

TEST(MemdRequests, DecodeLeavesTheOutputAloneOnFailure) {
  AllocRequest alloc{7, 64};
  EXPECT_EQ(decode(make_message(kAlloc, {1}), &alloc), ProtocolStatus::kTooShort);
  EXPECT_EQ(decode(make_message(kAlloc, {1, 2, 3}), &alloc), ProtocolStatus::kTooLong);
  EXPECT_EQ(decode(make_message(kFree, {1, 2}), &alloc), ProtocolStatus::kUnknownLabel);
  EXPECT_EQ(alloc.size, 7u);
  EXPECT_EQ(alloc.alignment, 64u);
  ReallocRequest realloc{0x10, 20};
  EXPECT_EQ(decode(make_message(kRealloc, {}), &realloc), ProtocolStatus::kTooShort);
  EXPECT_EQ(realloc.address, 0x10u);
  StatsRequest stats{5};
  EXPECT_EQ(decode(make_message(kStats, {1, 2}), &stats), ProtocolStatus::kTooLong);
  EXPECT_EQ(stats.index, 5u);
}

TEST(MemdAddressReply, RoundTripsAlignedAddressesForAllocAndRealloc) {
  for (uint64_t address : {16ull, 0x1000'0000'0000ull, 0x1000'0000'0ff0ull, ~0ull << 4}) {
    WireMessage message;
    AllocReply alloc = round_trip(AllocReply{ProtocolStatus::kOk, address}, &message);
    EXPECT_EQ(message.label, kAlloc);
    EXPECT_EQ(message.words, 2u);
    EXPECT_EQ(message.word[0], 0u);
    EXPECT_EQ(message.word[1], address);
    EXPECT_EQ(alloc.address, address);
    ReallocReply realloc = round_trip(ReallocReply{ProtocolStatus::kOk, address}, &message);
    EXPECT_EQ(message.label, kRealloc);
    EXPECT_EQ(realloc.address, address);
  }
}

TEST(MemdAddressReply, ErrorsAreTheStatusWordAlone) {
  for (uint64_t value = 1; value < kProtocolStatusCount; ++value) {
    auto status = static_cast<ProtocolStatus>(value);
    WireMessage message;
    AllocReply out = round_trip(AllocReply{status, 0x1230}, &message);
    EXPECT_EQ(message.words, 1u);
    EXPECT_EQ(out.status, status);
    EXPECT_EQ(out.address, 0u);  // an error carries no address
  }
}

TEST(MemdAddressReply, RefusesAddressZeroOrBelowSixteenByteAlignment) {
  WireMessage message = poisoned();
  for (uint64_t bad : {0ull, 1ull, 8ull, 0x1000'0000'0008ull, ~0ull}) {
    EXPECT_FALSE(encode(AllocReply{ProtocolStatus::kOk, bad}, &message)) << bad;
    EXPECT_FALSE(encode(ReallocReply{ProtocolStatus::kOk, bad}, &message)) << bad;
  }
  EXPECT_EQ(message.word[0], testing::kPoison);
  AllocReply out{ProtocolStatus::kDoubleFree, 0x40};
  for (uint64_t bad : {0ull, 1ull, 8ull, 0x1000'0000'0008ull, ~0ull}) {
    EXPECT_EQ(decode(make_message(kAlloc, {0, bad}), &out), ProtocolStatus::kBadValue) << bad;
  }
  EXPECT_EQ(out.status, ProtocolStatus::kDoubleFree);  // untouched by the refusals
  EXPECT_EQ(out.address, 0x40u);
  EXPECT_EQ(decode(make_message(kAlloc, {7}), &out), ProtocolStatus::kOk);
  EXPECT_EQ(out.status, ProtocolStatus::kOutOfMemory);
}

TEST(MemdFreeReply, RoundTripsEveryStatus) {
  for (uint64_t value = 0; value < kProtocolStatusCount; ++value) {
    auto status = static_cast<ProtocolStatus>(value);
    WireMessage message;
    EXPECT_EQ(round_trip(FreeReply{status}, &message).status, status);
    EXPECT_EQ(message.label, kFree);
    EXPECT_EQ(message.words, 1u);
  }
}

TEST(MemdStatsReply, RoundTripsEveryFieldInThirteenWords) {
  const ClientStats in = sample_stats();
  WireMessage message;
  StatsReply out = round_trip(StatsReply{ProtocolStatus::kOk, in}, &message);
  EXPECT_EQ(message.label, kStats);
  ASSERT_EQ(message.words, kStatsReplyWords);
  const uint64_t expected[] = {0, 0xbad0c0de, 1000, 3, 256, 2, 5000, 60000, 2, 4, 1024, 9, 2};
  for (uint32_t i = 0; i < kStatsReplyWords; ++i) EXPECT_EQ(message.word[i], expected[i]) << i;
  EXPECT_EQ(out.stats.client_id, in.client_id);
  EXPECT_EQ(out.stats.bytes_in_use, in.bytes_in_use);
  EXPECT_EQ(out.stats.blocks_in_use, in.blocks_in_use);
  EXPECT_EQ(out.stats.cached_bytes, in.cached_bytes);
  EXPECT_EQ(out.stats.cached_blocks, in.cached_blocks);
  EXPECT_EQ(out.stats.peak_bytes, in.peak_bytes);
  EXPECT_EQ(out.stats.free_bytes, in.free_bytes);
  EXPECT_EQ(out.stats.failed_requests, in.failed_requests);
  EXPECT_EQ(out.stats.mapped_pages, in.mapped_pages);
  EXPECT_EQ(out.stats.pool_total_pages, in.pool_total_pages);
  EXPECT_EQ(out.stats.pool_used_pages, in.pool_used_pages);
  EXPECT_EQ(out.stats.policy, HeapPolicy::kFixedBlock);
}

TEST(MemdStatsReply, RoundTripsEveryPolicyAndAnEmptyClient) {
  for (uint64_t policy = 0; policy <= 2; ++policy) {
    ClientStats stats{};
    stats.policy = static_cast<HeapPolicy>(policy);
    WireMessage message;
    EXPECT_EQ(round_trip(StatsReply{ProtocolStatus::kOk, stats}, &message).stats.policy,
              stats.policy);
    EXPECT_EQ(message.word[12], policy);
  }
  WireMessage message;
  StatsReply out = round_trip(StatsReply{ProtocolStatus::kBadValue, sample_stats()}, &message);
  EXPECT_EQ(message.words, 1u);
  EXPECT_EQ(out.status, ProtocolStatus::kBadValue);
  EXPECT_EQ(out.stats.client_id, 0u);
}

// Each inconsistency a working memd cannot report, in the encoder and in the decoder.
TEST(MemdStatsReply, RefusesImpossibleStatistics) {
  struct Case {
    const char* what;
    uint32_t word;
    uint64_t value;
  };
  const Case cases[] = {
      {"policy 3", 12, 3},
      {"policy beyond 32 bits", 12, 1ull << 32},
      {"more used pool pages than the pool has", 11, 1025},
      {"more mapped pages than the pool uses", 9, 10},
      {"more blocks than bytes", 3, 1001},
      {"bytes in use above the peak", 2, 5001},
      {"more cached bytes than bytes in use", 4, 1001},
      {"more cached blocks than blocks in use", 5, 4},
      {"fewer cached bytes than cached blocks", 4, 1},
  };
  const WireMessage valid = encoded(StatsReply{ProtocolStatus::kOk, sample_stats()});
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    WireMessage message = valid;
    message.word[c.word] = c.value;
    StatsReply out{ProtocolStatus::kUnsupported, {}};
    EXPECT_EQ(decode(message, &out), ProtocolStatus::kBadValue);
    EXPECT_EQ(out.status, ProtocolStatus::kUnsupported);
    // The same statistics are refused by the encoder.
    ClientStats stats = sample_stats();
    uint64_t* fields[] = {nullptr,
                          &stats.client_id,
                          &stats.bytes_in_use,
                          &stats.blocks_in_use,
                          &stats.cached_bytes,
                          &stats.cached_blocks,
                          &stats.peak_bytes,
                          &stats.free_bytes,
                          &stats.failed_requests,
                          &stats.mapped_pages,
                          &stats.pool_total_pages,
                          &stats.pool_used_pages};
    if (c.word == 12) {
      stats.policy = static_cast<HeapPolicy>(c.value);
    } else {
      *fields[c.word] = c.value;
    }
    WireMessage refused = poisoned();
    EXPECT_FALSE(encode(StatsReply{ProtocolStatus::kOk, stats}, &refused));
    EXPECT_EQ(refused.word[0], testing::kPoison);
  }
}

TEST(MemdProtocol, LabelsNamesAndPolicyNamesFollowTheTable) {
  EXPECT_EQ(kAlloc, 0x401u);
  EXPECT_EQ(kFree, 0x402u);
  EXPECT_EQ(kRealloc, 0x403u);
  EXPECT_EQ(kStats, 0x404u);
  EXPECT_EQ(kRefill, 0x405u);
  EXPECT_EQ(kDrain, 0x406u);
  EXPECT_EQ(kAlloc, kMemdLabelBase + 1);
  EXPECT_STREQ(kMessages[0].name, "alloc");
  EXPECT_STREQ(kMessages[3].name, "stats");
  EXPECT_STREQ(kMessages[4].name, "refill");
  EXPECT_STREQ(kMessages[5].name, "drain");
}

// A batch of `count` made-up block addresses.
BlockList blocks(uint32_t count) {
  BlockList list;
  list.count = count;
  for (uint32_t i = 0; i < count; ++i) list.word[i] = 0x1000'0000'0000 + 16 * (i + 1);
  return list;
}

TEST(MemdRefill, RequestIsSizeThenCountFromOneToTheBatchLimit) {
  WireMessage message;
  RefillRequest out = round_trip(RefillRequest{64, kMaxBatch}, &message);
  EXPECT_EQ(message.label, kRefill);
  EXPECT_EQ(message.words, 2u);
  EXPECT_EQ(message.word[0], 64u);
  EXPECT_EQ(message.word[1], kMaxBatch);
  EXPECT_EQ(out.size, 64u);
  EXPECT_EQ(out.count, kMaxBatch);
  for (uint64_t count : {uint64_t{0}, uint64_t{kMaxBatch} + 1, ~uint64_t{0}}) {
    RefillRequest untouched{1, 1};
    EXPECT_EQ(decode(make_message(kRefill, {64, count}), &untouched), ProtocolStatus::kBadValue);
    EXPECT_EQ(untouched.size, 1u);
    EXPECT_FALSE(encode(RefillRequest{64, count}, &message)) << count;
  }
}

TEST(MemdRefill, ReplyIsACountThenTheBlocks) {
  for (uint32_t count : {1u, 2u, kMaxBatch}) {
    WireMessage message;
    RefillReply out = round_trip(RefillReply{ProtocolStatus::kOk, blocks(count)}, &message);
    ASSERT_EQ(message.words, 2 + count);  // more than the registers hold: the IPC buffer
    EXPECT_EQ(message.word[0], 0u);
    EXPECT_EQ(message.word[1], count);
    ASSERT_EQ(out.blocks.count, count);
    for (uint32_t i = 0; i < count; ++i) EXPECT_EQ(out.blocks.word[i], blocks(count).word[i]);
  }
  WireMessage message;
  RefillReply refused = round_trip(RefillReply{ProtocolStatus::kOutOfMemory, blocks(3)}, &message);
  EXPECT_EQ(message.words, 1u);
  EXPECT_EQ(refused.blocks.count, 0u);
}

TEST(MemdRefill, ReplyDecoderRefusesBadCountsAndAddresses) {
  RefillReply out;
  EXPECT_EQ(decode(make_message(kRefill, {0, 0}), &out), ProtocolStatus::kTooShort);
  EXPECT_EQ(decode(make_message(kRefill, {0, 2, 0x1000'0000'0010}), &out),
            ProtocolStatus::kTooShort);  // says two, brings one
  EXPECT_EQ(decode(make_message(kRefill, {0, 1, 0x1000'0000'0010, 0x20}), &out),
            ProtocolStatus::kTooLong);  // says one, brings two
  EXPECT_EQ(decode(make_message(kRefill, {0, 1, 0x1000'0000'0008}), &out),
            ProtocolStatus::kBadValue);  // not 16-byte aligned
  EXPECT_EQ(decode(make_message(kRefill, {0, 1, 0}), &out), ProtocolStatus::kBadValue);
  BlockList zero = blocks(2);
  zero.word[1] = 0;
  WireMessage message = poisoned();
  EXPECT_FALSE(encode(RefillReply{ProtocolStatus::kOk, zero}, &message));
  EXPECT_FALSE(encode(RefillReply{ProtocolStatus::kOk, blocks(0)}, &message));
  EXPECT_EQ(message.word[0], testing::kPoison);
}

TEST(MemdDrain, RequestIsACountThenTheBlocks) {
  WireMessage message;
  DrainRequest out = round_trip(DrainRequest{blocks(kMaxBatch)}, &message);
  EXPECT_EQ(message.label, kDrain);
  EXPECT_EQ(message.words, 1 + kMaxBatch);
  EXPECT_EQ(message.word[0], kMaxBatch);
  EXPECT_EQ(out.blocks.count, kMaxBatch);
  EXPECT_EQ(out.blocks.word[kMaxBatch - 1], blocks(kMaxBatch).word[kMaxBatch - 1]);
  // Any address travels (memd judges them); an empty drain does not.
  BlockList odd = blocks(1);
  odd.word[0] = 8;
  EXPECT_EQ(round_trip(DrainRequest{odd}, &message).blocks.word[0], 8u);
  EXPECT_FALSE(encode(DrainRequest{blocks(0)}, &message));
  DrainRequest untouched{blocks(1)};
  EXPECT_EQ(decode(make_message(kDrain, {0}), &untouched), ProtocolStatus::kTooShort);
  EXPECT_EQ(decode(make_message(kDrain, {3, 16, 32}), &untouched), ProtocolStatus::kTooShort);
  EXPECT_EQ(decode(make_message(kDrain, {0, 16}), &untouched), ProtocolStatus::kBadValue);
  EXPECT_EQ(decode(make_message(kDrain, {kMaxBatch + 1, 16}), &untouched),
            ProtocolStatus::kBadValue);
  EXPECT_EQ(untouched.blocks.count, 1u);
}

// A server keeps its messages in static storage and the codecs run at compile time.
constexpr bool stats_round_trip_at_compile_time() {
  WireMessage message{};
  ClientStats stats{};
  stats.policy = HeapPolicy::kLinkedList;
  if (!encode(StatsReply{ProtocolStatus::kOk, stats}, &message)) return false;
  StatsReply out;
  return decode(message, &out) == ProtocolStatus::kOk &&
         out.stats.policy == HeapPolicy::kLinkedList && message.words == kStatsReplyWords;
}
static_assert(stats_round_trip_at_compile_time());

}  // namespace
}  // namespace bm::ipc::memd
