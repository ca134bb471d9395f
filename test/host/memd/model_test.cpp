// Randomised model test: 100 000 seeded alloc/free/realloc requests (valid and invalid) per
// policy from two clients, each checked against a model of the live blocks: placement,
// alignment, no overlap, contents through the client's own view of its pages, the pages
// mapped, and every statistic exactly.
#include <algorithm>
#include <deque>
#include <map>
#include <optional>
#include <random>
#include <unordered_map>

#include "test/host/memd/memd_test_support.h"

namespace bm::memd::testing {
namespace {

constexpr size_t kSteps = 100000;
constexpr size_t kLimit = 4 * 1024 * 1024;
constexpr size_t kPoolPages = 2 * kLimit / kPageSize;  // never the limiting factor here
constexpr size_t kTargetLive = 300;                    // blocks per client, roughly
constexpr size_t kFullCheckEvery = 2000;

struct Block {
  size_t size;
  uint64_t seed;
};

// What one client should have, by the model.
struct ClientModel {
  uint64_t id = 0;
  ClientSlot slot = 0;
  std::map<uint64_t, Block> live;   // by address
  std::vector<uint64_t> addresses;  // the same blocks, for picking one at random
  std::unordered_map<uint64_t, size_t> position;
  std::map<uint64_t, int> pages;  // heap page index -> live blocks touching it
  std::deque<uint64_t> recently_freed;
  uint64_t bytes = 0;
  uint64_t peak = 0;
  uint64_t failed = 0;
  uint64_t out_of_memory = 0;  // of the failures
  uint64_t bump_cursor = 0;    // offset where a bump heap places its next header
  bool draining = false;
};

class MemdModel : public ::testing::TestWithParam<Policy> {
 protected:
  Policy policy() const { return GetParam(); }

  size_t random_size() {
    const auto pick = [this](size_t low, size_t high) {
      return std::uniform_int_distribution<size_t>(low, high)(rng_);
    };
    const size_t bucket = pick(0, 99);
    if (bucket < 60) return pick(1, 64);
    if (bucket < 85) return pick(65, 512);
    if (bucket < 95) return pick(513, 2048);
    return pick(2049, 12000);
  }
  uint64_t random_alignment() {
    if (rng_() % 100 < 70) return 16;
    return uint64_t{1} << (rng_() % 13);
  }

  // Where a bump heap puts the next block (its offset), or nothing when the limit is in the
  // way: a 16-byte header at the cursor, the block aligned after it, then the cursor moves
  // past it to the next 16 bytes.
  std::optional<uint64_t> bump_place(const ClientModel& client, size_t size,
                                     uint64_t alignment) const {
    const uint64_t align = std::max<uint64_t>(alignment, 16);
    const uint64_t offset = (client.bump_cursor + 16 + align - 1) & ~(align - 1);
    if (offset + size > kLimit) return std::nullopt;
    return offset;
  }

  static void count_pages(ClientModel& client, uint64_t address, size_t size, int delta) {
    const uint64_t first = (address - kClientHeapBase) / kPageSize;
    const uint64_t end = (address - kClientHeapBase + size + kPageSize - 1) / kPageSize;
    for (uint64_t page = first; page < end; ++page) {
      if ((client.pages[page] += delta) == 0) client.pages.erase(page);
    }
  }

  void add_block(ClientModel& client, uint64_t address, size_t size, uint64_t seed) {
    // No overlap with the neighbours on either side.
    auto next = client.live.lower_bound(address);
    if (next != client.live.end()) {
      ASSERT_LE(address + size, next->first) << "overlaps the next block";
    }
    if (next != client.live.begin()) {
      auto previous = std::prev(next);
      ASSERT_LE(previous->first + previous->second.size, address) << "overlaps the previous";
    }
    ASSERT_GE(address, kClientHeapBase);
    ASSERT_LE(address + size, kClientHeapBase + kLimit);
    client.live[address] = {size, seed};
    client.position[address] = client.addresses.size();
    client.addresses.push_back(address);
    count_pages(client, address, size, +1);
    client.bytes += size;
    if (policy() == Policy::kBump) {
      client.bump_cursor = (address - kClientHeapBase + size + 15) & ~uint64_t{15};
    }
    ASSERT_TRUE(memd_.write_pattern(client.slot, address, size, seed));
  }

  void remove_block(ClientModel& client, uint64_t address) {
    const Block block = client.live.at(address);
    const size_t index = client.position.at(address);
    client.position[client.addresses.back()] = index;
    client.addresses[index] = client.addresses.back();
    client.addresses.pop_back();
    client.position.erase(address);
    client.live.erase(address);
    count_pages(client, address, block.size, -1);
    client.bytes -= block.size;
    if (policy() == Policy::kBump && client.live.empty()) client.bump_cursor = 0;
    client.recently_freed.push_back(address);
    if (client.recently_freed.size() > 16) client.recently_freed.pop_front();
  }

  void note_peak(ClientModel& client) { client.peak = std::max(client.peak, client.bytes); }

  void expect_failure(ClientModel& client, Error actual, std::initializer_list<Error> allowed,
                      const char* what) {
    bool found = false;
    for (Error error : allowed) found = found || error == actual;
    EXPECT_TRUE(found) << what << ": " << error_name(actual);
    ++client.failed;
    if (actual == Error::kOutOfMemory) ++client.out_of_memory;
  }

  void do_alloc(ClientModel& client, uint64_t seed) {
    const size_t size = random_size();
    const uint64_t alignment = random_alignment();
    auto address = memd_.heap->alloc(client.id, size, alignment);
    if (policy() == Policy::kBump) {
      const auto expected = bump_place(client, size, alignment);
      if (!expected) {
        expect_failure(client, address.error(), {Error::kOutOfMemory}, "full bump heap");
        return;
      }
      ASSERT_TRUE(address.ok()) << error_name(address.error());
      ASSERT_EQ(*address, kClientHeapBase + *expected);
    }
    ASSERT_TRUE(address.ok()) << error_name(address.error()) << " for " << size;
    ASSERT_EQ(*address % std::max<uint64_t>(alignment, 16), 0u);
    add_block(client, *address, size, seed);
    note_peak(client);
  }

  void do_free(ClientModel& client) {
    const uint64_t address = client.addresses[rng_() % client.addresses.size()];
    const Block block = client.live.at(address);
    ASSERT_TRUE(memd_.has_pattern(client.slot, address, block.size, block.seed));
    ASSERT_TRUE(memd_.heap->free(client.id, address).ok());
    remove_block(client, address);
  }

  void do_realloc(ClientModel& client, uint64_t seed) {
    const size_t size = random_size();
    if (client.addresses.empty() || rng_() % 10 == 0) {
      auto address = memd_.heap->realloc(client.id, 0, size);
      if (policy() == Policy::kBump && !bump_place(client, size, 16)) {
        expect_failure(client, address.error(), {Error::kOutOfMemory}, "realloc(0) full bump");
        return;
      }
      ASSERT_TRUE(address.ok());
      ASSERT_EQ(*address % 16, 0u);
      add_block(client, *address, size, seed);
      note_peak(client);
      return;
    }
    const uint64_t old = client.addresses[rng_() % client.addresses.size()];
    const Block block = client.live.at(old);
    ASSERT_TRUE(memd_.has_pattern(client.slot, old, block.size, block.seed));
    auto address = memd_.heap->realloc(client.id, old, size);
    if (policy() == Policy::kBump) {
      const auto expected = bump_place(client, size, 16);
      if (!expected) {
        expect_failure(client, address.error(), {Error::kOutOfMemory}, "realloc full bump");
        ASSERT_TRUE(memd_.has_pattern(client.slot, old, block.size, block.seed));
        return;
      }
      ASSERT_TRUE(address.ok());
      ASSERT_EQ(*address, kClientHeapBase + *expected);
    }
    ASSERT_TRUE(address.ok()) << error_name(address.error());
    ASSERT_EQ(*address % 16, 0u);
    // The kept prefix moved with the block.
    const size_t kept = std::min(block.size, size);
    ASSERT_TRUE(memd_.has_pattern(client.slot, *address, kept, block.seed));
    remove_block(client, old);
    add_block(client, *address, size, seed);
    note_peak(client);
  }

  // A request memd must refuse, changing nothing but the failure count.
  void do_invalid(ClientModel& client) {
    const uint64_t base = kClientHeapBase;
    switch (rng_() % 7) {
      case 0: {
        const uint64_t size = rng_() % 2 == 0 ? 0 : kLimit + 1 + rng_() % 1000;
        expect_failure(client, memd_.heap->alloc(client.id, size, 16).error(),
                       {Error::kInvalidArgument}, "bad size");
        break;
      }
      case 1: {
        const uint64_t alignments[] = {0, 3, 48, 8192, 1ull << 40};
        expect_failure(client, memd_.heap->alloc(client.id, 64, alignments[rng_() % 5]).error(),
                       {Error::kBadAlignment}, "bad alignment");
        break;
      }
      case 2: {  // outside the heap
        const uint64_t address =
            rng_() % 2 == 0 ? base - 16 * (1 + rng_() % 100) : base + kLimit + 16 * (rng_() % 100);
        expect_failure(client, memd_.heap->free(client.id, address).error(),
                       {Error::kForeignPointer}, "outside the heap");
        break;
      }
      case 3: {  // anywhere in the heap that is not a block's start
        uint64_t address = base + (rng_() % kLimit & ~uint64_t{15});
        if (rng_() % 4 == 0) address += 1 + rng_() % 15;
        if (client.live.count(address) != 0) return;
        expect_failure(client, memd_.heap->free(client.id, address).error(),
                       {Error::kForeignPointer, Error::kDoubleFree}, "not a block");
        break;
      }
      case 4: {  // inside a live block
        if (client.addresses.empty()) return;
        const uint64_t address = client.addresses[rng_() % client.addresses.size()];
        const uint64_t inside = address + 16 * (1 + rng_() % 4);
        if (inside >= address + client.live.at(address).size) return;
        expect_failure(client, memd_.heap->realloc(client.id, inside, 8).error(),
                       {Error::kForeignPointer, Error::kDoubleFree}, "inside a block");
        break;
      }
      default: {  // freed a moment ago and not handed out again
        if (client.recently_freed.empty()) return;
        const uint64_t address = client.recently_freed[rng_() % client.recently_freed.size()];
        if (client.live.count(address) != 0) return;
        const Error error = memd_.heap->free(client.id, address).error();
        if (policy() == Policy::kBump) {
          expect_failure(client, error, {Error::kDoubleFree}, "double free");
        } else {  // its memory may belong to a larger block by now
          expect_failure(client, error, {Error::kDoubleFree, Error::kForeignPointer},
                         "double free");
        }
        break;
      }
    }
  }

  void check_stats(const ClientModel& client, uint64_t pool_used) {
    const auto stats = memd_.stats_of(client.id);
    ASSERT_EQ(stats.bytes_in_use, client.bytes);
    ASSERT_EQ(stats.blocks_in_use, client.live.size());
    ASSERT_EQ(stats.peak_bytes, client.peak);
    ASSERT_EQ(stats.failed_requests, client.failed);
    ASSERT_EQ(stats.mapped_pages, client.pages.size());
    ASSERT_EQ(stats.pool_used_pages, pool_used);
    ASSERT_EQ(stats.pool_total_pages, kPoolPages);
    ASSERT_EQ(stats.policy, policy());
    ASSERT_LE(stats.free_bytes, memd_.memory->shadow_bytes(client.slot));
  }

  // What is too slow for every step: the whole mapping table and every block's bytes.
  void full_check(const ClientModel& client) {
    std::vector<uint64_t> expected;
    for (const auto& [page, count] : client.pages) {
      expected.push_back(kClientHeapBase + page * kPageSize);
    }
    std::vector<uint64_t> mapped;
    for (const auto& [address, page] : memd_.memory->mappings(client.slot)) {
      mapped.push_back(address);
    }
    ASSERT_EQ(mapped, expected);
    for (const auto& [address, block] : client.live) {
      ASSERT_TRUE(memd_.has_pattern(client.slot, address, block.size, block.seed));
    }
    ASSERT_TRUE(memd_.memory->violations().empty()) << memd_.memory->violations().front();
  }

  void step(ClientModel& client, uint64_t seed) {
    const int drains_per_100k = policy() == Policy::kBump ? 10 : 30;
    if (!client.draining && client.live.size() > 20 &&
        std::uniform_int_distribution<int>(0, 99999)(rng_) < drains_per_100k) {
      client.draining = true;
    }
    if (client.draining) {
      if (client.addresses.empty()) {
        client.draining = false;
        EXPECT_EQ(memd_.memory->mappings(client.slot).size(), 0u);  // nothing live, no pages
      } else {
        do_free(client);
      }
      return;
    }
    const int roll = static_cast<int>(rng_() % 100);
    const int alloc_share = client.live.size() < kTargetLive ? 50 : 35;
    if (roll < alloc_share || client.addresses.empty()) {
      do_alloc(client, seed);
    } else if (roll < 80) {
      do_free(client);
    } else if (roll < 93) {
      do_realloc(client, seed);
    } else {
      do_invalid(client);
    }
  }

  std::mt19937_64 rng_{0x6d656d64};  // "memd"
  Memd memd_{GetParam(), kPoolPages, kLimit};
};
INSTANTIATE_TEST_SUITE_P(Policies, MemdModel, ::testing::ValuesIn(kPolicies), policy_name);

TEST_P(MemdModel, RandomRequestsFromTwoClientsMatchTheModel) {
  ClientModel clients[2];
  clients[0].id = 0x1111;
  clients[1].id = 0x2222;
  for (ClientModel& client : clients) client.slot = memd_.add(client.id);
  for (size_t i = 1; i <= kSteps; ++i) {
    ClientModel& client = clients[rng_() % 2];
    step(client, i);
    if (HasFatalFailure()) FAIL() << "at step " << i;
    check_stats(client, clients[0].pages.size() + clients[1].pages.size());
    if (HasFatalFailure()) FAIL() << "at step " << i;
    if (i % kFullCheckEvery == 0) {
      for (const ClientModel& each : clients) full_check(each);
      if (HasFatalFailure()) FAIL() << "at step " << i;
    }
  }
  for (ClientModel& client : clients) {
    // The run must have reached the interesting places.
    EXPECT_GT(client.peak, 100000u);
    EXPECT_GT(client.failed, 500u);
    // A bump heap fills up between its resets; the others never come near the limit.
    if (policy() == Policy::kBump) {
      EXPECT_GT(client.out_of_memory, 100u);
    } else {
      EXPECT_EQ(client.out_of_memory, 0u);
    }
    memd_.heap->remove_client(client.id);
  }
  EXPECT_EQ(memd_.heap->pool_used_pages(), 0u);
  EXPECT_EQ(memd_.memory->mapped_pages(), 0u);
  expect_no_violations(*memd_.memory);
}

}  // namespace
}  // namespace bm::memd::testing
