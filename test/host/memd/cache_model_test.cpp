// memd's model test with the runtime's block cache in the loop: per policy, two programs make
// seeded mallocs, frees, reallocs and double frees, each through its own BlockCache
// (user/block_cache.h) whose refills and drains go straight to the HeapManager, and with what
// the cache does not serve going to memd one by one, routed as user/heap.cpp routes it. After
// every step memd's figures must be what the program holds plus what its cache holds, exactly;
// blocks never overlap and keep their bytes; and a client that ends with blocks in its cache
// gives every page back.
#include <map>
#include <random>
#include <vector>

#include "servers/memd/memd_status.h"
#include "test/host/memd/memd_test_support.h"
#include "user/block_cache.h"

namespace bm::memd::testing {
namespace {

using ipc::ProtocolStatus;
using user::BlockCache;

constexpr size_t kSteps = 40000;
constexpr size_t kLimit = 4 * 1024 * 1024;
constexpr size_t kPoolPages = 2 * kLimit / kPageSize;
constexpr size_t kTargetLive = 150;

// The cache's batches, straight into memd's logic under the client's id. A drain that takes
// the *forget_on_drain block back to memd clears it: it is no longer free in the cache.
class DirectBatches final : public user::BlockCacheBackend {
 public:
  DirectBatches(HeapManager* heap, uint64_t id, uint64_t* forget_on_drain)
      : heap_(heap), id_(id), forget_on_drain_(forget_on_drain) {}
  ProtocolStatus refill(uint64_t size, uint32_t count, uint64_t* blocks,
                        uint32_t* placed) override {
    auto result = heap_->refill(id_, size, count, blocks);
    *placed = result.value_or(0);
    return memd_status(result.error());
  }
  ProtocolStatus drain(const uint64_t* blocks, uint32_t count) override {
    for (uint32_t i = 0; i < count; ++i) {
      if (blocks[i] == *forget_on_drain_) *forget_on_drain_ = 0;
    }
    return memd_status(heap_->drain(id_, blocks, count).error());
  }

 private:
  HeapManager* heap_;
  uint64_t id_;
  uint64_t* forget_on_drain_;
};

struct Block {
  size_t size;      // as the program asked
  size_t extent;    // what memd placed: the class size for a cached block
  uint64_t seed;
  bool cached;
};

// One program: what it holds, and its cache.
struct Program {
  Program(HeapManager* heap, uint64_t id)
      : id(id), batches(heap, id, &last_freed_cached), cache(&batches) {}
  uint64_t id;
  uint64_t last_freed_cached = 0;  // a block the cache holds free (double free target)
  ClientSlot slot = 0;
  DirectBatches batches;
  BlockCache cache;
  std::map<uint64_t, Block> live;
  uint64_t single_bytes = 0;  // blocks from memd one by one
  uint64_t single_blocks = 0;
  uint64_t failed = 0;
  uint64_t out_of_memory = 0;
  uint64_t double_frees = 0;
  uint64_t cached_takes = 0;
  bool emptying = false;
};

class MemdCacheModel : public ::testing::TestWithParam<Policy> {
 protected:
  Policy policy() const { return GetParam(); }

  size_t random_size() {
    const size_t bucket = rng_() % 100;
    if (bucket < 80) return 1 + rng_() % 256;
    if (bucket < 95) return 257 + rng_() % 1800;
    return 2048 + rng_() % 10000;
  }

  void add(Program& program, uint64_t address, Block block) {
    auto next = program.live.lower_bound(address);
    if (next != program.live.end()) {
      ASSERT_LE(address + block.extent, next->first) << "overlaps the next block";
    }
    if (next != program.live.begin()) {
      auto previous = std::prev(next);
      ASSERT_LE(previous->first + previous->second.extent, address) << "overlaps the previous";
    }
    ASSERT_EQ(address % 16, 0u);
    program.live[address] = block;
    ASSERT_TRUE(memd_.write_pattern(program.slot, address, block.size, block.seed));
  }

  // malloc as user/heap.cpp does it; false when memd had no memory.
  bool malloc(Program& program, size_t size, uint64_t seed, uint64_t* out) {
    uint64_t address = 0;
    if (BlockCache::serves(size, 16)) {
      ProtocolStatus status = program.cache.take(size, &address);
      if (status == ProtocolStatus::kOk) {
        if (address == program.last_freed_cached) program.last_freed_cached = 0;
        ++program.cached_takes;
        add(program, address, {size, program.cache.lent_size(address), seed, true});
        *out = address;
        return true;
      }
      EXPECT_TRUE(status == ProtocolStatus::kNoSlots || status == ProtocolStatus::kOutOfMemory)
          << protocol_status_text(status);
      if (status == ProtocolStatus::kOutOfMemory) ++program.failed;  // memd counted the refill
    }
    auto placed = memd_.heap->alloc(program.id, size, 16);
    if (!placed.ok()) {
      EXPECT_EQ(placed.error(), Error::kOutOfMemory);
      ++program.failed;
      return false;
    }
    ++program.single_blocks;
    program.single_bytes += size;
    add(program, *placed, {size, size, seed, false});
    *out = *placed;
    return true;
  }

  void free(Program& program, uint64_t address) {
    const Block block = program.live.at(address);
    ASSERT_TRUE(memd_.has_pattern(program.slot, address, block.size, block.seed));
    program.live.erase(address);
    bool ours = false;
    ASSERT_EQ(program.cache.give_back(address, &ours), ProtocolStatus::kOk);
    ASSERT_EQ(ours, block.cached);
    if (ours) {
      program.last_freed_cached = address;
      return;
    }
    ASSERT_TRUE(memd_.heap->free(program.id, address).ok());
    --program.single_blocks;
    program.single_bytes -= block.size;
  }

  void do_malloc(Program& program, uint64_t seed) {
    uint64_t address = 0;
    if (!malloc(program, random_size(), seed, &address)) ++program.out_of_memory;
  }

  uint64_t random_live(const Program& program) {
    auto it = program.live.begin();
    std::advance(it, static_cast<long>(rng_() % program.live.size()));
    return it->first;
  }

  // realloc as user/heap.cpp does it: a cached block grows in place within its class, or
  // moves to a new block; any other block is memd's realloc.
  void do_realloc(Program& program, uint64_t seed) {
    const uint64_t old = random_live(program);
    const Block block = program.live.at(old);
    const size_t size = random_size();
    if (block.cached) {
      if (size <= block.extent) return;  // stays where it is
      uint64_t moved = 0;
      if (!malloc(program, size, seed, &moved)) {
        ++program.out_of_memory;
        return;
      }
      free(program, old);
      return;
    }
    auto moved = memd_.heap->realloc(program.id, old, size);
    if (!moved.ok()) {
      ASSERT_EQ(moved.error(), Error::kOutOfMemory);
      ++program.failed;
      ++program.out_of_memory;
      return;
    }
    ASSERT_TRUE(memd_.has_pattern(program.slot, *moved, std::min(size, block.size), block.seed));
    program.live.erase(old);
    program.single_bytes += size - block.size;
    add(program, *moved, {size, size, seed, false});
  }

  // A free of a block that sits free in the cache: the cache does not take it, memd refuses it.
  void do_double_free(Program& program) {
    const uint64_t address = program.last_freed_cached;
    if (address == 0 || program.live.count(address) != 0) return;
    bool ours = true;
    ASSERT_EQ(program.cache.give_back(address, &ours), ProtocolStatus::kOk);
    ASSERT_FALSE(ours);
    ASSERT_EQ(memd_.heap->free(program.id, address).error(), Error::kDoubleFree);
    ++program.failed;
    ++program.double_frees;
  }

  void check_stats(const Program& program) {
    const auto stats = memd_.stats_of(program.id);
    size_t free_blocks = 0;
    for (uint32_t size_class = 0; size_class < BlockCache::kClassCount; ++size_class) {
      free_blocks += program.cache.free_blocks(size_class);
    }
    uint64_t lent_bytes = 0;
    for (const auto& [address, block] : program.live) lent_bytes += block.cached ? block.extent : 0;
    const uint64_t cached_blocks = free_blocks + program.cache.lent_blocks();
    const uint64_t cached_bytes = program.cache.free_bytes() + lent_bytes;
    ASSERT_EQ(stats.cached_blocks, cached_blocks);
    ASSERT_EQ(stats.cached_bytes, cached_bytes);
    ASSERT_EQ(stats.blocks_in_use, program.single_blocks + cached_blocks);
    ASSERT_EQ(stats.bytes_in_use, program.single_bytes + cached_bytes);
    ASSERT_EQ(stats.failed_requests, program.failed);
  }

  void step(Program& program, uint64_t seed) {
    if (!program.emptying && program.live.size() > 20 && rng_() % 3000 == 0) {
      program.emptying = true;
    }
    if (program.emptying) {
      if (!program.live.empty()) {
        free(program, random_live(program));
        return;
      }
      // Nothing held: after a trim memd must hold nothing for this program, so even a bump
      // heap starts over.
      ASSERT_EQ(program.cache.drain_all(), ProtocolStatus::kOk);
      const auto stats = memd_.stats_of(program.id);
      ASSERT_EQ(stats.blocks_in_use, 0u);
      ASSERT_EQ(stats.mapped_pages, 0u);
      program.emptying = false;
      return;
    }
    const uint64_t roll = rng_() % 100;
    const uint64_t alloc_share = program.live.size() < kTargetLive ? 50 : 40;
    if (roll < alloc_share || program.live.empty()) {
      do_malloc(program, seed);
    } else if (roll < 88) {
      free(program, random_live(program));
    } else if (roll < 97) {
      do_realloc(program, seed);
    } else {
      do_double_free(program);
    }
  }

  std::mt19937_64 rng_{0x63616368};  // "cach"
  Memd memd_{GetParam(), kPoolPages, kLimit};
};
INSTANTIATE_TEST_SUITE_P(Policies, MemdCacheModel, ::testing::ValuesIn(kPolicies), policy_name);

TEST_P(MemdCacheModel, ProgramsWithCachesMatchMemdsFiguresExactly) {
  Program programs[2] = {{memd_.heap.get(), 0x1111}, {memd_.heap.get(), 0x2222}};
  for (Program& program : programs) program.slot = memd_.add(program.id);
  for (size_t i = 1; i <= kSteps; ++i) {
    Program& program = programs[rng_() % 2];
    step(program, i);
    if (HasFatalFailure()) FAIL() << "at step " << i;
    check_stats(program);
    if (HasFatalFailure()) FAIL() << "at step " << i;
  }
  for (Program& program : programs) {
    for (const auto& [address, block] : program.live) {
      ASSERT_TRUE(memd_.has_pattern(program.slot, address, block.size, block.seed));
    }
    // The run reached the interesting places.
    EXPECT_GT(program.cached_takes, kSteps / 10);
    EXPECT_GT(program.double_frees, 50u);
    EXPECT_GT(program.single_blocks + program.cache.lent_blocks(), 0u);
    if (policy() != Policy::kBump) {
      EXPECT_EQ(program.out_of_memory, 0u);
    }
  }
  // The first program ends (is killed) holding blocks, cached ones among them: memd takes
  // every page back, and the other program's figures stay as they were.
  auto other_before = memd_.stats_of(programs[1].id);
  const auto ended = memd_.stats_of(programs[0].id);
  ASSERT_GT(ended.cached_blocks, 0u);
  memd_.heap->remove_client(programs[0].id);
  EXPECT_EQ(memd_.memory->mappings(programs[0].slot).size(), 0u);
  EXPECT_EQ(memd_.heap->pool_used_pages(), other_before.pool_used_pages - ended.mapped_pages);
  other_before.pool_used_pages = memd_.heap->pool_used_pages();
  expect_same_stats(memd_.stats_of(programs[1].id), other_before);
  memd_.heap->remove_client(programs[1].id);
  EXPECT_EQ(memd_.heap->pool_used_pages(), 0u);
  EXPECT_EQ(memd_.memory->mapped_pages(), 0u);
  expect_no_violations(*memd_.memory);
}

}  // namespace
}  // namespace bm::memd::testing
