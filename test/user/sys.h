// Typed wrappers of the system calls the tests use, over user::raw_syscall:
// each returns the status and puts a result (a handle, bits, ...) in an out
// parameter only when the call succeeded. The tests call raw_syscall
// directly where they need a malformed argument.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/abi/syscalls.h"
#include "lib/abi/system_info.h"
#include "user/syscalls.h"

namespace user_tests::sys {

using bm::abi::Handle;
using bm::abi::Status;
using bm::abi::Syscall;
using user::raw_syscall;

inline Status result_handle(const user::SyscallResult& result, Handle* out) {
  if (result.status == Status::kOk && out != nullptr) *out = static_cast<Handle>(result.rdi);
  return result.status;
}

inline Status close(Handle handle) { return raw_syscall(Syscall::handle_close, handle).status; }
inline Status duplicate(Handle handle, uint32_t rights, Handle* out, uint64_t badge = 0) {
  return result_handle(raw_syscall(Syscall::handle_duplicate, handle, rights, badge), out);
}
inline Status endpoint_create(Handle* out) {
  return result_handle(raw_syscall(Syscall::endpoint_create), out);
}
inline Status notification_create(Handle* out) {
  return result_handle(raw_syscall(Syscall::notification_create), out);
}
inline Status notification_signal(Handle handle, uint64_t bits) {
  return raw_syscall(Syscall::notification_signal, handle, bits).status;
}
// bits gets the taken bits (0 when the call fails).
inline Status notification_wait(Handle handle, uint64_t timeout, uint64_t* bits) {
  auto result = raw_syscall(Syscall::notification_wait, handle, timeout);
  *bits = result.status == Status::kOk ? result.rdi : 0;
  return result.status;
}
inline Status notification_poll(Handle handle, uint64_t* bits) {
  auto result = raw_syscall(Syscall::notification_poll, handle);
  *bits = result.status == Status::kOk ? result.rdi : 0;
  return result.status;
}
inline Status irq_bind(Handle irq, Handle notification, uint64_t bit) {
  return raw_syscall(Syscall::irq_bind, irq, notification, bit).status;
}
inline Status irq_ack(Handle irq) { return raw_syscall(Syscall::irq_ack, irq).status; }
inline Status memory_create(uint64_t pages, Handle* out) {
  return result_handle(raw_syscall(Syscall::memory_create, pages), out);
}
inline Status memory_map(Handle space, Handle memory, uint64_t address, uint64_t flags) {
  return raw_syscall(Syscall::memory_map, space, memory, address, flags).status;
}
inline Status memory_unmap(Handle space, uint64_t address) {
  return raw_syscall(Syscall::memory_unmap, space, address).status;
}
inline Status task_create(Handle image, const char* name, size_t name_length, uint64_t priority,
                          Handle bootstrap, Handle* out, uint64_t frame_limit = 0) {
  return result_handle(raw_syscall(Syscall::task_create, image, reinterpret_cast<uint64_t>(name),
                                   name_length, priority, bootstrap, frame_limit),
                       out);
}
inline Status thread_create(Handle task, uint64_t entry, uint64_t argument, uint64_t priority,
                            Handle* out) {
  return result_handle(raw_syscall(Syscall::thread_create, task, entry, argument, priority), out);
}
inline Status task_kill(Handle task) { return raw_syscall(Syscall::task_kill, task).status; }
inline Status task_watch(Handle task, Handle notification, uint64_t bit) {
  return raw_syscall(Syscall::task_watch, task, notification, bit).status;
}
inline Status memory_map_range(Handle space, Handle memory, uint64_t address, uint64_t flags,
                               uint64_t first_page, uint64_t page_count) {
  return raw_syscall(Syscall::memory_map_range, space, memory, address, flags, first_page,
                     page_count)
      .status;
}
inline Status io_port_range_create(Handle parent, uint64_t first, uint64_t count, Handle* out) {
  return result_handle(raw_syscall(Syscall::io_port_range_create, parent, first, count), out);
}

inline uint64_t ticks() { return user::system_info(bm::abi::SystemInfo::kTicks); }
inline uint64_t free_frames() { return user::system_info(bm::abi::SystemInfo::kFreeFrames); }
inline uint64_t task_count() { return user::system_info(bm::abi::SystemInfo::kTaskCount); }
inline uint64_t thread_count() { return user::system_info(bm::abi::SystemInfo::kThreadCount); }

}  // namespace user_tests::sys
