// init's start-up timer thread: see startup_timer.h.
#include "servers/init/startup_timer.h"

#include "user/ipc.h"
#include "user/print.h"
#include "user/thread.h"

namespace init {
namespace {

using bm::abi::Status;

bm::abi::Handle monitor = 0;
bm::abi::Handle armed = 0;

// Sleeps until the earliest deadline or a newly kept call (`armed`), whichever comes first,
// then lets the loop answer what is due and say when to look again.
void timer_thread(uint64_t) {
  uint64_t wait = bm::abi::kWaitForever;  // no call kept yet
  for (;;) {
    auto woken = user::notification_wait(armed, wait);
    if (!woken.ok() && woken.error() != Status::kTimedOut) return;
    user::Message request;
    request.label = kStartupTimer;
    user::Message reply;
    if (user::call(monitor, request, &reply) != Status::kOk || reply.words < 2) return;
    wait = reply.word[1];  // 0 is kWaitForever: nothing kept
  }
}

}  // namespace

bool start_startup_timer(bm::abi::Handle monitor_handle, bm::abi::Handle armed_notification) {
  monitor = monitor_handle;
  armed = armed_notification;
  Status status = Status::kNoSlots;
  for (int attempt = 0; attempt < 100 && status == Status::kNoSlots; ++attempt) {
    status = user::start_thread(timer_thread, 0, user::current_priority());
    if (status == Status::kNoSlots) user::yield();  // every start record is busy
  }
  if (status != Status::kOk) {
    user::printf("init: no start-up timer thread: %s\n", bm::abi::status_text(status));
    return false;
  }
  return true;
}

}  // namespace init
