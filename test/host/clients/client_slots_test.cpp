// Host tests for the table of clients init introduced to a service (user/client_slots.h, which
// memd and fs use through user/client_watch.h): slots by notification bit, each with its task
// handle, a restarted client refused until its old task ended, a full table.
#include "user/client_slots.h"

#include <gtest/gtest.h>

#include <vector>

namespace user {
namespace {

using bm::ipc::ProtocolStatus;

TEST(ClientSlots, GivesTheLowestFreeSlotAndRefusesAnIdTwice) {
  ClientSlots slots;
  size_t slot = 99;
  ASSERT_EQ(slots.find_free(7, &slot), ProtocolStatus::kOk);
  EXPECT_EQ(slot, 0u);
  slots.take(slot, 7, 70);
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
    slots.take(slot, id, static_cast<bm::abi::Handle>(10 * id));
  }
  std::vector<uint64_t> ended;
  std::vector<bm::abi::Handle> tasks;
  auto record = [&](uint64_t id, bm::abi::Handle task) {
    ended.push_back(id);
    tasks.push_back(task);
  };
  slots.release_ended((1ull << 1) | (1ull << 40), record);
  EXPECT_EQ(ended, std::vector<uint64_t>{2});  // bit 40 was free: nothing
  EXPECT_EQ(tasks, std::vector<bm::abi::Handle>{20});  // its own task handle, to close
  slots.release_ended(1ull << 1, record);
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
    slots.take(slot, id, 1);
  }
  size_t slot = 0;
  EXPECT_EQ(slots.find_free(1000, &slot), ProtocolStatus::kNoSlots);
  size_t released = 0;
  slots.release_ended(~0ull, [&](uint64_t, bm::abi::Handle) { ++released; });
  EXPECT_EQ(released, ClientSlots::kCapacity);
  EXPECT_EQ(slots.count(), 0u);
}

}  // namespace
}  // namespace user
