// Host tests for the one table of heap strategies (lib/abi/heap_strategy.h): stable values,
// the names the build options use, and the name lookup memd and the kernel build rely on.
#include "lib/abi/heap_strategy.h"

#include <gtest/gtest.h>

#include <string>

namespace bm::abi {
namespace {

TEST(HeapStrategy, ValuesAndNamesAreTheBuildOptions) {
  EXPECT_EQ(static_cast<uint64_t>(HeapStrategy::kBump), 0u);
  EXPECT_EQ(static_cast<uint64_t>(HeapStrategy::kLinkedList), 1u);
  EXPECT_EQ(static_cast<uint64_t>(HeapStrategy::kFixedBlock), 2u);
  EXPECT_STREQ(heap_strategy_name(HeapStrategy::kBump), "bump");
  EXPECT_STREQ(heap_strategy_name(HeapStrategy::kLinkedList), "linked_list");
  EXPECT_STREQ(heap_strategy_name(HeapStrategy::kFixedBlock), "fixed_block");
  EXPECT_STREQ(heap_strategy_name(static_cast<HeapStrategy>(3)), "unknown");
}

TEST(HeapStrategy, KnowsExactlyTheTableValues) {
  EXPECT_TRUE(is_heap_strategy(0));
  EXPECT_TRUE(is_heap_strategy(2));
  EXPECT_FALSE(is_heap_strategy(3));
  EXPECT_FALSE(is_heap_strategy(~0ull));
}

TEST(HeapStrategy, FromNameRoundTripsEveryEntry) {
  for (uint64_t value = 0; is_heap_strategy(value); ++value) {
    auto strategy = static_cast<HeapStrategy>(value);
    std::string name = heap_strategy_name(strategy);
    HeapStrategy found = HeapStrategy::kBump;
    ASSERT_TRUE(heap_strategy_from_name(name.data(), name.size(), &found)) << name;
    EXPECT_EQ(found, strategy);
  }
  static_assert([] {
    HeapStrategy found{};
    return heap_strategy_from_name("fixed_block", 11, &found) && found == HeapStrategy::kFixedBlock;
  }());
}

TEST(HeapStrategy, FromNameRefusesOtherSpellingsAndPrefixes) {
  HeapStrategy found = HeapStrategy::kFixedBlock;
  for (const char* name : {"linked-list", "fixed-block", "bum", "bumpy", "Bump", "", "unknown"}) {
    EXPECT_FALSE(heap_strategy_from_name(name, std::string(name).size(), &found)) << name;
  }
  // Only `length` bytes count: "bump" followed by more text in the buffer is "bump".
  EXPECT_TRUE(heap_strategy_from_name("bump,layout=us", 4, &found));
  EXPECT_EQ(found, HeapStrategy::kBump);
}

}  // namespace
}  // namespace bm::abi
