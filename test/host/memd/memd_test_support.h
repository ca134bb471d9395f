// Helpers shared by memd's host tests: a heap manager over a fake pool, tests run once per
// policy, and byte patterns written and checked through the fake client memory.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "servers/memd/heap_manager.h"
#include "test/host/memd/fake_pool_memory.h"

namespace bm::abi {
// So gtest names the policy in a failure instead of dumping its bytes.
inline void PrintTo(HeapStrategy policy, std::ostream* out) { *out << heap_strategy_name(policy); }
}  // namespace bm::abi

namespace bm::memd::testing {

constexpr Policy kPolicies[] = {Policy::kBump, Policy::kLinkedList, Policy::kFixedBlock};

inline std::string policy_name(const ::testing::TestParamInfo<Policy>& info) {
  switch (info.param) {
    case Policy::kBump:
      return "Bump";
    case Policy::kLinkedList:
      return "LinkedList";
    case Policy::kFixedBlock:
      return "FixedBlock";
  }
  return "Unknown";
}

// The byte a block holds at `offset` when written with `seed`; differs between blocks and
// within a block, so a block overlapping another or copied wrongly shows.
inline uint8_t pattern_byte(uint64_t seed, size_t offset) {
  return static_cast<uint8_t>((seed * 0x9e3779b97f4a7c15ull) >> 56 ^ (offset * 131 + offset / 251));
}

inline std::vector<uint8_t> pattern(uint64_t seed, size_t length) {
  std::vector<uint8_t> bytes(length);
  for (size_t i = 0; i < length; ++i) bytes[i] = pattern_byte(seed, i);
  return bytes;
}

// A HeapManager over a FakePoolMemory, both on the host heap (they are large). Most tests
// check the exact "pages under live blocks" rule, so by default no idle pages are kept;
// idle_pages_test.cpp covers the server's setting.
struct Memd {
  Memd(Policy policy, size_t pool_pages, size_t heap_limit, size_t idle_pages_kept = 0)
      : memory(std::make_unique<FakePoolMemory>(pool_pages, heap_limit)),
        heap(std::make_unique<HeapManager>(policy, memory.get(), heap_limit, idle_pages_kept)) {}

  ClientSlot add(uint64_t id) {
    auto slot = heap->add_client(id);
    EXPECT_TRUE(slot.ok()) << error_name(slot.error());
    return slot.value_or(0);
  }
  // An allocation the test needs to succeed.
  uint64_t alloc(uint64_t id, uint64_t size, uint64_t alignment = 16) {
    auto address = heap->alloc(id, size, alignment);
    EXPECT_TRUE(address.ok()) << error_name(address.error()) << " for " << size << " bytes";
    return address.value_or(0);
  }
  ipc::memd::ClientStats stats_of(uint64_t id) const {
    for (uint64_t index = 0;; ++index) {
      auto stats = heap->stats(index);
      if (!stats.ok()) {
        ADD_FAILURE() << "no client " << id;
        return {};
      }
      if (stats->client_id == id) return *stats;
    }
  }
  bool write_pattern(ClientSlot slot, uint64_t address, size_t length, uint64_t seed) {
    const std::vector<uint8_t> bytes = pattern(seed, length);
    return memory->write_client(slot, address, bytes.data(), length);
  }
  // True when the client reads the pattern back: every byte mapped and as written.
  bool has_pattern(ClientSlot slot, uint64_t address, size_t length, uint64_t seed) const {
    std::vector<uint8_t> bytes(length);
    return memory->read_client(slot, address, bytes.data(), length) &&
           bytes == pattern(seed, length);
  }
  bool is_zero(ClientSlot slot, uint64_t address, size_t length) const {
    std::vector<uint8_t> bytes(length, 0xff);
    return memory->read_client(slot, address, bytes.data(), length) &&
           bytes == std::vector<uint8_t>(length, 0);
  }

  std::unique_ptr<FakePoolMemory> memory;
  std::unique_ptr<HeapManager> heap;
};

inline void expect_no_violations(const FakePoolMemory& memory) {
  for (const std::string& violation : memory.violations()) ADD_FAILURE() << violation;
}

// The same figures, field by field (so a failure names the field).
inline void expect_same_stats(const ipc::memd::ClientStats& actual,
                              const ipc::memd::ClientStats& expected) {
  EXPECT_EQ(actual.client_id, expected.client_id);
  EXPECT_EQ(actual.bytes_in_use, expected.bytes_in_use);
  EXPECT_EQ(actual.blocks_in_use, expected.blocks_in_use);
  EXPECT_EQ(actual.cached_bytes, expected.cached_bytes);
  EXPECT_EQ(actual.cached_blocks, expected.cached_blocks);
  EXPECT_EQ(actual.peak_bytes, expected.peak_bytes);
  EXPECT_EQ(actual.free_bytes, expected.free_bytes);
  EXPECT_EQ(actual.failed_requests, expected.failed_requests);
  EXPECT_EQ(actual.mapped_pages, expected.mapped_pages);
  EXPECT_EQ(actual.pool_total_pages, expected.pool_total_pages);
  EXPECT_EQ(actual.pool_used_pages, expected.pool_used_pages);
  EXPECT_EQ(actual.policy, expected.policy);
}

}  // namespace bm::memd::testing
