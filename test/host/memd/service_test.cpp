// The memd protocol end to end in one process: typed client calls through the in-process
// transport (registers plus IPC buffer, as the kernel copies them) to serve_request over a
// HeapManager, one endpoint per caller badge.
#include "ipc/memd.h"
#include "servers/memd/memd_service.h"
#include "servers/memd/memd_status.h"
#include "test/host/memd/memd_test_support.h"
#include "test/host/protocols/transport.h"

namespace bm::memd::testing {
namespace {

using ipc::ProtocolStatus;
using ipc::WireMessage;
using ipc::testing::Client;
using ipc::testing::InProcessEndpoint;
using ipc::testing::make_message;
using namespace ipc::memd;

constexpr size_t kLimit = 1024 * 1024;

// memd with one endpoint per badge, as the kernel gives each caller its own badged handle.
struct Service {
  explicit Service(Policy policy = Policy::kLinkedList, size_t pool_pages = 512)
      : memd(policy, pool_pages, kLimit) {}

  Client& caller(uint64_t badge) {
    auto& slot = callers[badge];
    if (!slot) {
      slot = std::make_unique<Caller>();
      slot->endpoint = std::make_unique<InProcessEndpoint>(
          [this, badge](const WireMessage& request, WireMessage* reply) {
            serve_request(*memd.heap, badge, request, reply);
          });
      slot->client = std::make_unique<Client>(slot->endpoint.get());
    }
    return *slot->client;
  }
  uint64_t alloc(uint64_t badge, uint64_t size, uint64_t alignment = 16) {
    AllocReply reply;
    EXPECT_EQ(caller(badge).call(AllocRequest{size, alignment}, &reply), ProtocolStatus::kOk);
    return reply.address;
  }

  struct Caller {
    std::unique_ptr<InProcessEndpoint> endpoint;
    std::unique_ptr<Client> client;
  };
  Memd memd;
  std::map<uint64_t, std::unique_ptr<Caller>> callers;
};

TEST(MemdService, AllocFreeAndReallocRoundTrip) {
  Service service;
  const uint64_t address = service.alloc(7, 300, 256);
  EXPECT_EQ(address % 256, 0u);
  EXPECT_TRUE(service.memd.write_pattern(0, address, 300, 1));
  ReallocReply moved;
  EXPECT_EQ(service.caller(7).call(ReallocRequest{address, 5000}, &moved), ProtocolStatus::kOk);
  EXPECT_TRUE(service.memd.has_pattern(0, moved.address, 300, 1));
  FreeReply freed;
  EXPECT_EQ(service.caller(7).call(FreeRequest{moved.address}, &freed), ProtocolStatus::kOk);
  EXPECT_EQ(service.caller(7).call(FreeRequest{moved.address}, &freed),
            ProtocolStatus::kDoubleFree);
  EXPECT_EQ(service.memd.memory->mapped_pages(), 0u);
}

TEST(MemdService, StatsTravelThroughTheIpcBuffer) {
  Service service(Policy::kFixedBlock);
  service.alloc(0xb1, 100);
  service.alloc(0xb2, 9000);
  service.alloc(0xb2, 1);
  AllocReply refused;
  EXPECT_EQ(service.caller(0xb2).call(AllocRequest{0, 16}, &refused), ProtocolStatus::kBadSize);
  StatsReply reply;
  EXPECT_EQ(service.caller(0xb1).call(StatsRequest{1}, &reply), ProtocolStatus::kOk);
  const ClientStats& stats = reply.stats;
  EXPECT_EQ(stats.client_id, 0xb2u);
  EXPECT_EQ(stats.bytes_in_use, 9001u);
  EXPECT_EQ(stats.blocks_in_use, 2u);
  EXPECT_EQ(stats.peak_bytes, 9001u);
  EXPECT_EQ(stats.failed_requests, 1u);
  EXPECT_EQ(stats.mapped_pages, service.memd.memory->mappings(1).size());
  EXPECT_EQ(stats.pool_total_pages, 512u);
  EXPECT_EQ(stats.pool_used_pages, service.memd.memory->mapped_pages());
  EXPECT_EQ(stats.policy, HeapPolicy::kFixedBlock);
  EXPECT_EQ(service.caller(0xb1).call(StatsRequest{2}, &reply), ProtocolStatus::kBadValue);
  // Anyone may ask, without becoming a client.
  EXPECT_EQ(service.caller(0x99).call(StatsRequest{0}, &reply), ProtocolStatus::kOk);
  EXPECT_EQ(service.memd.heap->client_count(), 2u);
}

TEST(MemdService, EveryErrorHasItsStatus) {
  Service service(Policy::kBump, 4);
  const uint64_t block = service.alloc(5, 64);
  AllocReply alloc;
  EXPECT_EQ(service.caller(5).call(AllocRequest{0, 16}, &alloc), ProtocolStatus::kBadSize);
  EXPECT_EQ(service.caller(5).call(AllocRequest{kLimit + 1, 16}, &alloc), ProtocolStatus::kBadSize);
  EXPECT_EQ(service.caller(5).call(AllocRequest{64, 3}, &alloc), ProtocolStatus::kBadAlignment);
  EXPECT_EQ(service.caller(5).call(AllocRequest{64, 8192}, &alloc), ProtocolStatus::kBadAlignment);
  EXPECT_EQ(service.caller(5).call(AllocRequest{5 * kPageSize, 16}, &alloc),
            ProtocolStatus::kOutOfMemory);  // the pool has 4 pages
  EXPECT_EQ(alloc.address, 0u);
  FreeReply freed;
  EXPECT_EQ(service.caller(5).call(FreeRequest{block + 16}, &freed), ProtocolStatus::kNotAllocated);
  EXPECT_EQ(service.caller(5).call(FreeRequest{0x1000}, &freed), ProtocolStatus::kNotAllocated);
  ReallocReply moved;
  EXPECT_EQ(service.caller(5).call(ReallocRequest{block, 0}, &moved), ProtocolStatus::kBadSize);
  EXPECT_EQ(service.caller(5).call(FreeRequest{block}, &freed), ProtocolStatus::kOk);
  EXPECT_EQ(service.caller(5).call(FreeRequest{block}, &freed), ProtocolStatus::kDoubleFree);
  EXPECT_EQ(service.caller(5).call(ReallocRequest{block, 8}, &moved), ProtocolStatus::kDoubleFree);
  EXPECT_EQ(service.memd.stats_of(5).failed_requests, 10u);
}

TEST(MemdService, CallersBecomeClientsByAllocating) {
  Service service;
  FreeReply freed;
  EXPECT_EQ(service.caller(1).call(FreeRequest{0}, &freed), ProtocolStatus::kOk);
  EXPECT_EQ(service.caller(1).call(FreeRequest{kClientHeapBase + 16}, &freed),
            ProtocolStatus::kNotAllocated);
  ReallocReply moved;
  EXPECT_EQ(service.caller(1).call(ReallocRequest{kClientHeapBase + 16, 8}, &moved),
            ProtocolStatus::kNotAllocated);
  EXPECT_EQ(service.memd.heap->client_count(), 0u);
  EXPECT_EQ(service.caller(1).call(ReallocRequest{0, 8}, &moved), ProtocolStatus::kOk);
  EXPECT_EQ(moved.address % 16, 0u);
  EXPECT_EQ(service.memd.heap->client_count(), 1u);
  // A full table is out of memory for a newcomer, and nothing for the clients it holds.
  for (uint64_t badge = 100; badge < 100 + kMaxClients - 1; ++badge) service.alloc(badge, 8);
  AllocReply alloc;
  EXPECT_EQ(service.caller(999).call(AllocRequest{8, 16}, &alloc), ProtocolStatus::kOutOfMemory);
  EXPECT_EQ(service.caller(999).call(ReallocRequest{0, 8}, &moved), ProtocolStatus::kOutOfMemory);
  EXPECT_NE(service.alloc(1, 8), 0u);
}

TEST(MemdService, AnswersEachMalformedRequestThenServesTheNext) {
  Service service;
  struct Case {
    const char* what;
    WireMessage message;
    ProtocolStatus expected;
  };
  const Case cases[] = {
      {"alloc without alignment", make_message(kAlloc, {16}), ProtocolStatus::kTooShort},
      {"alloc with a third word", make_message(kAlloc, {16, 16, 0}), ProtocolStatus::kTooLong},
      {"free without address", make_message(kFree, {}), ProtocolStatus::kTooShort},
      {"realloc with one word", make_message(kRealloc, {0}), ProtocolStatus::kTooShort},
      {"stats with two words", make_message(kStats, {0, 0}), ProtocolStatus::kTooLong},
      {"refill without count", make_message(kRefill, {16}), ProtocolStatus::kTooShort},
      {"drain of nothing", make_message(kDrain, {0}), ProtocolStatus::kTooShort},
      {"drain with a wrong count", make_message(kDrain, {2, 16}), ProtocolStatus::kTooShort},
      {"label 0x407", make_message(0x407, {}), ProtocolStatus::kUnknownLabel},
      {"a console write", make_message(ipc::console::kWrite, {0}), ProtocolStatus::kUnknownLabel},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    EXPECT_EQ(service.caller(3).call_raw(c.message), c.expected);
    EXPECT_NE(service.alloc(3, 24), 0u);
  }
  EXPECT_EQ(service.memd.stats_of(3).failed_requests, 0u);  // malformed is not a heap failure
}

TEST(MemdService, RefillAndDrainTravelThroughTheIpcBuffer) {
  Service service(Policy::kFixedBlock);
  RefillReply refill;
  ASSERT_EQ(service.caller(4).call(RefillRequest{64, kMaxBatch}, &refill), ProtocolStatus::kOk);
  ASSERT_EQ(refill.blocks.count, kMaxBatch);
  for (uint32_t i = 0; i < kMaxBatch; ++i) {
    EXPECT_EQ(refill.blocks.word[i] % 16, 0u);
    EXPECT_TRUE(service.memd.write_pattern(0, refill.blocks.word[i], 64, i));
  }
  ipc::memd::ClientStats stats = service.memd.stats_of(4);
  EXPECT_EQ(stats.cached_blocks, kMaxBatch);
  EXPECT_EQ(stats.cached_bytes, 64u * kMaxBatch);
  EXPECT_EQ(stats.blocks_in_use, kMaxBatch);
  // One by one, a cached block is refused; in a drain, it goes back.
  FreeReply freed;
  EXPECT_EQ(service.caller(4).call(FreeRequest{refill.blocks.word[0]}, &freed),
            ProtocolStatus::kDoubleFree);
  DrainReply drained;
  EXPECT_EQ(service.caller(4).call(DrainRequest{refill.blocks}, &drained), ProtocolStatus::kOk);
  stats = service.memd.stats_of(4);
  EXPECT_EQ(stats.blocks_in_use, 0u);
  EXPECT_EQ(stats.cached_bytes, 0u);
  EXPECT_EQ(stats.failed_requests, 1u);
  EXPECT_EQ(service.memd.memory->mapped_pages(), 0u);
  // A second drain of the same blocks: every one refused, counted, nothing changed.
  EXPECT_EQ(service.caller(4).call(DrainRequest{refill.blocks}, &drained),
            ProtocolStatus::kDoubleFree);
  EXPECT_EQ(service.memd.stats_of(4).failed_requests, 1u + kMaxBatch);
  // Sizes memd does not cache, and a drain from a caller that is no client.
  EXPECT_EQ(service.caller(4).call(RefillRequest{24, 1}, &refill), ProtocolStatus::kBadSize);
  EXPECT_EQ(service.caller(4).call(RefillRequest{kMaxRefillSize + 16, 1}, &refill),
            ProtocolStatus::kBadSize);
  BlockList one;
  one.count = 1;
  one.word[0] = kClientHeapBase + 16;
  EXPECT_EQ(service.caller(77).call(DrainRequest{one}, &drained), ProtocolStatus::kNotAllocated);
}

TEST(MemdStatus, EachHeapErrorMapsToItsProtocolStatus) {
  EXPECT_EQ(memd_status(Error::kOk), ProtocolStatus::kOk);
  EXPECT_EQ(memd_status(Error::kOutOfMemory), ProtocolStatus::kOutOfMemory);
  EXPECT_EQ(memd_status(Error::kNoSlots), ProtocolStatus::kOutOfMemory);
  EXPECT_EQ(memd_status(Error::kBadAlignment), ProtocolStatus::kBadAlignment);
  EXPECT_EQ(memd_status(Error::kInvalidArgument), ProtocolStatus::kBadSize);
  EXPECT_EQ(memd_status(Error::kForeignPointer), ProtocolStatus::kNotAllocated);
  EXPECT_EQ(memd_status(Error::kDoubleFree), ProtocolStatus::kDoubleFree);
  EXPECT_EQ(memd_status(Error::kOutOfRange), ProtocolStatus::kBadValue);
  EXPECT_EQ(memd_status(Error::kInvalidHandle), ProtocolStatus::kBadValue);
}

}  // namespace
}  // namespace bm::memd::testing
