// init's start-up timer thread: see startup_timer.h.
#include "servers/init/startup_timer.h"

#include "servers/init/init_thread.h"
#include "user/ipc.h"
#include "user/print.h"

namespace init {
namespace {

using bm::abi::Status;

bm::abi::Handle monitor = 0;
bm::abi::Handle armed = 0;

// Has the main loop answer the kept calls that are due; *next_wait: ticks to the earliest
// deadline left, 0 (kWaitForever) when no call is kept. False if the loop could not be asked.
bool settle_due_calls(uint64_t* next_wait) {
  user::Message request;
  request.label = kStartupTimer;
  user::Message reply;
  Status status = user::call(monitor, request, &reply);
  if (status == Status::kOk && reply.words < 2) status = Status::kInvalidArgument;
  if (status != Status::kOk) {
    user::printf("init: start-up timer stopped: %s\n", bm::abi::status_text(status));
    return false;  // kept calls are then answered only as servers come up or end
  }
  *next_wait = reply.word[1];
  return true;
}

// Sleeps until a call is kept (`armed`) or the earliest deadline passes, then settles.
void timer_thread(uint64_t) {
  uint64_t wait = bm::abi::kWaitForever;  // no call kept yet
  for (;;) {
    auto woken = user::notification_wait(armed, wait);
    if (!woken.ok() && woken.error() != Status::kTimedOut) {
      user::printf("init: start-up timer stopped: %s\n", bm::abi::status_text(woken.error()));
      return;
    }
    if (!settle_due_calls(&wait)) return;
  }
}

}  // namespace

bool start_startup_timer(bm::abi::Handle monitor_handle, bm::abi::Handle armed_notification) {
  monitor = monitor_handle;
  armed = armed_notification;
  Status status = start_init_thread(timer_thread, 0);
  if (status != Status::kOk) {
    user::printf("init: no start-up timer thread: %s\n", bm::abi::status_text(status));
    return false;
  }
  return true;
}

}  // namespace init
