// Memory objects: create, map, share, unmap; W^X and address checks; frames
// go back when the last handle and mapping are gone; mapping into another
// task; an unmapped page really is gone.
#include "lib/core/page_size.h"
#include "test/user/peer_control.h"
#include "test/user/user_test.h"
#include "user/syscalls.h"

namespace {

using namespace user_tests;
using bm::abi::kMapExecutable;
using bm::abi::kMapWritable;
using bm::abi::kOwnAddressSpace;

constexpr uint64_t kPage = bm::kPageSize;
// Free user addresses, far from the program (4 MiB) and the stacks (top).
constexpr uint64_t kArea = 0x20000000;
constexpr uint64_t kOtherArea = 0x20100000;

volatile uint64_t* words_at(uint64_t address) {
  return reinterpret_cast<volatile uint64_t*>(address);
}

}  // namespace

USER_TEST(memory_map_write_read_unmap) {
  constexpr uint64_t kPages = 4;
  OwnedHandle memory;
  ASSERT_OK(take(user::memory_create(kPages), &memory));
  ASSERT_OK(user::memory_map(kOwnAddressSpace, memory.get(), kArea, kMapWritable));
  uint32_t not_zero = 0;
  for (uint64_t i = 0; i < kPages * kPage / 8; ++i) {
    if (words_at(kArea)[i] != 0) ++not_zero;
  }
  EXPECT_EQ(not_zero, 0);  // fresh frames are wiped
  for (uint64_t i = 0; i < kPages * kPage / 8; ++i) words_at(kArea)[i] = i * 3 + 1;
  uint32_t wrong = 0;
  for (uint64_t i = 0; i < kPages * kPage / 8; ++i) {
    if (words_at(kArea)[i] != i * 3 + 1) ++wrong;
  }
  EXPECT_EQ(wrong, 0);
  EXPECT_OK(user::debug_write(reinterpret_cast<const char*>(kArea), 0));
  EXPECT_OK(user::memory_unmap(kOwnAddressSpace, kArea));
  // The pages are gone: the kernel refuses them as a buffer.
  EXPECT_STATUS(user::debug_write(reinterpret_cast<const char*>(kArea), 1), Status::kBadAddress);
  EXPECT_STATUS(user::debug_write(reinterpret_cast<const char*>(kArea + 3 * kPage), 1),
                Status::kBadAddress);
  EXPECT_STATUS(user::memory_unmap(kOwnAddressSpace, kArea), Status::kBadAddress);
}

// One object, two mappings: the same frames. The data outlives a mapping.
USER_TEST(memory_mappings_share_frames) {
  OwnedHandle memory;
  ASSERT_OK(take(user::memory_create(1), &memory));
  ASSERT_OK(user::memory_map(kOwnAddressSpace, memory.get(), kArea, kMapWritable));
  ASSERT_OK(user::memory_map(kOwnAddressSpace, memory.get(), kOtherArea, 0));
  words_at(kArea)[7] = 0xfeedface;
  EXPECT_EQ(words_at(kOtherArea)[7], 0xfeedface);
  EXPECT_OK(user::memory_unmap(kOwnAddressSpace, kArea));
  EXPECT_EQ(words_at(kOtherArea)[7], 0xfeedface);
  EXPECT_OK(user::memory_unmap(kOwnAddressSpace, kOtherArea));
  ASSERT_OK(user::memory_map(kOwnAddressSpace, memory.get(), kArea, 0));
  EXPECT_EQ(words_at(kArea)[7], 0xfeedface);
  EXPECT_OK(user::memory_unmap(kOwnAddressSpace, kArea));
}

USER_TEST(memory_map_refuses_write_and_execute_together) {
  OwnedHandle memory;
  ASSERT_OK(take(user::memory_create(1), &memory));
  EXPECT_STATUS(
      user::memory_map(kOwnAddressSpace, memory.get(), kArea, kMapWritable | kMapExecutable),
      Status::kInvalidArgument);
  EXPECT_STATUS(user::memory_map(kOwnAddressSpace, memory.get(), kArea, 1u << 2),
                Status::kInvalidArgument);
  EXPECT_STATUS(user::debug_write(reinterpret_cast<const char*>(kArea), 1), Status::kBadAddress);
  // Executable alone is fine.
  EXPECT_OK(user::memory_map(kOwnAddressSpace, memory.get(), kArea, kMapExecutable));
  EXPECT_OK(user::memory_unmap(kOwnAddressSpace, kArea));
}

USER_TEST(memory_map_over_a_mapped_address_fails) {
  OwnedHandle first, second;
  ASSERT_OK(take(user::memory_create(2), &first));
  ASSERT_OK(take(user::memory_create(1), &second));
  ASSERT_OK(user::memory_map(kOwnAddressSpace, first.get(), kArea, kMapWritable));
  words_at(kArea + kPage)[0] = 0x1111;
  Status status =
      user::memory_map(kOwnAddressSpace, second.get(), kArea + kPage, kMapWritable).error();
  EXPECT_TRUE(status != Status::kOk);
  // Overlapping only at the end of the new range.
  Status overlap = user::memory_map(kOwnAddressSpace, first.get(), kArea - kPage, 0).error();
  EXPECT_TRUE(overlap != Status::kOk);
  // The program's own code is mapped too.
  Status over_code =
      user::memory_map(kOwnAddressSpace, second.get(), bm::abi::kUserSpaceBase, 0).error();
  EXPECT_TRUE(over_code != Status::kOk);
  EXPECT_EQ(words_at(kArea + kPage)[0], 0x1111);  // the old mapping is untouched
  EXPECT_STATUS(user::debug_write(reinterpret_cast<const char*>(kArea - kPage), 1),
                Status::kBadAddress);  // and the failed one left nothing behind
  EXPECT_OK(user::memory_unmap(kOwnAddressSpace, kArea));
  if (status == Status::kOk) (void)user::memory_unmap(kOwnAddressSpace, kArea + kPage);
  if (overlap == Status::kOk) (void)user::memory_unmap(kOwnAddressSpace, kArea - kPage);
}

USER_TEST(memory_map_refuses_bad_addresses) {
  OwnedHandle memory;
  ASSERT_OK(take(user::memory_create(4), &memory));
  const uint64_t bad[] = {
      kArea + 1,                        // not page aligned
      0,                                // below the user space
      bm::abi::kUserSpaceBase - kPage,  // still below
      bm::abi::kUserSpaceEnd - kPage,   // runs past the end of the user half
      bm::abi::kUserSpaceEnd,           // non-canonical
      0xffffffff80100000,               // kernel half
      ~0ull & ~(kPage - 1),             // wraps around
  };
  for (uint64_t address : bad) {
    EXPECT_STATUS(user::memory_map(kOwnAddressSpace, memory.get(), address, 0),
                  Status::kBadAddress);
  }
}

USER_TEST(memory_unmap_only_undoes_object_mappings) {
  EXPECT_STATUS(user::memory_unmap(kOwnAddressSpace, kArea), Status::kBadAddress);
  EXPECT_STATUS(user::memory_unmap(kOwnAddressSpace, kArea + 1), Status::kBadAddress);
  // Only where a mapping starts: not a page inside one. (The program's own image is object
  // mappings its loader made, so the program could unmap it, to its own harm only.)
  OwnedHandle two_pages;
  ASSERT_OK(take(user::memory_create(2), &two_pages));
  ASSERT_OK(user::memory_map(kOwnAddressSpace, two_pages.get(), kArea, 0));
  EXPECT_STATUS(user::memory_unmap(kOwnAddressSpace, kArea + kPage), Status::kBadAddress);
  EXPECT_OK(user::memory_unmap(kOwnAddressSpace, kArea));
  EXPECT_STATUS(user::memory_unmap(kOwnAddressSpace, 0xffffffff80100000), Status::kBadAddress);
  // The IPC buffer neither.
  uint64_t buffer = user::system_value(bm::abi::SystemInfo::kIpcBuffer);
  EXPECT_STATUS(user::memory_unmap(kOwnAddressSpace, buffer), Status::kBadAddress);
  EXPECT_OK(user::debug_write(reinterpret_cast<const char*>(buffer), 0));
}

USER_TEST(memory_map_needs_map_and_write_rights) {
  OwnedHandle memory, read_only, no_map;
  ASSERT_OK(take(user::memory_create(1), &memory));
  ASSERT_OK(take(user::handle_duplicate(memory.get(), bm::abi::kRightRead | bm::abi::kRightMap),
                 &read_only));
  ASSERT_OK(take(user::handle_duplicate(memory.get(), bm::abi::kRightRead | bm::abi::kRightWrite),
                 &no_map));
  EXPECT_STATUS(user::memory_map(kOwnAddressSpace, read_only.get(), kArea, kMapWritable),
                Status::kNoRights);
  EXPECT_STATUS(user::memory_map(kOwnAddressSpace, no_map.get(), kArea, 0), Status::kNoRights);
  EXPECT_OK(user::memory_map(kOwnAddressSpace, read_only.get(), kArea, 0));
  EXPECT_OK(user::memory_unmap(kOwnAddressSpace, kArea));
  // The peer image is a boot module: readable, never writable.
  const Environment& env = environment();
  if (env.peer_image != 0) {
    EXPECT_STATUS(user::memory_map(kOwnAddressSpace, env.peer_image, kArea, kMapWritable),
                  Status::kNoRights);
  }
}

USER_TEST(memory_create_out_of_memory_changes_nothing) {
  uint64_t usable = user::system_value(bm::abi::SystemInfo::kUsableFrames);
  Handle handle = 0;
  if (usable >= bm::abi::kMaxMemoryObjectPages) {
    test_context.fail(__FILE__, __LINE__, "%lu usable frames: run with less than 256 MiB", usable);
    return;
  }
  // The first attempt may grow the kernel heap for the frame list (the heap
  // keeps its pages); from then on a failed attempt must cost nothing.
  EXPECT_STATUS(take(user::memory_create(bm::abi::kMaxMemoryObjectPages), &handle),
                Status::kOutOfMemory);
  uint64_t frames = user::free_frames();
  EXPECT_STATUS(take(user::memory_create(bm::abi::kMaxMemoryObjectPages), &handle),
                Status::kOutOfMemory);
  EXPECT_EQ(user::free_frames(), frames);
  // Memory is still there for a reasonable request.
  OwnedHandle small;
  EXPECT_OK(take(user::memory_create(16), &small));
}

// Frames belong to the object: they return when its last handle closes and
// its last mapping goes, not before.
USER_TEST(memory_frames_return_with_the_last_reference) {
  constexpr uint64_t kPages = 8;
  Handle memory = 0;
  ASSERT_OK(take(user::memory_create(kPages), &memory));  // warms the kernel heap up
  ASSERT_OK(user::handle_close(memory));
  uint64_t before = user::free_frames();
  ASSERT_OK(take(user::memory_create(kPages), &memory));
  EXPECT_LE(user::free_frames(), before - kPages);
  EXPECT_OK(user::handle_close(memory));
  EXPECT_EQ(user::free_frames(), before);

  ASSERT_OK(take(user::memory_create(kPages), &memory));
  ASSERT_OK(user::memory_map(kOwnAddressSpace, memory, kArea, kMapWritable));
  words_at(kArea)[0] = 42;
  EXPECT_OK(user::handle_close(memory));
  EXPECT_EQ(words_at(kArea)[0], 42);  // the mapping keeps the object
  EXPECT_LE(user::free_frames(), before - kPages);
  EXPECT_OK(user::memory_unmap(kOwnAddressSpace, kArea));
  EXPECT_EQ(user::free_frames(), before);
}

// memory_map with a task handle maps into that task: shared memory.
USER_TEST(memory_shared_with_another_task) {
  constexpr uint64_t kPeerArea = 0x30000000;
  OwnedHandle memory;
  ASSERT_OK(take(user::memory_create(1), &memory));
  ASSERT_OK(user::memory_map(kOwnAddressSpace, memory.get(), kArea, kMapWritable));
  words_at(kArea)[0] = 0x5eed;
  Peer peer;
  ASSERT_OK(peer.start());
  ASSERT_OK(user::memory_map(peer.task(), memory.get(), kPeerArea, kMapWritable));
  uint64_t result = 0;
  EXPECT_OK(peer.run(peer::kSiteLoad, kPeerArea, &result));
  EXPECT_EQ(result, 0x5eed);
  EXPECT_OK(peer.run(peer::kSiteStore, kPeerArea + 8, &result));
  EXPECT_EQ(words_at(kArea)[1], peer::kStoreValue);
  EXPECT_OK(user::memory_unmap(peer.task(), kPeerArea));
  ASSERT_OK(peer.send_command(peer::kCmdRun, peer::kSiteLoad, kPeerArea));
  FaultReport report;
  ASSERT_TRUE(expect_fault(test_context, peer, &report));
  EXPECT_EQ(report.vector, kVectorPageFault);
  EXPECT_EQ(report.cr2, kPeerArea);
  EXPECT_OK(user::memory_unmap(kOwnAddressSpace, kArea));
}

// A page the peer mapped itself and unmapped again faults on access.
USER_TEST(memory_unmapped_page_faults) {
  constexpr uint64_t kPeerArea = 0x31000000;
  Peer peer;
  ASSERT_OK(peer.start());
  uint64_t result = 0;
  ASSERT_OK(peer.request(peer::kCmdMapFrames, 1, kPeerArea, 0, &result));
  EXPECT_STATUS(static_cast<Status>(result), Status::kOk);
  EXPECT_OK(peer.run(peer::kSiteLoad, kPeerArea, &result));
  EXPECT_EQ(result, 1);  // kCmdMapFrames writes page number + 1
  ASSERT_OK(peer.request(peer::kCmdUnmap, kPeerArea, 0, 0, &result));
  EXPECT_STATUS(static_cast<Status>(result), Status::kOk);
  ASSERT_OK(peer.send_command(peer::kCmdRun, peer::kSiteLoad, kPeerArea));
  FaultReport report;
  ASSERT_TRUE(expect_fault(test_context, peer, &report));
  EXPECT_EQ(report.vector, kVectorPageFault);
  EXPECT_EQ(report.rip, peer.site(peer::kSiteLoad));
  EXPECT_EQ(report.cr2, kPeerArea);
  EXPECT_EQ(report.error_code & kPageFaultPresent, 0);
}

// A dead task's handle still names the task, but nothing can be mapped or
// started in it any more (docs/syscalls.md: kPeerGone for the memory calls,
// kInvalidArgument for thread_create).
USER_TEST(memory_map_into_a_dead_task_fails) {
  Peer peer;
  ASSERT_OK(peer.start());
  ASSERT_OK(user::task_kill(peer.task()));
  OwnedHandle memory;
  ASSERT_OK(take(user::memory_create(1), &memory));
  uint64_t frames = user::free_frames();
  uint64_t threads = user::thread_count();
  EXPECT_STATUS(user::memory_map(peer.task(), memory.get(), 0x30000000, 0), Status::kPeerGone);
  Handle thread = 0;
  Status started = take(user::thread_create(peer.task(), peer.info().thread_entry, 0, 1), &thread);
  EXPECT_STATUS(started, Status::kPeerGone);
  EXPECT_STATUS(user::memory_unmap(peer.task(), 0x30000000), Status::kPeerGone);
  EXPECT_EQ(user::free_frames(), frames);
  EXPECT_EQ(user::thread_count(), threads);
  if (started == Status::kOk) (void)user::handle_close(thread);
}

// memory_map_range maps part of an object, page by page if need be: the pages are the
// object's own (shared with a whole-object mapping), and each range unmaps on its own.
USER_TEST(memory_map_range_maps_part_of_an_object) {
  constexpr uint64_t kPages = 4;
  OwnedHandle memory;
  ASSERT_OK(take(user::memory_create(kPages), &memory));
  ASSERT_OK(user::memory_map(kOwnAddressSpace, memory.get(), kArea, kMapWritable));
  for (uint64_t page = 0; page < kPages; ++page) words_at(kArea + page * kPage)[0] = 100 + page;
  // Pages 2 and 3 at kOtherArea, page 0 right after them.
  ASSERT_OK(user::memory_map_range(kOwnAddressSpace, memory.get(), kOtherArea, 0, 2, 2));
  ASSERT_OK(user::memory_map_range(kOwnAddressSpace, memory.get(), kOtherArea + 2 * kPage,
                                   kMapWritable, 0, 1));
  EXPECT_EQ(words_at(kOtherArea)[0], 102u);
  EXPECT_EQ(words_at(kOtherArea + kPage)[0], 103u);
  words_at(kOtherArea + 2 * kPage)[1] = 0xabcdef;
  EXPECT_EQ(words_at(kArea)[1], 0xabcdefu);
  // Nothing past the three mapped pages.
  EXPECT_STATUS(user::debug_write(reinterpret_cast<const char*>(kOtherArea + 3 * kPage), 1),
                Status::kBadAddress);
  // Bad ranges change nothing.
  EXPECT_STATUS(user::memory_map_range(kOwnAddressSpace, memory.get(), 0x22000000, 0, 4, 1),
                Status::kInvalidArgument);
  EXPECT_STATUS(user::memory_map_range(kOwnAddressSpace, memory.get(), 0x22000000, 0, 1, 4),
                Status::kInvalidArgument);
  EXPECT_STATUS(user::memory_map_range(kOwnAddressSpace, memory.get(), 0x22000000, 0, 0, 0),
                Status::kInvalidArgument);
  EXPECT_STATUS(user::memory_map_range(kOwnAddressSpace, memory.get(), 0x22000000, 0, ~0ull, 2),
                Status::kInvalidArgument);
  EXPECT_STATUS(user::debug_write(reinterpret_cast<const char*>(0x22000000), 1),
                Status::kBadAddress);
  EXPECT_OK(user::memory_unmap(kOwnAddressSpace, kOtherArea));
  EXPECT_STATUS(user::debug_write(reinterpret_cast<const char*>(kOtherArea), 1),
                Status::kBadAddress);
  EXPECT_EQ(words_at(kOtherArea + 2 * kPage)[1], 0xabcdefu);  // the other range stays
  EXPECT_OK(user::memory_unmap(kOwnAddressSpace, kOtherArea + 2 * kPage));
  EXPECT_OK(user::memory_unmap(kOwnAddressSpace, kArea));
}

// memory_create commits the frames at once (free_frames drops and they come back with the
// object), but each page gets its frame, zeroed, only when first mapped: a page mapped
// first through one range shows the same bytes through a later mapping of the whole object,
// and frames that held another object's data come back wiped.
USER_TEST(memory_frames_are_committed_at_create_and_taken_at_first_map) {
  constexpr uint64_t kPages = 8;
  OwnedHandle warm_up;
  ASSERT_OK(take(user::memory_create(kPages), &warm_up));  // the kernel heap's frame list
  warm_up.reset();
  uint64_t before = user::free_frames();
  Handle memory = 0;
  ASSERT_OK(take(user::memory_create(kPages), &memory));
  EXPECT_LE(user::free_frames(), before - kPages);
  ASSERT_OK(user::memory_map_range(kOwnAddressSpace, memory, kOtherArea, kMapWritable, 5, 2));
  words_at(kOtherArea)[0] = 0x5555;
  words_at(kOtherArea + kPage)[9] = 0x6666;
  ASSERT_OK(user::memory_map(kOwnAddressSpace, memory, kArea, kMapWritable));
  EXPECT_EQ(words_at(kArea + 5 * kPage)[0], 0x5555u);
  EXPECT_EQ(words_at(kArea + 6 * kPage)[9], 0x6666u);
  uint32_t not_zero = 0;
  for (uint64_t i = 0; i < kPages * kPage / 8; ++i) {
    if (words_at(kArea)[i] != 0) ++not_zero;
  }
  EXPECT_EQ(not_zero, 2u);
  // Every word dirty, then everything given back.
  for (uint64_t i = 0; i < kPages * kPage / 8; ++i) words_at(kArea)[i] = ~i;
  EXPECT_OK(user::memory_unmap(kOwnAddressSpace, kOtherArea));
  EXPECT_OK(user::memory_unmap(kOwnAddressSpace, kArea));
  EXPECT_OK(user::handle_close(memory));
  EXPECT_EQ(user::free_frames(), before);
  // The next object most likely gets the same frames: they must read as zero.
  OwnedHandle again;
  ASSERT_OK(take(user::memory_create(kPages), &again));
  ASSERT_OK(user::memory_map(kOwnAddressSpace, again.get(), kArea, 0));
  not_zero = 0;
  for (uint64_t i = 0; i < kPages * kPage / 8; ++i) {
    if (words_at(kArea)[i] != 0) ++not_zero;
  }
  EXPECT_EQ(not_zero, 0u);
  EXPECT_OK(user::memory_unmap(kOwnAddressSpace, kArea));
}

// A manifest pool=4 line gives a fresh, zeroed, writable 4-page memory object.
USER_TEST(memory_pool_grant_is_fresh_writable_memory) {
  Handle pool = environment().pool;
  ASSERT_TRUE(pool != 0);
  ASSERT_OK(user::memory_map(kOwnAddressSpace, pool, kArea, kMapWritable));
  uint32_t not_zero = 0;
  for (uint64_t i = 0; i < kPoolPages * kPage / 8; ++i) {
    if (words_at(kArea)[i] != 0) ++not_zero;
  }
  EXPECT_EQ(not_zero, 0);
  words_at(kArea + 3 * kPage)[511] = 42;
  EXPECT_EQ(words_at(kArea + 3 * kPage)[511], 42u);
  EXPECT_STATUS(user::debug_write(reinterpret_cast<const char*>(kArea + 4 * kPage), 1),
                Status::kBadAddress);
  EXPECT_OK(user::memory_unmap(kOwnAddressSpace, kArea));
}
