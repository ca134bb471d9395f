// Host tests for fs's table of introduced clients (servers/fs/client_slots.h): slots by
// notification bit, a restarted client refused until its old task ended, a full table.
#include "servers/fs/client_slots.h"

#include <gtest/gtest.h>

#include <vector>

namespace bm::fs {
namespace {

using ipc::ProtocolStatus;

TEST(ClientSlots, GivesTheLowestFreeSlotAndRefusesAnIdTwice) {
  ClientSlots slots;
  size_t slot = 99;
  ASSERT_EQ(slots.find_free(7, &slot), ProtocolStatus::kOk);
  EXPECT_EQ(slot, 0u);
  slots.take(slot, 7);
  EXPECT_EQ(slots.find_free(7, &slot), ProtocolStatus::kBusy);
  ASSERT_EQ(slots.find_free(8, &slot), ProtocolStatus::kOk);
  EXPECT_EQ(slot, 1u);
  EXPECT_EQ(slots.find_free(0, &slot), ProtocolStatus::kBadValue);
  EXPECT_EQ(slots.count(), 1u);
}

TEST(ClientSlots, EndedBitsFreeTheirSlotsOnceAndTheIdMayComeBack) {
  ClientSlots slots;
  for (uint64_t id = 1; id <= 3; ++id) {
    size_t slot = 0;
    ASSERT_EQ(slots.find_free(id, &slot), ProtocolStatus::kOk);
    slots.take(slot, id);
  }
  std::vector<uint64_t> ended;
  slots.release_ended((1ull << 1) | (1ull << 40), [&](uint64_t id) { ended.push_back(id); });
  EXPECT_EQ(ended, std::vector<uint64_t>{2});  // bit 40 was free: nothing
  slots.release_ended(1ull << 1, [&](uint64_t id) { ended.push_back(id); });
  EXPECT_EQ(ended.size(), 1u);  // a bit signalled twice ends its client once
  size_t slot = 0;
  ASSERT_EQ(slots.find_free(2, &slot), ProtocolStatus::kOk);  // the restarted client
  EXPECT_EQ(slot, 1u);
  EXPECT_EQ(slots.count(), 2u);
}

TEST(ClientSlots, AFullTableSaysNoSlots) {
  ClientSlots slots;
  for (uint64_t id = 1; id <= ClientSlots::kCapacity; ++id) {
    size_t slot = 0;
    ASSERT_EQ(slots.find_free(id, &slot), ProtocolStatus::kOk);
    slots.take(slot, id);
  }
  size_t slot = 0;
  EXPECT_EQ(slots.find_free(1000, &slot), ProtocolStatus::kNoSlots);
  slots.release_ended(~0ull, [](uint64_t) {});
  EXPECT_EQ(slots.count(), 0u);
}

}  // namespace
}  // namespace bm::fs
