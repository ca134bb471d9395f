// The heartbeat and watchdog threads (see heartbeat_monitor.h).
#include "servers/init/heartbeat_monitor.h"

#include "ipc/heartbeat.h"
#include "ipc/protocol.h"
#include "lib/abi/system_info.h"
#include "servers/init/init_thread.h"
#include "user/ipc.h"
#include "user/print.h"

namespace init {
namespace {

using bm::abi::Status;

// What a heartbeat thread shares with the watchdog: plain words, written with atomics.
struct Watch {
  uint32_t index = 0;
  uint64_t period_ticks = 0;
  uint64_t call_started = 0;  // tick the pending heartbeat call began; 0 when none waits
  uint32_t generation = 0;    // of the instance that call went to
  uint32_t reported = ~0u;    // the watchdog's: the generation it reported last
};

Watch watches[bm::manifest::kMaxServers];
size_t watch_count = 0;
bm::abi::Handle monitor = 0;

uint64_t now_ticks() { return user::system_value(bm::abi::SystemInfo::kTicks); }

// Asks the main loop where server `index`'s heartbeats go now.
bool find_target(const Watch& watch, bm::abi::Handle* target, uint32_t* generation) {
  user::Message request;
  request.label = kHeartbeatTarget;
  request.words = 1;
  request.word[0] = watch.index;
  user::Message reply;
  if (user::call(monitor, request, &reply) != Status::kOk) return false;
  if (reply.word[0] != static_cast<uint64_t>(bm::ipc::ProtocolStatus::kOk) || !reply.has_handle) {
    return false;
  }
  *target = reply.handle;
  *generation = static_cast<uint32_t>(reply.word[1]);
  return true;
}

void heartbeat_thread(uint64_t watch_address) {
  auto& watch = *reinterpret_cast<Watch*>(watch_address);
  bm::abi::Handle target = 0;
  uint32_t generation = 0;
  for (;;) {
    (void)user::sleep(watch.period_ticks);
    if (target == 0 && !find_target(watch, &target, &generation)) continue;  // not up yet
    user::Message heartbeat;
    heartbeat.label = bm::ipc::heartbeat::kHeartbeat;
    user::Message reply;
    __atomic_store_n(&watch.generation, generation, __ATOMIC_RELAXED);
    uint64_t started = now_ticks();
    __atomic_store_n(&watch.call_started, started == 0 ? 1 : started, __ATOMIC_RELEASE);
    // Any answer shows the loop turns; a server killed meanwhile ends this with kPeerGone.
    Status status = user::call(target, heartbeat, &reply);
    __atomic_store_n(&watch.call_started, 0, __ATOMIC_RELEASE);
    if (status != Status::kOk) {
      (void)user::handle_close(target);
      target = 0;
    }
  }
}

void watchdog_thread(uint64_t check_ticks) {
  for (;;) {
    (void)user::sleep(check_ticks);
    uint64_t now = now_ticks();
    for (size_t i = 0; i < watch_count; ++i) {
      Watch& watch = watches[i];
      uint64_t started = __atomic_load_n(&watch.call_started, __ATOMIC_ACQUIRE);
      uint32_t generation = __atomic_load_n(&watch.generation, __ATOMIC_RELAXED);
      // Two periods without an answer: the heartbeats due at +1 and +2 periods were missed.
      if (started == 0 || now - started < 2 * watch.period_ticks) continue;
      if (watch.reported == generation) continue;  // told already; the kill is on its way
      watch.reported = generation;
      user::Message request;
      request.label = kHeartbeatMissed;
      request.words = 3;
      request.word[0] = watch.index;
      request.word[1] = generation;
      request.word[2] = now - started;
      user::Message reply;
      (void)user::call(monitor, request, &reply);
    }
  }
}

bool start(user::ThreadBody body, uint64_t argument) {
  if (start_init_thread(body, argument) == Status::kOk) return true;
  user::printf("init: cannot start a heartbeat thread\n");
  return false;
}

}  // namespace

bool start_heartbeats(const bm::manifest::Manifest& manifest, bm::abi::Handle monitor_handle) {
  monitor = monitor_handle;
  uint64_t hz = user::system_value(bm::abi::SystemInfo::kTimerHz);
  uint64_t shortest = ~0ull;
  for (size_t i = 0; i < manifest.server_count; ++i) {
    uint32_t ms = manifest.servers[i].heartbeat_ms;
    if (ms == 0) continue;
    Watch& watch = watches[watch_count++];
    watch.index = static_cast<uint32_t>(i);
    watch.period_ticks = ms * hz / 1000 == 0 ? 1 : ms * hz / 1000;
    if (watch.period_ticks < shortest) shortest = watch.period_ticks;
  }
  if (watch_count == 0) return true;
  bool started = true;
  for (size_t i = 0; i < watch_count; ++i) {
    started &= start(heartbeat_thread, reinterpret_cast<uint64_t>(&watches[i]));
  }
  // Checked four times a period, so a hang is found within 2.25 periods.
  uint64_t check_ticks = shortest / 4 == 0 ? 1 : shortest / 4;
  return start(watchdog_thread, check_ticks) && started;
}

}  // namespace init
