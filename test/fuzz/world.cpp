// Bookkeeping of the fuzzer's handles and children.
#include "test/fuzz/world.h"

#include "user/syscalls.h"

namespace fuzz {

using bm::abi::Syscall;
using user::raw_syscall;

bool Protected::contains(uint64_t value) const {
  if (value == 0) return false;
  const Handle all[] = {bootstrap,   exit_port, post_port, irq,
                        child_image, echo,      served,    supervisor};
  for (Handle h : all) {
    if (h != 0 && value == h) return true;
  }
  return false;
}

bool HandlePool::add(Handle value, bool served) {
  if (count_ == kCapacity) return false;
  entries_[count_++] = {value, served};
  return true;
}

void HandlePool::retire(Handle value) {
  for (uint32_t i = 0; i < count_; ++i) {
    if (entries_[i].value == value) {
      entries_[i] = entries_[--count_];
      stale_[stale_written_++ % kStaleCapacity] = value;
      return;
    }
  }
}

bool HandlePool::contains(uint64_t value) const {
  for (uint32_t i = 0; i < count_; ++i) {
    if (entries_[i].value == value) return true;
  }
  return false;
}

bool HandlePool::served(uint64_t value) const {
  for (uint32_t i = 0; i < count_; ++i) {
    if (entries_[i].value == value) return entries_[i].served;
  }
  return false;
}

void HandlePool::close_all() {
  while (count_ > 0) {
    Handle value = entries_[count_ - 1].value;
    (void)raw_syscall(Syscall::handle_close, value);
    retire(value);
  }
}

void Children::add(Handle task, uint64_t role) {
  if (count_ == kCapacity) kill_oldest();
  children_[count_++] = {task, role};
}

bool Children::contains(uint64_t value) const {
  for (uint32_t i = 0; i < count_; ++i) {
    if (children_[i].task == value) return true;
  }
  return false;
}

void Children::kill_oldest() {
  if (count_ == 0) return;
  (void)raw_syscall(Syscall::task_kill, children_[0].task);  // kPeerGone if it already ended
  (void)raw_syscall(Syscall::handle_close, children_[0].task);
  for (uint32_t i = 1; i < count_; ++i) children_[i - 1] = children_[i];
  --count_;
}

void Children::kill_all() {
  while (count_ > 0) kill_oldest();
}

}  // namespace fuzz
