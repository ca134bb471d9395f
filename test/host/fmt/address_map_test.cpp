// Host tests for AddressMap (lib/containers/address_map.h): against std::map under random
// inserts and removals, with collisions forced, and at its size limit.
#include "lib/containers/address_map.h"

#include <gtest/gtest.h>

#include <map>
#include <random>

namespace bm {
namespace {

TEST(AddressMap, FindsWhatWasInsertedUntilItIsRemoved) {
  AddressMap<uint8_t, 16> map;
  EXPECT_TRUE(map.insert(0x1000, 3));
  EXPECT_FALSE(map.insert(0x1000, 4));  // already there
  EXPECT_FALSE(map.insert(0, 1));       // 0 is "empty"
  ASSERT_NE(map.find(0x1000), nullptr);
  EXPECT_EQ(*map.find(0x1000), 3);
  EXPECT_EQ(map.find(0x2000), nullptr);
  uint8_t value = 0;
  EXPECT_FALSE(map.remove(0x2000, &value));
  EXPECT_TRUE(map.remove(0x1000, &value));
  EXPECT_EQ(value, 3);
  EXPECT_EQ(map.find(0x1000), nullptr);
  EXPECT_EQ(map.size(), 0u);
}

TEST(AddressMap, RefusesInsertsPastThreeQuartersOfItsSlots) {
  AddressMap<uint8_t, 16> map;
  for (uint64_t i = 1; i <= 12; ++i) EXPECT_TRUE(map.insert(i * 16, 1));
  EXPECT_TRUE(map.full());
  EXPECT_FALSE(map.insert(13 * 16, 1));
  uint8_t value = 0;
  EXPECT_TRUE(map.remove(5 * 16, &value));
  EXPECT_TRUE(map.insert(13 * 16, 1));
}

// Random operations against std::map; addresses from a small range, so probe runs collide,
// wrap around the table's end and get holes punched into them.
TEST(AddressMap, MatchesAStdMapUnderRandomInsertsAndRemovals) {
  AddressMap<uint16_t, 64> map;
  std::map<uint64_t, uint16_t> model;
  std::mt19937_64 rng(0xadd);
  for (int step = 0; step < 200000; ++step) {
    const uint64_t address = 16 * (1 + rng() % 200);
    const auto value = static_cast<uint16_t>(rng());
    if (rng() % 2 == 0) {
      const bool room = model.size() < decltype(map)::kMaxEntries;
      const bool fresh = model.count(address) == 0;
      ASSERT_EQ(map.insert(address, value), room && fresh) << step;
      if (room && fresh) model[address] = value;
    } else {
      uint16_t removed = 0;
      const auto found = model.find(address);
      ASSERT_EQ(map.remove(address, &removed), found != model.end()) << step;
      if (found != model.end()) {
        ASSERT_EQ(removed, found->second);
        model.erase(found);
      }
    }
    ASSERT_EQ(map.size(), model.size());
    if (step % 1000 == 0) {
      for (const auto& [key, expected] : model) {
        ASSERT_NE(map.find(key), nullptr) << step;
        ASSERT_EQ(*map.find(key), expected);
      }
    }
  }
}

}  // namespace
}  // namespace bm
