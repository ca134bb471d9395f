// Helper threads: a fixed pool of start records the new threads read their
// body from, and a flag each sets when its body returned.
#include "test/user/helper_thread.h"

#include "test/user/take.h"
#include "user/print.h"
#include "user/syscalls.h"

namespace user_tests {

struct Slot {
  ThreadBody body;
  uint64_t argument;
  volatile bool finished;
  bool in_use;
};

namespace {

// Threads alive at once. A join that timed out leaves its slot taken for
// good: its thread may still read it.
constexpr uint32_t kSlots = 16;
Slot slots[kSlots];
// How long a HelperThread going out of scope waits for its thread.
constexpr uint64_t kDestructorJoinTicks = 2000;

[[noreturn]] void helper_thread_entry(uint64_t slot_address) {
  auto* slot = reinterpret_cast<Slot*>(slot_address);
  slot->body(slot->argument);
  slot->finished = true;
  user::thread_exit();
}

}  // namespace

HelperThread::~HelperThread() {
  if (slot_ == nullptr) return;
  if (!join(kDestructorJoinTicks)) {
    user::printf("  helper thread did not finish; its slot stays taken\n");
  }
}

bm::abi::Status HelperThread::start(ThreadBody body, uint64_t argument, uint32_t priority) {
  if (slot_ != nullptr) return bm::abi::Status::kBusy;
  Slot* free_slot = nullptr;
  for (Slot& slot : slots) {
    if (!slot.in_use) {
      free_slot = &slot;
      break;
    }
  }
  if (free_slot == nullptr) return bm::abi::Status::kNoSlots;
  free_slot->body = body;
  free_slot->argument = argument;
  free_slot->finished = false;
  free_slot->in_use = true;
  bm::abi::Handle thread = 0;
  bm::abi::Status status =
      take(user::thread_create(bm::abi::kOwnAddressSpace,
                               reinterpret_cast<uint64_t>(&helper_thread_entry),
                               reinterpret_cast<uint64_t>(free_slot), priority),
           &thread);
  if (status != bm::abi::Status::kOk) {
    free_slot->in_use = false;
    return status;
  }
  (void)user::handle_close(thread);  // the thread runs on; nothing here needs its handle
  slot_ = free_slot;
  return status;
}

bool HelperThread::join(uint64_t timeout_ticks) {
  if (slot_ == nullptr) return true;
  uint64_t deadline = user::ticks() + timeout_ticks;
  while (!slot_->finished) {
    if (user::ticks() >= deadline) return false;
    (void)user::sleep(1);
  }
  // The thread may still be between setting the flag and thread_exit; it
  // no longer reads the slot, so the slot can be reused.
  slot_->in_use = false;
  slot_ = nullptr;
  return true;
}

bool HelperThread::finished() const { return slot_ == nullptr || slot_->finished; }

}  // namespace user_tests
