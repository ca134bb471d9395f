// Handles: rights only shrink, closed values stay dead, badges are fixed
// once set, and a full table says so without changing anything.
#include "test/user/suite.h"
#include "test/user/sys.h"
#include "test/user/user_test.h"
#include "user/print.h"

using namespace user_tests;
using bm::abi::kRightGrant;
using bm::abi::kRightRead;
using bm::abi::kRightWrite;

USER_TEST(handles_duplicate_with_fewer_rights) {
  OwnedHandle notification;
  ASSERT_OK(sys::notification_create(notification.out()));
  OwnedHandle reader, writer;
  ASSERT_OK(sys::duplicate(notification.get(), kRightRead, reader.out()));
  ASSERT_OK(sys::duplicate(notification.get(), kRightWrite, writer.out()));
  EXPECT_NE(reader.get(), notification.get());
  EXPECT_NE(reader.get(), writer.get());
  uint64_t bits = 0;
  EXPECT_STATUS(sys::notification_signal(reader.get(), 1), Status::kNoRights);
  EXPECT_STATUS(sys::notification_poll(writer.get(), &bits), Status::kNoRights);
  EXPECT_STATUS(sys::notification_wait(writer.get(), 1, &bits), Status::kNoRights);
  EXPECT_OK(sys::notification_signal(writer.get(), 0x10));
  EXPECT_OK(sys::notification_poll(reader.get(), &bits));
  EXPECT_EQ(bits, 0x10);  // both name the same object
  // Neither copy has the grant right, so neither can be copied again.
  Handle copy = 0;
  EXPECT_STATUS(sys::duplicate(reader.get(), kRightRead, &copy), Status::kNoRights);
}

USER_TEST(handles_duplicate_cannot_add_rights) {
  OwnedHandle notification;
  ASSERT_OK(sys::notification_create(notification.out()));
  OwnedHandle reader;
  ASSERT_OK(sys::duplicate(notification.get(), kRightRead | kRightGrant, reader.out()));
  Handle copy = 0;
  EXPECT_STATUS(sys::duplicate(reader.get(), kRightRead | kRightWrite | kRightGrant, &copy),
                Status::kNoRights);
  EXPECT_STATUS(sys::duplicate(notification.get(), bm::abi::kRightMap, &copy), Status::kNoRights);
  EXPECT_STATUS(sys::duplicate(notification.get(), bm::abi::kAllRights + 1, &copy),
                Status::kInvalidArgument);
  OwnedHandle smaller;
  EXPECT_OK(sys::duplicate(reader.get(), kRightRead, smaller.out()));
  // Same rights as the source is allowed.
  OwnedHandle same;
  EXPECT_OK(sys::duplicate(notification.get(), kRightRead | kRightWrite | kRightGrant, same.out()));
}

USER_TEST(handles_closed_value_stays_invalid) {
  Handle first = 0;
  ASSERT_OK(sys::notification_create(&first));
  EXPECT_OK(sys::close(first));
  uint64_t bits = 0;
  EXPECT_STATUS(sys::notification_poll(first, &bits), Status::kInvalidHandle);
  EXPECT_STATUS(sys::notification_signal(first, 1), Status::kInvalidHandle);
  EXPECT_STATUS(sys::close(first), Status::kInvalidHandle);
  // New handles never reuse the old value, even after many closes.
  uint32_t reused = 0;
  for (int i = 0; i < 300; ++i) {
    Handle next = 0;
    ASSERT_OK(sys::notification_create(&next));
    if (next == first) ++reused;
    EXPECT_OK(sys::close(next));
  }
  EXPECT_EQ(reused, 0);
  EXPECT_STATUS(sys::notification_poll(first, &bits), Status::kInvalidHandle);
}

USER_TEST(handles_badge_is_fixed_once_set) {
  OwnedHandle endpoint;
  ASSERT_OK(sys::endpoint_create(endpoint.out()));
  OwnedHandle badged;
  ASSERT_OK(sys::duplicate(endpoint.get(), kRightWrite | kRightGrant, badged.out(), 0x77));
  Handle copy = 0;
  EXPECT_STATUS(sys::duplicate(badged.get(), kRightWrite, &copy, 0x78), Status::kNoRights);
  OwnedHandle same_badge;
  EXPECT_OK(sys::duplicate(badged.get(), kRightWrite, same_badge.out()));
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
    last = sys::notification_create(&extra_handles[created]);
    if (last != Status::kOk) break;
    ++created;
  }
  user::printf("  %u handles created until the table was full\n", created);
  EXPECT_STATUS(last, Status::kNoSlots);
  EXPECT_GT(created, 200);

  if (last == Status::kNoSlots) {
    uint64_t frames = sys::free_frames();
    uint64_t tasks = sys::task_count();
    uint64_t threads = sys::thread_count();
    Handle handle = 0;
    EXPECT_STATUS(sys::endpoint_create(&handle), Status::kNoSlots);
    EXPECT_STATUS(sys::notification_create(&handle), Status::kNoSlots);
    EXPECT_STATUS(sys::duplicate(extra_handles[0], kRightRead, &handle), Status::kNoSlots);
    EXPECT_STATUS(sys::memory_create(4, &handle), Status::kNoSlots);
    const Environment& env = environment();
    if (env.peer_image != 0) {
      EXPECT_STATUS(sys::task_create(env.peer_image, "full", 4, kPeerPriority, 0, &handle),
                    Status::kNoSlots);
    }
    EXPECT_EQ(sys::free_frames(), frames);
    EXPECT_EQ(sys::task_count(), tasks);
    EXPECT_EQ(sys::thread_count(), threads);

    EXPECT_OK(sys::close(extra_handles[created - 1]));
    EXPECT_OK(sys::notification_create(&extra_handles[created - 1]));
    EXPECT_STATUS(sys::notification_create(&handle), Status::kNoSlots);
  }
  uint32_t close_failures = 0;
  for (uint32_t i = 0; i < created; ++i) {
    if (sys::close(extra_handles[i]) != Status::kOk) ++close_failures;
  }
  EXPECT_EQ(close_failures, 0);
}
