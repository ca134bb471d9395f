// Frame quotas: a task holds at most the frames its creator allowed (its
// image, stacks and IPC buffers, the memory objects it creates); past that it
// gets kOutOfMemory, nothing else changes, and every other task keeps its
// share. Object mappings per address space are bounded too.
#include "lib/core/page_size.h"
#include "test/user/peer_control.h"
#include "test/user/user_test.h"
#include "user/program_loader.h"
#include "user/syscalls.h"

namespace {

using namespace user_tests;
using bm::abi::kOwnAddressSpace;
using bm::abi::SystemInfo;
using bm::ipc::ProtocolStatus;

constexpr uint64_t kPage = bm::kPageSize;
constexpr uint64_t kArea = 0x50000000;

uint64_t frame_limit() { return user::system_value(SystemInfo::kFrameLimit); }
uint64_t frames_charged() { return user::system_value(SystemInfo::kFramesCharged); }

}  // namespace

// init gave the suite a finite limit (the manifest's frames=, or the default).
USER_TEST(quota_own_limit_and_charge_are_reported) {
  uint64_t limit = frame_limit();
  uint64_t charged = frames_charged();
  EXPECT_TRUE(limit != ~0ull);
  EXPECT_GT(charged, 0);  // the image, the stack and the IPC buffer at least
  EXPECT_LE(charged, limit);
}

USER_TEST(quota_memory_create_past_the_limit_changes_nothing) {
  uint64_t available = frame_limit() - frames_charged();
  ASSERT_TRUE(available + 1 <= bm::abi::kMaxMemoryObjectPages);
  uint64_t free_before = user::free_frames();
  uint64_t charged_before = frames_charged();
  Handle handle = 0;
  EXPECT_STATUS(take(user::memory_create(available + 1), &handle), Status::kOutOfMemory);
  EXPECT_EQ(user::free_frames(), free_before);
  EXPECT_EQ(frames_charged(), charged_before);
  // Up to the limit works, and the charge goes back with the object.
  OwnedHandle half;
  ASSERT_OK(take(user::memory_create(available / 2), &half));
  EXPECT_EQ(frames_charged(), charged_before + available / 2);
  ASSERT_OK(user::handle_close(half.release()));
  EXPECT_EQ(frames_charged(), charged_before);
}

// Like priority, a creator cannot hand out more than it may hold itself.
USER_TEST(quota_child_cannot_exceed_its_creator) {
  Handle task = 0;
  const Environment& env = environment();
  ASSERT_TRUE(env.peer_image != 0);
  static const char kName[] = "too_big";
  EXPECT_STATUS(take(user::task_create(kName, sizeof(kName) - 1, 0, frame_limit() + 1), &task),
                Status::kNoRights);
  // A limit the image cannot even fit in fails cleanly: the loader's memory objects are
  // charged to the new task.
  user::ProgramSpec program{.image = env.peer_image,
                            .image_bytes = env.peer_image_bytes,
                            .name = kName,
                            .name_length = sizeof(kName) - 1,
                            .priority = kPeerPriority,
                            .frame_limit = 1};
  uint64_t free_before = user::free_frames();
  uint64_t tasks_before = user::task_count();
  EXPECT_EQ(user::load_program(program).error(), ProtocolStatus::kOutOfMemory);
  EXPECT_EQ(user::free_frames(), free_before);
  EXPECT_EQ(user::task_count(), tasks_before);
}

// memory_create with a payer: the frames count against that task's quota, not the caller's
// (the loader builds a program's image this way).
USER_TEST(quota_memory_create_charges_the_payer) {
  constexpr uint64_t kChildLimit = 16;
  static const char kName[] = "payer";
  auto created = user::task_create(kName, sizeof(kName) - 1, 0, kChildLimit);
  ASSERT_OK(created);
  uint64_t charged_before = frames_charged();
  OwnedHandle first, second;
  EXPECT_STATUS(take(user::memory_create(kChildLimit + 1, created->task.get()), &first),
                Status::kOutOfMemory);
  ASSERT_OK(take(user::memory_create(10, created->task.get()), &first));
  EXPECT_EQ(frames_charged(), charged_before);  // the caller pays nothing
  // 10 + 10 > 16: the child's quota is spent, however much the caller has left.
  EXPECT_STATUS(take(user::memory_create(10, created->task.get()), &second), Status::kOutOfMemory);
  EXPECT_OK(take(user::memory_create(10), &second));
  second.reset();
  // Closing the object gives the child its frames back.
  first.reset();
  EXPECT_OK(take(user::memory_create(10, created->task.get()), &second));
  second.reset();
  // A payer that has ended has no quota left to charge.
  EXPECT_OK(user::task_kill(created->task.get()));
  EXPECT_STATUS(take(user::memory_create(1, created->task.get()), &second), Status::kPeerGone);
}

// The payer must be a task the caller manages.
USER_TEST(quota_memory_create_payer_needs_a_managed_task) {
  static const char kName[] = "payer";
  auto created = user::task_create(kName, sizeof(kName) - 1, 0);
  ASSERT_OK(created);
  OwnedHandle endpoint, no_manage, memory;
  ASSERT_OK(take(user::endpoint_create(), &endpoint));
  ASSERT_OK(take(
      user::handle_duplicate(created->task.get(), bm::abi::kAllRights & ~bm::abi::kRightManage),
      &no_manage));
  uint64_t free_before = user::free_frames();
  EXPECT_STATUS(take(user::memory_create(1, 0x12345), &memory), Status::kInvalidHandle);
  EXPECT_STATUS(take(user::memory_create(1, endpoint.get()), &memory), Status::kWrongType);
  EXPECT_STATUS(take(user::memory_create(1, no_manage.get()), &memory), Status::kNoRights);
  EXPECT_EQ(user::free_frames(), free_before);
}

// A hog peer runs into its own limit; it, the suite and the system go on.
USER_TEST(quota_hog_is_refused_while_others_keep_their_share) {
  constexpr uint64_t kHogLimit = 256;
  uint64_t free_before = user::free_frames();
  {
    Peer hog;
    ASSERT_OK(hog.start(kPeerPriority, kHogLimit));
    uint64_t result = 0;
    ASSERT_OK(hog.request(peer::kCmdMapFrames, kHogLimit, kArea, 0, &result));
    EXPECT_STATUS(static_cast<Status>(result), Status::kOutOfMemory);
    // Smaller requests still fit until the limit is reached, then stop.
    uint64_t granted = 0;
    for (uint64_t i = 0; i < kHogLimit; ++i) {
      ASSERT_OK(hog.request(peer::kCmdMapFrames, 16, kArea + i * 16 * kPage, 0, &result));
      if (static_cast<Status>(result) != Status::kOk) {
        EXPECT_STATUS(static_cast<Status>(result), Status::kOutOfMemory);
        break;
      }
      granted += 16;
    }
    EXPECT_GT(granted, 0);
    EXPECT_LT(granted, kHogLimit);
    // The hog still answers, and the suite can still allocate.
    ASSERT_OK(hog.run(peer::kSiteInt3, 0, &result));
    EXPECT_EQ(result, 1);
    OwnedHandle mine;
    EXPECT_OK(take(user::memory_create(64), &mine));
  }
  // Its frames come back when it ends.
  EXPECT_EQ(user::free_frames(), free_before);
}

// Each object mapping may need page tables the quota does not see, so a
// space holds a bounded number of them: kNoSlots past it, nothing leaked.
USER_TEST(quota_object_mappings_are_bounded) {
  OwnedHandle memory;
  ASSERT_OK(take(user::memory_create(1), &memory));
  uint64_t mapped = 0;
  Status status = Status::kOk;
  for (; mapped < 2048; ++mapped) {
    status = user::memory_map(kOwnAddressSpace, memory.get(), kArea + mapped * kPage, 0).error();
    if (status != Status::kOk) break;
  }
  EXPECT_STATUS(status, Status::kNoSlots);
  EXPECT_LE(mapped, 1024);
  EXPECT_GT(mapped, 1000);
  for (uint64_t i = 0; i < mapped; ++i) {
    EXPECT_OK(user::memory_unmap(kOwnAddressSpace, kArea + i * kPage));
  }
  // Room again once they are gone.
  EXPECT_OK(user::memory_map(kOwnAddressSpace, memory.get(), kArea, 0));
  EXPECT_OK(user::memory_unmap(kOwnAddressSpace, kArea));
}
