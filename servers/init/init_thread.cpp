// init's helper threads: see init_thread.h.
#include "servers/init/init_thread.h"

namespace init {

bm::abi::Status start_init_thread(user::ThreadBody body, uint64_t argument) {
  constexpr int kAttempts = 100;
  bm::abi::Status status = bm::abi::Status::kNoSlots;
  for (int attempt = 0; attempt < kAttempts && status == bm::abi::Status::kNoSlots; ++attempt) {
    status = user::start_thread(body, argument, user::current_priority());
    if (status == bm::abi::Status::kNoSlots) user::yield();
  }
  return status;
}

}  // namespace init
