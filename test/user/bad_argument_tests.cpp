// Every argument check of the system calls, from ring 3: each bad argument
// gets its own status, and the failed call changes nothing (no message
// delivered, no task, thread, frame or handle gained or lost).
#include "lib/abi/message.h"
#include "test/user/helper_thread.h"
#include "test/user/peer_control.h"
#include "test/user/user_test.h"
#include "user/ipc.h"
#include "user/program_loader.h"
#include "user/syscalls.h"

namespace {

using namespace user_tests;
using bm::abi::Syscall;
using bm::ipc::ProtocolStatus;
using user::raw_syscall;

constexpr uint64_t kNonCanonical = 0x0000800000000000;
constexpr uint64_t kKernelAddress = 0xffffffff80100000;
constexpr uint64_t kUnmapped = 0x10000000;
constexpr uint64_t kTooLongTimeout = (1ull << 32) + 1;

Status call_with_tag(Handle endpoint, uint64_t tag) {
  return raw_syscall(Syscall::ipc_call, endpoint, tag, 1, 2, 3, 4).status;
}
Status send_with_tag(Handle endpoint, uint64_t tag) {
  return raw_syscall(Syscall::ipc_send, endpoint, tag, 1, 2, 3, 4).status;
}

// A receiver that must get nothing: it waits `timeout` ticks and records
// what its receive returned.
Handle witness_endpoint;
volatile Status witness_status;
volatile uint32_t witness_label;

void witness(uint64_t timeout) {
  user::Message message;
  witness_status = user::receive(witness_endpoint, &message, timeout);
  witness_label = message.label;
}

}  // namespace

USER_TEST(bad_unknown_syscall_numbers) {
  EXPECT_STATUS(raw_syscall(static_cast<Syscall>(999)).status, Status::kUnknownSyscall);
  EXPECT_STATUS(raw_syscall(static_cast<Syscall>(bm::abi::kSyscallCount)).status,
                Status::kUnknownSyscall);
  EXPECT_STATUS(raw_syscall(static_cast<Syscall>(~0ull)).status, Status::kUnknownSyscall);
  EXPECT_STATUS(raw_syscall(static_cast<Syscall>(1ull << 32)).status, Status::kUnknownSyscall);
}

USER_TEST(bad_invalid_handles) {
  Handle closed = 0;
  ASSERT_OK(take(user::endpoint_create(), &closed));
  ASSERT_OK(user::handle_close(closed));
  const Handle invalid[] = {0, 0x12345, closed, 0xffffffff};
  for (Handle handle : invalid) {
    uint64_t bits = 0;
    Handle copy = 0;
    EXPECT_STATUS(call_with_tag(handle, 0), Status::kInvalidHandle);
    EXPECT_STATUS(send_with_tag(handle, 0), Status::kInvalidHandle);
    EXPECT_STATUS(raw_syscall(Syscall::ipc_recv, handle, bm::abi::kDontWait).status,
                  Status::kInvalidHandle);
    EXPECT_STATUS(user::notification_signal(handle, 1), Status::kInvalidHandle);
    EXPECT_STATUS(take(user::notification_poll(handle), &bits), Status::kInvalidHandle);
    EXPECT_STATUS(user::handle_close(handle), Status::kInvalidHandle);
    EXPECT_STATUS(take(user::handle_duplicate(handle, bm::abi::kRightRead), &copy),
                  Status::kInvalidHandle);
    EXPECT_STATUS(user::task_kill(handle), Status::kInvalidHandle);
    EXPECT_STATUS(user::irq_ack(handle), Status::kInvalidHandle);
    EXPECT_STATUS(user::memory_map(bm::abi::kOwnAddressSpace, handle, 0x20000000, 0),
                  Status::kInvalidHandle);
    EXPECT_STATUS(take(user::io_port_range_create(handle, 0x80, 1), &copy), Status::kInvalidHandle);
  }
  // A task handle that is not open (0 means "own space" for memory calls).
  EXPECT_STATUS(user::memory_unmap(0x12345, 0x20000000), Status::kInvalidHandle);
  // Handles are 32 bits: a valid handle with upper bits set is not that
  // handle (the kernel must not truncate the register).
  OwnedHandle notification;
  ASSERT_OK(take(user::notification_create(), &notification));
  const uint64_t widened = notification.get() | (1ull << 32);
  EXPECT_STATUS(raw_syscall(Syscall::notification_signal, widened, 1).status,
                Status::kInvalidHandle);
  EXPECT_STATUS(raw_syscall(Syscall::handle_close, widened).status, Status::kInvalidHandle);
  EXPECT_STATUS(raw_syscall(Syscall::memory_unmap, widened, 0x20000000).status,
                Status::kInvalidHandle);
  // memory_create's payer word, widened or all ones: no handle fits in it.
  EXPECT_STATUS(raw_syscall(Syscall::memory_create, 1, ~0ull).status, Status::kInvalidHandle);
  EXPECT_STATUS(raw_syscall(Syscall::memory_create, 1, widened).status, Status::kInvalidHandle);
  uint64_t bits = 0;
  EXPECT_OK(take(user::notification_poll(notification.get()), &bits));
  EXPECT_EQ(bits, 0);  // the widened signal did not reach it
}

USER_TEST(bad_wrong_object_types) {
  OwnedHandle notification, endpoint;
  ASSERT_OK(take(user::notification_create(), &notification));
  ASSERT_OK(take(user::endpoint_create(), &endpoint));
  uint64_t bits = 0;
  Handle handle = 0;
  EXPECT_STATUS(call_with_tag(notification.get(), 0), Status::kWrongType);
  EXPECT_STATUS(send_with_tag(notification.get(), 0), Status::kWrongType);
  EXPECT_STATUS(raw_syscall(Syscall::ipc_recv, notification.get(), bm::abi::kDontWait).status,
                Status::kWrongType);
  EXPECT_STATUS(user::notification_signal(endpoint.get(), 1), Status::kWrongType);
  EXPECT_STATUS(take(user::notification_poll(endpoint.get()), &bits), Status::kWrongType);
  EXPECT_STATUS(user::irq_bind(endpoint.get(), notification.get(), 0), Status::kWrongType);
  EXPECT_STATUS(user::irq_ack(notification.get()), Status::kWrongType);
  EXPECT_STATUS(user::memory_map(bm::abi::kOwnAddressSpace, notification.get(), 0x20000000, 0),
                Status::kWrongType);
  EXPECT_STATUS(user::memory_map(notification.get(), notification.get(), 0x20000000, 0),
                Status::kWrongType);
  EXPECT_STATUS(user::task_kill(endpoint.get()), Status::kWrongType);
  EXPECT_STATUS(take(user::thread_create(endpoint.get(), 0x400000, 0, 1), &handle),
                Status::kWrongType);
  EXPECT_STATUS(take(user::io_port_range_create(notification.get(), 0x80, 1), &handle),
                Status::kWrongType);
  EXPECT_STATUS(take(user::memory_create(1, endpoint.get()), &handle), Status::kWrongType);
  // Only endpoint handles take badges.
  EXPECT_STATUS(
      take(user::handle_duplicate(notification.get(), bm::abi::kRightRead, 0x99), &handle),
      Status::kWrongType);
}

USER_TEST(bad_missing_rights) {
  OwnedHandle endpoint;
  ASSERT_OK(take(user::endpoint_create(), &endpoint));
  OwnedHandle no_write, no_read;
  ASSERT_OK(take(user::handle_duplicate(endpoint.get(), bm::abi::kRightRead | bm::abi::kRightGrant),
                 &no_write));
  ASSERT_OK(take(user::handle_duplicate(endpoint.get(), bm::abi::kRightWrite), &no_read));
  EXPECT_STATUS(call_with_tag(no_write.get(), 0), Status::kNoRights);
  EXPECT_STATUS(send_with_tag(no_write.get(), 0), Status::kNoRights);
  EXPECT_STATUS(raw_syscall(Syscall::ipc_recv, no_read.get(), bm::abi::kDontWait).status,
                Status::kNoRights);
  Handle copy = 0;
  EXPECT_STATUS(
      take(user::handle_duplicate(no_write.get(), bm::abi::kRightRead | bm::abi::kRightWrite),
           &copy),
      Status::kNoRights);  // asks for more than the source has
  EXPECT_STATUS(take(user::handle_duplicate(no_read.get(), bm::abi::kRightWrite), &copy),
                Status::kNoRights);  // the source lacks the grant right
  // A task handle needs manage for memory_map into its space: none here has
  // it, and an endpoint is the wrong type anyway, so use a memory handle
  // without map.
  OwnedHandle memory, unmappable;
  ASSERT_OK(take(user::memory_create(1), &memory));
  ASSERT_OK(take(user::handle_duplicate(memory.get(), bm::abi::kRightRead), &unmappable));
  EXPECT_STATUS(user::memory_map(bm::abi::kOwnAddressSpace, unmappable.get(), 0x20000000, 0),
                Status::kNoRights);
}

USER_TEST(bad_pointers_to_debug_write) {
  EXPECT_STATUS(user::debug_write(reinterpret_cast<const char*>(kNonCanonical), 4),
                Status::kBadAddress);
  EXPECT_STATUS(user::debug_write(reinterpret_cast<const char*>(kKernelAddress), 4),
                Status::kBadAddress);
  EXPECT_STATUS(user::debug_write(reinterpret_cast<const char*>(kUnmapped), 4),
                Status::kBadAddress);
  EXPECT_STATUS(user::debug_write(nullptr, 1), Status::kBadAddress);
  // Nothing to read, nothing to check.
  EXPECT_OK(user::debug_write(reinterpret_cast<const char*>(kKernelAddress), 0));
  // Wrapping around the end of the address space.
  EXPECT_STATUS(user::debug_write(reinterpret_cast<const char*>(~0ull - 7), 16),
                Status::kBadAddress);
  // Starts in a mapped page and runs into an unmapped one: refused whole.
  OwnedHandle memory;
  ASSERT_OK(take(user::memory_create(1), &memory));
  constexpr uint64_t kPage = 0x21000000;
  ASSERT_OK(
      user::memory_map(bm::abi::kOwnAddressSpace, memory.get(), kPage, bm::abi::kMapWritable));
  char* text = reinterpret_cast<char*>(kPage);
  for (int i = 0; i < 4096; ++i) text[i] = 'x';
  EXPECT_STATUS(user::debug_write(text + 4090, 10), Status::kBadAddress);
  text[4094] = '\n';
  EXPECT_OK(user::debug_write(text + 4090, 5));  // the same tail, inside the page
  EXPECT_OK(user::memory_unmap(bm::abi::kOwnAddressSpace, kPage));
}

namespace {
char long_text[4097];
}  // namespace

USER_TEST(bad_lengths_over_the_limit) {
  for (char& c : long_text) c = '-';
  EXPECT_STATUS(user::debug_write(long_text, sizeof(long_text)), Status::kTooLong);
  EXPECT_STATUS(user::debug_write(long_text, ~0ull), Status::kTooLong);

  OwnedHandle endpoint;
  ASSERT_OK(take(user::endpoint_create(), &endpoint));
  uint64_t tag_513 = static_cast<uint64_t>(0x4d00) | (513ull << bm::abi::kTagWordsShift);
  uint64_t tag_1023 = static_cast<uint64_t>(0x4d00) | (1023ull << bm::abi::kTagWordsShift);
  EXPECT_STATUS(call_with_tag(endpoint.get(), tag_513), Status::kTooLong);
  EXPECT_STATUS(send_with_tag(endpoint.get(), tag_513), Status::kTooLong);
  EXPECT_STATUS(send_with_tag(endpoint.get(), tag_1023), Status::kTooLong);

  uint64_t tasks = user::task_count();
  Handle task = 0;
  const char name24[] = "abcdefghijklmnopqrstuvwx";
  static_assert(sizeof(name24) - 1 == bm::abi::kMaxTaskNameLength + 1);
  EXPECT_STATUS(take(user::task_create(name24, 24, 0), &task), Status::kTooLong);
  EXPECT_STATUS(take(user::task_create(name24, ~0ull, 0), &task), Status::kTooLong);
  EXPECT_EQ(user::task_count(), tasks);
}

// Reserved tag bits, kernel labels and bad reply options are refused, and
// a receiver that waits meanwhile gets nothing.
USER_TEST(bad_message_tags_deliver_nothing) {
  OwnedHandle endpoint;
  ASSERT_OK(take(user::endpoint_create(), &endpoint));
  witness_endpoint = endpoint.get();
  witness_status = Status::kBusy;
  HelperThread receiver;
  ASSERT_OK(receiver.start(witness, 40, kPeerPriority));
  (void)user::sleep(5);  // the witness now waits in receive

  const uint64_t reserved_bits[] = {1ull << 42, 1ull << 45, 1ull << 47,
                                    1ull << 49, 1ull << 55, 1ull << 62};
  for (uint64_t bit : reserved_bits) {
    EXPECT_STATUS(send_with_tag(endpoint.get(), 0x4e00 | bit), Status::kInvalidArgument);
    EXPECT_STATUS(call_with_tag(endpoint.get(), 0x4e00 | bit), Status::kInvalidArgument);
  }
  const uint32_t kernel_labels[] = {bm::abi::kKernelLabelBase, bm::abi::kFaultLabel,
                                    bm::abi::kFaultReplyResume, bm::abi::kFaultReplyKill,
                                    0xffffffff};
  for (uint32_t label : kernel_labels) {
    EXPECT_STATUS(send_with_tag(endpoint.get(), label), Status::kInvalidArgument);
    EXPECT_STATUS(call_with_tag(endpoint.get(), label), Status::kInvalidArgument);
  }
  EXPECT_TRUE(receiver.join(ticks_for_ms(1000)));
  EXPECT_STATUS(witness_status, Status::kTimedOut);
}

USER_TEST(bad_reply_without_a_caller) {
  OwnedHandle endpoint;
  ASSERT_OK(take(user::endpoint_create(), &endpoint));
  uint64_t tag = bm::abi::encode_tag({0x4f00, 0, false, false});
  EXPECT_STATUS(raw_syscall(Syscall::ipc_reply_recv, endpoint.get(), tag).status,
                Status::kNoCaller);
  // Nothing was received since: still no caller (the failed reply did not
  // go on to receive, or this would block).
  EXPECT_STATUS(raw_syscall(Syscall::ipc_reply_recv, endpoint.get(), tag).status,
                Status::kNoCaller);
}

USER_TEST(bad_values_out_of_range) {
  EXPECT_STATUS(user::sleep(kTooLongTimeout), Status::kInvalidArgument);
  OwnedHandle endpoint, notification;
  ASSERT_OK(take(user::endpoint_create(), &endpoint));
  ASSERT_OK(take(user::notification_create(), &notification));
  EXPECT_STATUS(raw_syscall(Syscall::ipc_recv, endpoint.get(), kTooLongTimeout).status,
                Status::kInvalidArgument);
  uint64_t bits = 0;
  EXPECT_STATUS(take(user::notification_wait(notification.get(), kTooLongTimeout), &bits),
                Status::kInvalidArgument);
  EXPECT_STATUS(user::notification_signal(notification.get(), 0), Status::kInvalidArgument);
  EXPECT_STATUS(raw_syscall(Syscall::system_info, 99).status, Status::kInvalidArgument);
  Handle handle = 0;
  EXPECT_STATUS(take(user::memory_create(0), &handle), Status::kInvalidArgument);
  EXPECT_STATUS(take(user::memory_create(bm::abi::kMaxMemoryObjectPages + 1), &handle),
                Status::kInvalidArgument);
  EXPECT_STATUS(take(user::handle_duplicate(endpoint.get(), bm::abi::kAllRights << 1), &handle),
                Status::kInvalidArgument);
}

// Threads and tasks may not outrank their creator; entries must be user
// addresses.
USER_TEST(bad_thread_and_task_creation) {
  uint64_t threads = user::thread_count();
  uint64_t tasks = user::task_count();
  Handle handle = 0;
  EXPECT_STATUS(
      take(user::thread_create(bm::abi::kOwnAddressSpace, 0x400000, 0, kSuitePriority + 1),
           &handle),
      Status::kNoRights);
  EXPECT_STATUS(take(user::thread_create(bm::abi::kOwnAddressSpace, 0, 0, 1), &handle),
                Status::kBadAddress);
  EXPECT_STATUS(take(user::thread_create(bm::abi::kOwnAddressSpace, kKernelAddress, 0, 1), &handle),
                Status::kBadAddress);
  EXPECT_STATUS(take(user::thread_create(bm::abi::kOwnAddressSpace, kNonCanonical, 0, 1), &handle),
                Status::kBadAddress);
  EXPECT_EQ(user::thread_count(), threads);

  const Environment& env = environment();
  if (env.peer_image == 0) {
    test_context.fail(__FILE__, __LINE__, "no peer image granted");
    return;
  }
  OwnedHandle endpoint, no_grant;
  ASSERT_OK(take(user::endpoint_create(), &endpoint));
  ASSERT_OK(take(user::handle_duplicate(endpoint.get(), bm::abi::kRightWrite), &no_grant));
  // A main thread above the creator's priority: thread_create refuses it, and the loader
  // ends the task it had begun. Twice: the first load of the suite leaves the loader's window
  // page tables behind (user/program_loader.h), the second must leave nothing.
  const user::ProgramSpec too_high{.image = env.peer_image,
                                   .image_bytes = env.peer_image_bytes,
                                   .name = "p",
                                   .name_length = 1,
                                   .priority = kSuitePriority + 1};
  EXPECT_EQ(user::load_program(too_high).error(), ProtocolStatus::kNoRights);
  uint64_t frames = user::free_frames();
  EXPECT_EQ(user::load_program(too_high).error(), ProtocolStatus::kNoRights);
  EXPECT_STATUS(take(user::task_create(reinterpret_cast<const char*>(kUnmapped), 4, 0), &handle),
                Status::kBadAddress);
  EXPECT_STATUS(
      take(user::task_create(reinterpret_cast<const char*>(kKernelAddress), 4, 0), &handle),
      Status::kBadAddress);
  EXPECT_STATUS(take(user::task_create("p", 1, 0x12345), &handle), Status::kInvalidHandle);
  EXPECT_STATUS(take(user::task_create("p", 1, no_grant.get()), &handle), Status::kNoRights);
  EXPECT_EQ(user::task_count(), tasks);
  EXPECT_EQ(user::thread_count(), threads);
  EXPECT_EQ(user::free_frames(), frames);
}

// No system call writes results through a user pointer today (results come
// back in registers, received words in the IPC buffer the kernel owns), so
// there is no read-only output pointer to refuse. What can be checked: a
// read-only page is a fine input, and the IPC buffer path cannot be turned
// against read-only memory because the kernel picks the buffer's address.
USER_TEST(bad_read_only_memory_is_accepted_as_input_only) {
  static const char kReadOnly[] = "  (read-only text written from .rodata)\n";
  EXPECT_OK(user::debug_write(kReadOnly, sizeof(kReadOnly) - 1));
  uint64_t buffer = user::system_value(bm::abi::SystemInfo::kIpcBuffer);
  EXPECT_GE(buffer, bm::abi::kUserSpaceBase);
  EXPECT_TRUE(buffer < bm::abi::kUserSpaceEnd);
  EXPECT_EQ(buffer % 4096, 0);
}
