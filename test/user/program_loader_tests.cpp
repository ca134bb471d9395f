// The ring-3 program loader (user/program_loader.h) against hostile images and handles, the
// empty task task_create makes, and what becomes of one nobody starts. The bad-image cases
// task_create used to refuse in the kernel are checked here, where the parsing now happens.
#include <stddef.h>

#include "lib/core/page_size.h"
#include "test/user/peer_control.h"
#include "test/user/suite.h"
#include "test/user/user_test.h"
#include "user/program_loader.h"
#include "user/syscalls.h"

namespace {

using namespace user_tests;
using bm::abi::kOwnAddressSpace;
using bm::ipc::ProtocolStatus;

constexpr uint64_t kPage = bm::kPageSize;
// Where these cases map the peer image and their copies of it in the suite.
constexpr uint64_t kImageArea = 0x60000000;
constexpr uint64_t kCopyArea = 0x68000000;

uint64_t pages_for(uint64_t bytes) { return (bytes + kPage - 1) / kPage; }

// A memory object holding the first `bytes` of the peer image: ordinary memory_create
// frames, not a contiguous boot module. Empty on failure.
OwnedHandle copy_of_peer_image(uint64_t bytes) {
  const Environment& env = environment();
  OwnedHandle copy;
  if (take(user::memory_create(pages_for(env.peer_image_bytes)), &copy) != Status::kOk) return {};
  bool ok = user::memory_map(kOwnAddressSpace, env.peer_image, kImageArea, 0).ok();
  ok = ok && user::memory_map(kOwnAddressSpace, copy.get(), kCopyArea, bm::abi::kMapWritable).ok();
  if (ok) {
    __builtin_memcpy(reinterpret_cast<void*>(kCopyArea), reinterpret_cast<const void*>(kImageArea),
                     bytes);
  }
  (void)user::memory_unmap(kOwnAddressSpace, kImageArea);
  (void)user::memory_unmap(kOwnAddressSpace, kCopyArea);
  if (!ok) return {};
  return copy;
}

user::ProgramSpec spec_for(Handle image, uint64_t bytes) {
  static const char kName[] = "loaded";
  return {.image = image,
          .image_bytes = bytes,
          .name = kName,
          .name_length = sizeof(kName) - 1,
          .priority = kPeerPriority};
}

bool contains(const char* text, const char* part) {
  for (; *text != '\0'; ++text) {
    size_t i = 0;
    while (part[i] != '\0' && text[i] == part[i]) ++i;
    if (part[i] == '\0') return true;
  }
  return false;
}

// Refused as kBadImage with lib/elf's reason containing `reason_part`, and nothing left
// behind: no task, no frames.
void expect_refused_image(TestContext& test_context, Handle image, uint64_t bytes,
                          const char* reason_part) {
  uint64_t tasks = user::task_count();
  uint64_t frames = user::free_frames();
  const char* reason = nullptr;
  auto loaded = user::load_program(spec_for(image, bytes), &reason);
  EXPECT_EQ(loaded.error(), ProtocolStatus::kBadImage);
  if (reason == nullptr || !contains(reason, reason_part)) {
    test_context.fail(__FILE__, __LINE__, "reason \"%s\" lacks \"%s\" (%lu bytes)",
                      reason ? reason : "null", reason_part, bytes);
  }
  EXPECT_EQ(user::task_count(), tasks);
  EXPECT_EQ(user::free_frames(), frames);
}

}  // namespace

// Memory that is not an ELF file at all (zeroed frames).
USER_TEST(loader_refuses_memory_that_is_not_an_executable) {
  OwnedHandle memory;
  ASSERT_OK(take(user::memory_create(2), &memory));
  expect_refused_image(test_context, memory.get(), 2 * kPage, "bad magic");
}

// The peer image cut short at each structure it needs.
USER_TEST(loader_refuses_a_truncated_image) {
  const Environment& env = environment();
  ASSERT_TRUE(env.peer_image != 0);
  OwnedHandle copy = copy_of_peer_image(env.peer_image_bytes);
  ASSERT_TRUE(copy.get() != 0);
  expect_refused_image(test_context, copy.get(), 0, "empty image");
  expect_refused_image(test_context, copy.get(), 32, "smaller than an ELF header");
  expect_refused_image(test_context, copy.get(), 64 + 8, "program header table");
  // The ELF header and the peer's three program headers take 232 bytes, and its text follows
  // them in the file (packed: max-page-size=16, user/meson.build), so 256 bytes cut the text.
  expect_refused_image(test_context, copy.get(), 256, "past the end");
}

// Handles the loader cannot read an image from: each refusal is the kernel's, and leaves
// nothing behind.
USER_TEST(loader_refuses_image_handles_it_cannot_map) {
  const Environment& env = environment();
  ASSERT_TRUE(env.peer_image != 0);
  OwnedHandle endpoint, no_map;
  ASSERT_OK(take(user::endpoint_create(), &endpoint));
  ASSERT_OK(take(user::handle_duplicate(env.peer_image, bm::abi::kRightRead), &no_map));
  uint64_t tasks = user::task_count();
  uint64_t frames = user::free_frames();
  uint64_t bytes = env.peer_image_bytes;
  EXPECT_EQ(user::load_program(spec_for(0x12345, bytes)).error(), ProtocolStatus::kInvalidHandle);
  EXPECT_EQ(user::load_program(spec_for(endpoint.get(), bytes)).error(),
            ProtocolStatus::kWrongType);
  EXPECT_EQ(user::load_program(spec_for(no_map.get(), bytes)).error(), ProtocolStatus::kNoRights);
  // Longer than the object: refused before the parser could read past it.
  EXPECT_EQ(user::load_program(spec_for(env.peer_image, (pages_for(bytes) + 1) * kPage)).error(),
            ProtocolStatus::kBadValue);
  EXPECT_EQ(user::task_count(), tasks);
  EXPECT_EQ(user::free_frames(), frames);
}

// Images need not be contiguous any more: a copy in ordinary memory runs like the boot module.
USER_TEST(loader_starts_a_program_from_ordinary_memory) {
  const Environment& env = environment();
  ASSERT_TRUE(env.peer_image != 0);
  OwnedHandle copy = copy_of_peer_image(env.peer_image_bytes);
  ASSERT_TRUE(copy.get() != 0);
  Peer peer;
  ASSERT_OK(peer.start(kPeerPriority, 0, copy.get(), env.peer_image_bytes));
  copy.reset();  // the peer's mappings are its own: the file may go
  uint64_t result = 0;
  ASSERT_OK(peer.request(peer::kCmdDuplicateBootstrap, 0, 0, 0, &result));
  EXPECT_STATUS(static_cast<Status>(result), Status::kNoRights);
  EXPECT_OK(peer.kill());
}

// task_create alone: a task with no mappings and no thread, which ends when its last handle
// closes (nothing could start it any more) and tells its watchers so.
USER_TEST(loader_empty_task_ends_with_its_last_handle) {
  uint64_t tasks = user::task_count();
  uint64_t threads = user::thread_count();
  uint64_t frames = user::free_frames();
  static const char kName[] = "empty";
  auto created = user::task_create(kName, sizeof(kName) - 1, 0);
  ASSERT_OK(created);
  EXPECT_EQ(user::task_count(), tasks + 1);
  EXPECT_EQ(user::thread_count(), threads);
  EXPECT_EQ(created->bootstrap, 0u);
  OwnedHandle ended;
  ASSERT_OK(take(user::notification_create(), &ended));
  ASSERT_OK(user::task_watch(created->task.get(), ended.get(), 3));
  OwnedHandle second;
  ASSERT_OK(take(user::handle_duplicate(created->task.get(), bm::abi::kRightRead), &second));
  created->task.reset();
  EXPECT_EQ(user::task_count(), tasks + 1);  // one handle left
  second.reset();
  EXPECT_EQ(user::task_count(), tasks);
  uint64_t bits = 0;
  EXPECT_OK(take(user::notification_poll(ended.get()), &bits));
  EXPECT_EQ(bits, 1u << 3);
  EXPECT_EQ(user::free_frames(), frames);
}

// An empty task can be killed like any other, and its bootstrap copy goes with it.
USER_TEST(loader_empty_task_can_be_killed) {
  uint64_t tasks = user::task_count();
  OwnedHandle endpoint;
  ASSERT_OK(take(user::endpoint_create(), &endpoint));
  static const char kName[] = "empty";
  auto created = user::task_create(kName, sizeof(kName) - 1, endpoint.get());
  ASSERT_OK(created);
  EXPECT_NE(created->bootstrap, 0u);
  EXPECT_OK(user::task_kill(created->task.get()));
  EXPECT_EQ(user::task_count(), tasks);
  EXPECT_STATUS(user::task_kill(created->task.get()), Status::kPeerGone);
  // Nothing can be started in it any more.
  Handle thread = 0;
  EXPECT_STATUS(
      take(user::thread_create(created->task.get(), bm::abi::kUserSpaceBase, 0, 1), &thread),
      Status::kPeerGone);
}

// Its creator ends before it has a thread: the creator's handle was the last, so it ends too.
USER_TEST(loader_empty_task_ends_with_its_creator) {
  uint64_t tasks = user::task_count();
  static const char kName[] = "orphan";
  auto created = user::task_create(kName, sizeof(kName) - 1, 0);
  ASSERT_OK(created);
  OwnedHandle ended;
  ASSERT_OK(take(user::notification_create(), &ended));
  ASSERT_OK(user::task_watch(created->task.get(), ended.get(), 0));
  Peer peer;
  ASSERT_OK(peer.start());
  uint64_t value = 0;
  // The handle moves to the peer: from now on only the peer holds the empty task.
  ASSERT_OK(peer.request(peer::kCmdTake, 0, 0, created->task.release(), &value));
  EXPECT_NE(value, 0u);
  EXPECT_EQ(user::task_count(), tasks + 2);
  EXPECT_OK(peer.kill());
  uint64_t bits = 0;
  EXPECT_OK(take(user::notification_wait(ended.get(), ticks_for_ms(kPeerTimeoutMs)), &bits));
  EXPECT_EQ(bits, 1u);
  EXPECT_EQ(user::task_count(), tasks);
}
