// Clients cannot reach each other or memd: they never share a pool page, writing anything
// anywhere in a client's own pages changes nothing memd does, and a client that goes leaves
// nothing behind, neither pages nor allocator state a later client could trip over.
#include <algorithm>
#include <random>
#include <set>

#include "test/host/memd/memd_test_support.h"

namespace bm::memd::testing {
namespace {

constexpr size_t kLimit = 2 * 1024 * 1024;
constexpr size_t kPoolPages = 2048;
constexpr uint64_t kA = 1;
constexpr uint64_t kB = 2;

class IsolationTest : public ::testing::TestWithParam<Policy> {};
INSTANTIATE_TEST_SUITE_P(Policies, IsolationTest, ::testing::ValuesIn(kPolicies), policy_name);

std::set<PoolPage> pool_pages_of(const FakePoolMemory& memory, ClientSlot slot) {
  std::set<PoolPage> pages;
  for (const auto& [address, page] : memory.mappings(slot)) pages.insert(page);
  return pages;
}

TEST_P(IsolationTest, TwoClientsNeverShareAPoolPage) {
  Memd memd(GetParam(), kPoolPages, kLimit);
  const ClientSlot a = memd.add(kA);
  const ClientSlot b = memd.add(kB);
  std::mt19937_64 rng(7);
  std::vector<std::pair<uint64_t, size_t>> blocks[2];
  for (int i = 0; i < 300; ++i) {
    const int who = static_cast<int>(rng() % 2);
    const uint64_t id = who == 0 ? kA : kB;
    const size_t size = 1 + rng() % 6000;
    const uint64_t address = memd.alloc(id, size);
    ASSERT_TRUE(memd.write_pattern(who == 0 ? a : b, address, size, address ^ id));
    blocks[who].push_back({address, size});
    if (rng() % 3 == 0) {  // and free one at random now and then
      auto& list = blocks[who];
      const size_t victim = rng() % list.size();
      ASSERT_TRUE(memd.heap->free(id, list[victim].first).ok());
      list.erase(list.begin() + static_cast<long>(victim));
    }
  }
  const std::set<PoolPage> pages_a = pool_pages_of(*memd.memory, a);
  const std::set<PoolPage> pages_b = pool_pages_of(*memd.memory, b);
  std::vector<PoolPage> shared;
  std::set_intersection(pages_a.begin(), pages_a.end(), pages_b.begin(), pages_b.end(),
                        std::back_inserter(shared));
  EXPECT_TRUE(shared.empty());
  EXPECT_EQ(pages_a.size(), memd.memory->mappings(a).size());  // no page twice in one client
  EXPECT_EQ(memd.heap->pool_used_pages(), pages_a.size() + pages_b.size());
  // Same addresses in both address spaces, different data behind them.
  for (int who = 0; who < 2; ++who) {
    for (const auto& [address, size] : blocks[who]) {
      EXPECT_TRUE(
          memd.has_pattern(who == 0 ? a : b, address, size, address ^ (who == 0 ? kA : kB)));
    }
  }
  expect_no_violations(*memd.memory);
}

// One run of a fixed request script for clients A and B. With `scribble`, A writes random
// bytes over every page it has mapped (its blocks and everything around them) after each
// request. Returns what memd answered, in order.
struct ScriptRun {
  std::vector<std::string> answers;
  ipc::memd::ClientStats stats_a;
  ipc::memd::ClientStats stats_b;
  bool b_intact = true;
};

ScriptRun run_script(Policy policy, bool scribble) {
  Memd memd(policy, kPoolPages, kLimit);
  const ClientSlot a = memd.add(kA);
  const ClientSlot b = memd.add(kB);
  std::mt19937_64 rng(99);
  std::mt19937_64 junk(1234);
  std::vector<uint64_t> live[2];
  std::vector<std::pair<uint64_t, size_t>> b_blocks;
  ScriptRun run;
  const auto answer = [&](const char* what, Error error, uint64_t value) {
    run.answers.push_back(std::string(what) + " " + error_name(error) + " " +
                          std::to_string(value));
  };
  for (int step = 0; step < 1500; ++step) {
    const int who = static_cast<int>(rng() % 2);
    const uint64_t id = who == 0 ? kA : kB;
    auto& blocks = live[who];
    const int action = static_cast<int>(rng() % 10);
    if (action < 5 || blocks.empty()) {
      const size_t size = 1 + rng() % 3000;
      auto address = memd.heap->alloc(id, size, uint64_t{16} << (rng() % 4));
      answer("alloc", address.error(), address.value_or(0));
      if (address.ok()) {
        blocks.push_back(*address);
        if (who == 1) {
          memd.write_pattern(b, *address, size, *address);
          b_blocks.push_back({*address, size});
        }
      }
    } else if (action < 8) {
      const size_t victim = rng() % blocks.size();
      auto freed = memd.heap->free(id, blocks[victim]);
      answer("free", freed.error(), blocks[victim]);
      if (who == 1) {
        for (auto it = b_blocks.begin(); it != b_blocks.end(); ++it) {
          if (it->first == blocks[victim]) {
            b_blocks.erase(it);
            break;
          }
        }
      }
      blocks.erase(blocks.begin() + static_cast<long>(victim));
    } else if (action < 9 && who == 0) {
      const size_t victim = rng() % blocks.size();
      auto moved = memd.heap->realloc(id, blocks[victim], 1 + rng() % 5000);
      answer("realloc", moved.error(), moved.value_or(0));
      if (moved.ok()) blocks[victim] = *moved;
    } else {
      // Refused requests: inside a block, or a random address in the heap.
      const uint64_t address = rng() % 2 == 0 ? blocks[rng() % blocks.size()] + 16
                                              : kClientHeapBase + (rng() % kLimit & ~15ull);
      const bool is_block = std::find(blocks.begin(), blocks.end(), address) != blocks.end();
      if (!is_block) {
        auto refused = memd.heap->free(id, address);
        answer("bad free", refused.error(), address);
      }
    }
    if (scribble) memd.memory->scribble(a, junk() | 1);
  }
  for (const auto& [address, size] : b_blocks) {
    run.b_intact = run.b_intact && memd.has_pattern(b, address, size, address);
  }
  run.stats_a = memd.stats_of(kA);
  run.stats_b = memd.stats_of(kB);
  expect_no_violations(*memd.memory);
  return run;
}

TEST_P(IsolationTest, ScribblingOverItsOwnPagesChangesNothingMemdDoes) {
  const ScriptRun quiet = run_script(GetParam(), false);
  const ScriptRun scribbled = run_script(GetParam(), true);
  ASSERT_EQ(quiet.answers.size(), scribbled.answers.size());
  for (size_t i = 0; i < quiet.answers.size(); ++i) {
    ASSERT_EQ(quiet.answers[i], scribbled.answers[i]) << "request " << i;
  }
  expect_same_stats(scribbled.stats_a, quiet.stats_a);
  expect_same_stats(scribbled.stats_b, quiet.stats_b);
  EXPECT_TRUE(quiet.b_intact);
  EXPECT_TRUE(scribbled.b_intact);
  EXPECT_GT(quiet.stats_a.blocks_in_use, 0u);
}

TEST_P(IsolationTest, RemovingAClientReclaimsEveryPage) {
  Memd memd(GetParam(), kPoolPages, kLimit);
  const ClientSlot a = memd.add(kA);
  const ClientSlot b = memd.add(kB);
  const uint64_t kept = memd.alloc(kB, 10000);
  ASSERT_TRUE(memd.write_pattern(b, kept, 10000, 3));
  for (int i = 0; i < 50; ++i) memd.alloc(kA, 100 + 700 * i, 64);
  const size_t pages_of_b = memd.memory->mappings(b).size();
  ASSERT_GT(memd.memory->mappings(a).size(), 0u);
  memd.heap->remove_client(kA);
  EXPECT_TRUE(memd.memory->mappings(a).empty());
  EXPECT_EQ(memd.memory->shadow_bytes(a), 0u);
  EXPECT_EQ(memd.heap->pool_used_pages(), pages_of_b);
  EXPECT_EQ(memd.heap->client_count(), 1u);
  EXPECT_TRUE(memd.has_pattern(b, kept, 10000, 3));
  memd.heap->remove_client(kB);
  EXPECT_EQ(memd.heap->pool_used_pages(), 0u);
  EXPECT_EQ(memd.memory->mapped_pages(), 0u);
  expect_no_violations(*memd.memory);
}

// The slot's shadow buffer keeps what the old client's allocator wrote there (the fake does
// not clear it); memd must not let any of it look like the new client's metadata.
TEST_P(IsolationTest, ANewClientInAnOldSlotSeesNothingOfTheOldOne) {
  Memd memd(GetParam(), kPoolPages, kLimit);
  const ClientSlot a = memd.add(kA);
  std::vector<uint64_t> old_blocks;
  for (int i = 0; i < 40; ++i) {
    const uint64_t address = memd.alloc(kA, 24 + 40 * i);
    ASSERT_TRUE(memd.memory->fill_client(a, address, 0xcc, 24 + 40 * i));
    old_blocks.push_back(address);
  }
  memd.heap->remove_client(kA);  // with its blocks still live
  const ClientSlot c = memd.add(kB);
  ASSERT_EQ(c, a);
  const size_t big = 60000;
  const uint64_t block = memd.alloc(kB, big);
  // Right after the first block header, which only the shadow holds: over A's old blocks.
  EXPECT_EQ(block, kClientHeapBase + 16);
  EXPECT_TRUE(memd.is_zero(c, block, big));  // none of A's bytes either
  ASSERT_TRUE(memd.write_pattern(c, block, big, 11));
  for (uint64_t old : old_blocks) {
    if (old == block) continue;
    EXPECT_FALSE(memd.heap->free(kB, old).ok()) << std::hex << old;
  }
  const auto stats = memd.stats_of(kB);
  EXPECT_EQ(stats.blocks_in_use, 1u);
  EXPECT_EQ(stats.bytes_in_use, big);
  EXPECT_TRUE(memd.has_pattern(c, block, big, 11));
  EXPECT_TRUE(memd.heap->free(kB, block).ok());
  EXPECT_EQ(memd.memory->mapped_pages(), 0u);
  expect_no_violations(*memd.memory);
}

}  // namespace
}  // namespace bm::memd::testing
