// start_thread: a small pool of start records. A new thread copies its record
// and frees it before running its body, so records are only busy while a
// thread is starting.
#include "user/thread.h"

namespace user {
namespace {

struct StartRecord {
  ThreadBody body;
  uint64_t argument;
  volatile bool in_use;
};

StartRecord records[kMaxStartedThreads];

[[noreturn]] void thread_entry(uint64_t record_address) {
  auto* record = reinterpret_cast<StartRecord*>(record_address);
  ThreadBody body = record->body;
  uint64_t argument = record->argument;
  __atomic_store_n(&record->in_use, false, __ATOMIC_RELEASE);
  body(argument);
  thread_exit();
}

}  // namespace

Status start_thread(ThreadBody body, uint64_t argument, uint32_t priority) {
  if (body == nullptr) return Status::kInvalidArgument;
  StartRecord* record = nullptr;
  for (StartRecord& candidate : records) {
    bool expected = false;
    if (__atomic_compare_exchange_n(&candidate.in_use, &expected, true, false, __ATOMIC_ACQUIRE,
                                    __ATOMIC_RELAXED)) {
      record = &candidate;
      break;
    }
  }
  if (record == nullptr) return Status::kNoSlots;
  record->body = body;
  record->argument = argument;
  // Nothing here uses the thread handle: it closes at once.
  auto thread = thread_create(bm::abi::kOwnAddressSpace, reinterpret_cast<uint64_t>(&thread_entry),
                              reinterpret_cast<uint64_t>(record), priority);
  if (!thread.ok()) __atomic_store_n(&record->in_use, false, __ATOMIC_RELEASE);
  return thread.error();
}

uint32_t current_priority() {
  return static_cast<uint32_t>(system_value(bm::abi::SystemInfo::kCurrentPriority));
}

}  // namespace user
