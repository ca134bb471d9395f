// Handles: rights only shrink, closed values stay dead, badges are fixed
// once set, and a full table says so without changing anything.
#include "test/user/suite.h"
#include "test/user/user_test.h"
#include "user/print.h"
#include "user/syscalls.h"

using namespace user_tests;
using bm::abi::kRightGrant;
using bm::abi::kRightRead;
using bm::abi::kRightWrite;

USER_TEST(handles_duplicate_with_fewer_rights) {
  OwnedHandle notification;
  ASSERT_OK(take(user::notification_create(), &notification));
  OwnedHandle reader, writer;
  ASSERT_OK(take(user::handle_duplicate(notification.get(), kRightRead), &reader));
  ASSERT_OK(take(user::handle_duplicate(notification.get(), kRightWrite), &writer));
  EXPECT_NE(reader.get(), notification.get());
  EXPECT_NE(reader.get(), writer.get());
  uint64_t bits = 0;
  EXPECT_STATUS(user::notification_signal(reader.get(), 1), Status::kNoRights);
  EXPECT_STATUS(take(user::notification_poll(writer.get()), &bits), Status::kNoRights);
  EXPECT_STATUS(take(user::notification_wait(writer.get(), 1), &bits), Status::kNoRights);
  EXPECT_OK(user::notification_signal(writer.get(), 0x10));
  EXPECT_OK(take(user::notification_poll(reader.get()), &bits));
  EXPECT_EQ(bits, 0x10);  // both name the same object
  // Neither copy has the grant right, so neither can be copied again.
  Handle copy = 0;
  EXPECT_STATUS(take(user::handle_duplicate(reader.get(), kRightRead), &copy), Status::kNoRights);
}

USER_TEST(handles_duplicate_cannot_add_rights) {
  OwnedHandle notification;
  ASSERT_OK(take(user::notification_create(), &notification));
  OwnedHandle reader;
  ASSERT_OK(take(user::handle_duplicate(notification.get(), kRightRead | kRightGrant), &reader));
  Handle copy = 0;
  EXPECT_STATUS(
      take(user::handle_duplicate(reader.get(), kRightRead | kRightWrite | kRightGrant), &copy),
      Status::kNoRights);
  EXPECT_STATUS(take(user::handle_duplicate(notification.get(), bm::abi::kRightMap), &copy),
                Status::kNoRights);
  EXPECT_STATUS(take(user::handle_duplicate(notification.get(), bm::abi::kAllRights + 1), &copy),
                Status::kInvalidArgument);
  OwnedHandle smaller;
  EXPECT_OK(take(user::handle_duplicate(reader.get(), kRightRead), &smaller));
  // Same rights as the source is allowed.
  OwnedHandle same;
  EXPECT_OK(take(user::handle_duplicate(notification.get(), kRightRead | kRightWrite | kRightGrant),
                 &same));
}

USER_TEST(handles_closed_value_stays_invalid) {
  Handle first = 0;
  ASSERT_OK(take(user::notification_create(), &first));
  EXPECT_OK(user::handle_close(first));
  uint64_t bits = 0;
  EXPECT_STATUS(take(user::notification_poll(first), &bits), Status::kInvalidHandle);
  EXPECT_STATUS(user::notification_signal(first, 1), Status::kInvalidHandle);
  EXPECT_STATUS(user::handle_close(first), Status::kInvalidHandle);
  // New handles never reuse the old value, even after many closes.
  uint32_t reused = 0;
  for (int i = 0; i < 300; ++i) {
    Handle next = 0;
    ASSERT_OK(take(user::notification_create(), &next));
    if (next == first) ++reused;
    EXPECT_OK(user::handle_close(next));
  }
  EXPECT_EQ(reused, 0);
  EXPECT_STATUS(take(user::notification_poll(first), &bits), Status::kInvalidHandle);
}

USER_TEST(handles_badge_is_fixed_once_set) {
  OwnedHandle endpoint;
  ASSERT_OK(take(user::endpoint_create(), &endpoint));
  OwnedHandle badged;
  ASSERT_OK(take(user::handle_duplicate(endpoint.get(), kRightWrite | kRightGrant, 0x77), &badged));
  Handle copy = 0;
  EXPECT_STATUS(take(user::handle_duplicate(badged.get(), kRightWrite, 0x78), &copy),
                Status::kNoRights);
  OwnedHandle same_badge;
  EXPECT_OK(take(user::handle_duplicate(badged.get(), kRightWrite), &same_badge));
}

namespace {
constexpr uint32_t kMaxExtraHandles = 300;
Handle extra_handles[kMaxExtraHandles];
}  // namespace

// Filling the table: every creating call reports kNoSlots and leaves the
// system as it was; closing one handle makes room again.
USER_TEST(handles_full_table_gives_no_slots) {
  uint32_t created = 0;
  Status last = Status::kOk;
  while (created < kMaxExtraHandles) {
    last = take(user::notification_create(), &extra_handles[created]);
    if (last != Status::kOk) break;
    ++created;
  }
  user::printf("  %u handles created until the table was full\n", created);
  EXPECT_STATUS(last, Status::kNoSlots);
  EXPECT_GT(created, 200);

  if (last == Status::kNoSlots) {
    uint64_t frames = user::free_frames();
    uint64_t tasks = user::task_count();
    uint64_t threads = user::thread_count();
    Handle handle = 0;
    EXPECT_STATUS(take(user::endpoint_create(), &handle), Status::kNoSlots);
    EXPECT_STATUS(take(user::notification_create(), &handle), Status::kNoSlots);
    EXPECT_STATUS(take(user::handle_duplicate(extra_handles[0], kRightRead), &handle),
                  Status::kNoSlots);
    EXPECT_STATUS(take(user::memory_create(4), &handle), Status::kNoSlots);
    EXPECT_STATUS(take(user::task_create("full", 4, 0), &handle), Status::kNoSlots);
    EXPECT_EQ(user::free_frames(), frames);
    EXPECT_EQ(user::task_count(), tasks);
    EXPECT_EQ(user::thread_count(), threads);

    EXPECT_OK(user::handle_close(extra_handles[created - 1]));
    EXPECT_OK(take(user::notification_create(), &extra_handles[created - 1]));
    EXPECT_STATUS(take(user::notification_create(), &handle), Status::kNoSlots);
  }
  uint32_t close_failures = 0;
  for (uint32_t i = 0; i < created; ++i) {
    if (user::handle_close(extra_handles[i]).error() != Status::kOk) ++close_failures;
  }
  EXPECT_EQ(close_failures, 0);
}
