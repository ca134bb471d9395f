// The exhaustion rounds of exhaustion.h.
#include "test/fuzz/exhaustion.h"

#include "lib/abi/system_info.h"
#include "user/ipc.h"
#include "user/print.h"
#include "user/program_loader.h"

namespace fuzz {

using bm::abi::Status;
using bm::abi::Syscall;
using user::raw_syscall;

namespace {

constexpr uint32_t kMaxObjects = 256;               // more than a handle table holds
constexpr uint64_t kObjectPages[] = {1024, 16, 1};  // 4 MiB, 64 KiB, one page
constexpr uint32_t kMaxParked = 200;
constexpr uint64_t kParkTimeoutTicks = 3000;

Handle objects[kMaxObjects];
uint64_t parked_running;

// A thread that waits until the notification is signalled, then exits.
[[noreturn]] void parked_thread(uint64_t notification) {
  raw_syscall(Syscall::notification_wait, notification, bm::abi::kWaitForever);
  __atomic_fetch_sub(&parked_running, 1, __ATOMIC_RELAXED);
  raw_syscall(Syscall::thread_exit);
  __builtin_unreachable();
}

void close_objects(uint32_t count) {
  for (uint32_t i = 0; i < count; ++i) (void)raw_syscall(Syscall::handle_close, objects[i]);
}

// Creates objects with `create` into objects[first...] until it fails;
// returns how many, the failure in *status.
template <typename Create>
uint32_t fill(Create create, uint32_t first, Status* status) {
  uint32_t count = first;
  *status = Status::kOk;
  while (count < kMaxObjects) {
    auto result = create();
    *status = result.status;
    if (result.status != Status::kOk) break;
    objects[count++] = static_cast<Handle>(result.rdi);
  }
  return count - first;
}

// A thread that ends at once (made while memory is exhausted).
[[noreturn]] void exiting_thread(uint64_t) {
  raw_syscall(Syscall::thread_exit);
  __builtin_unreachable();
}

bool expect_refusal(const char* what, uint32_t count, Status status) {
  user::printf("FUZZ exhaust %s: %u made, then %s\n", what, count, bm::abi::status_text(status));
  if (status == Status::kOutOfMemory || status == Status::kNoSlots) return true;
  user::printf("FUZZ FAIL exhausting %s ended with %s, not out of memory or slots\n", what,
               bm::abi::status_text(status));
  return false;
}

}  // namespace

bool echo_answers(const World& world, uint64_t token) {
  user::Message request;
  request.label = 0x6563686f;  // "echo"
  request.words = 4;
  for (uint64_t i = 0; i < 4; ++i) request.word[i] = token + i;
  user::Message reply;
  Status status = user::call(world.keep.echo, request, &reply);
  if (status != Status::kOk) {
    user::printf("FUZZ FAIL echo did not answer: %s\n", bm::abi::status_text(status));
    return false;
  }
  for (uint64_t i = 0; i < 4; ++i) {
    if (reply.word[i] != token + i) {
      user::printf("FUZZ FAIL echo answered word %lu = %#lx, not %#lx\n", i, reply.word[i],
                   token + i);
      return false;
    }
  }
  return true;
}

bool exhaust(const World& world) {
  Status status;
  uint32_t count = fill([] { return raw_syscall(Syscall::endpoint_create); }, 0, &status);
  bool ok = expect_refusal("handle slots (endpoints)", count, status) && echo_answers(world, 0x100);
  close_objects(count);
  if (!ok) return false;

  // Memory down to the last frame: big objects first, then smaller ones.
  count = 0;
  for (uint64_t pages : kObjectPages) {
    uint32_t made =
        fill([pages] { return raw_syscall(Syscall::memory_create, pages); }, count, &status);
    user::printf("FUZZ exhaust memory (%lu-page objects): %u made, then %s; %lu frames free\n",
                 pages, made, bm::abi::status_text(status),
                 user::system_value(bm::abi::SystemInfo::kFreeFrames));
    count += made;
    if (status != Status::kOutOfMemory) break;  // the handle table filled up first
  }
  ok = expect_refusal("memory", count, status) && echo_answers(world, 0x200);
  // With no memory left any of these may be refused; none may halt the kernel.
  auto notification_then = raw_syscall(Syscall::notification_create);
  auto endpoint_then = raw_syscall(Syscall::endpoint_create);
  auto thread_then = raw_syscall(Syscall::thread_create, bm::abi::kOwnAddressSpace,
                                 reinterpret_cast<uint64_t>(&exiting_thread), 0, 0);
  static const char kName[] = "fuzz_oom";
  auto task_then = raw_syscall(Syscall::task_create, reinterpret_cast<uint64_t>(kName),
                               sizeof(kName) - 1, 0, 0);
  // The loader's steps (memory_create paid by the child, memory_map, thread_create) fail
  // somewhere on the way; the half-built task must go with nothing left behind.
  const char* step = "";
  auto program_then = user::load_program({.image = world.keep.child_image,
                                          .image_bytes = world.keep.child_image_bytes,
                                          .name = kName,
                                          .name_length = sizeof(kName) - 1,
                                          .priority = 0},
                                         &step);
  user::printf("FUZZ exhaust with no memory: notification %s, endpoint %s, thread %s, task %s, "
               "program %s (%s)\n",
               bm::abi::status_text(notification_then.status),
               bm::abi::status_text(endpoint_then.status), bm::abi::status_text(thread_then.status),
               bm::abi::status_text(task_then.status),
               bm::ipc::protocol_status_text(program_then.error()), step);
  const user::SyscallResult made_then[] = {notification_then, endpoint_then, thread_then,
                                           task_then};
  for (const auto& made : made_then) {
    if (made.status == Status::kOk) (void)raw_syscall(Syscall::handle_close, made.rdi);
  }
  close_objects(count);
  if (!ok) return false;

  auto notification = raw_syscall(Syscall::notification_create);
  if (notification.status != Status::kOk) {
    user::printf("FUZZ FAIL no notification after exhaustion: %s\n",
                 bm::abi::status_text(notification.status));
    return false;
  }
  uint32_t parked = 0;
  status = Status::kOk;
  uint64_t priority = user::system_value(bm::abi::SystemInfo::kCurrentPriority);
  while (parked < kMaxParked) {
    __atomic_fetch_add(&parked_running, 1, __ATOMIC_RELAXED);
    auto thread =
        raw_syscall(Syscall::thread_create, bm::abi::kOwnAddressSpace,
                    reinterpret_cast<uint64_t>(&parked_thread), notification.rdi, priority);
    status = thread.status;
    if (status != Status::kOk) {
      __atomic_fetch_sub(&parked_running, 1, __ATOMIC_RELAXED);
      break;
    }
    (void)raw_syscall(Syscall::handle_close, thread.rdi);
    ++parked;
  }
  user::printf("FUZZ exhaust threads: %u parked, last %s\n", parked, bm::abi::status_text(status));
  ok = echo_answers(world, 0x300);
  // Each signal wakes one waiter (or stays pending for the next one).
  uint64_t deadline = user::system_value(bm::abi::SystemInfo::kTicks) + kParkTimeoutTicks;
  while (__atomic_load_n(&parked_running, __ATOMIC_RELAXED) > 0 &&
         user::system_value(bm::abi::SystemInfo::kTicks) < deadline) {
    (void)raw_syscall(Syscall::notification_signal, notification.rdi, 1);
    (void)raw_syscall(Syscall::sleep, 1);
  }
  (void)raw_syscall(Syscall::handle_close, notification.rdi);
  if (__atomic_load_n(&parked_running, __ATOMIC_RELAXED) > 0) {
    user::printf("FUZZ FAIL %lu parked threads did not end\n", parked_running);
    return false;
  }
  return ok;
}

}  // namespace fuzz
