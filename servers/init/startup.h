// When init's start-up is over, so the shell can print its first prompt after the start-up
// log lines instead of in the middle of them (ipc/bootstrap.h, startup_done), and the
// startup_done calls init keeps until then.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "ipc/protocol.h"
#include "lib/abi/syscalls.h"
#include "lib/manifest/manifest.h"
#include "servers/init/server_state.h"

namespace init {

// A server has come up once it registered a name, and is out of the way once it is not
// running (it ended, or never started). Start-up is over when every server but `asking`
// (the one waiting, which cannot come up before its answer) is one or the other. A server
// that runs without ever registering keeps it from ending: the asker bounds its wait.
bool startup_complete(const ServerState* servers, size_t count, const ServerState* asking);

// The startup_done calls init keeps (each in a reply object) until start-up is over for the
// asker or its wait runs out. Ticks are the kernel's timer ticks (SystemInfo::kTicks).
class StartupWaiters {
 public:
  // One kept call per server, so no server can take every slot. One restarted while its call
  // was kept leaves that call in its slot until start-up ends or the deadline passes; a
  // call init cannot keep is answered at once, and user::wait_for_startup asks again a tick
  // later.
  static constexpr size_t kCapacity = bm::manifest::kMaxServers;

  // Keeps the call held by `reply` for `asking` until tick `deadline`; false when `asking`
  // has a call kept already, or the table is full.
  bool add(bm::abi::Handle reply, const ServerState* asking, uint64_t deadline);
  // Whether add() would keep a call for `asking`.
  bool can_add(const ServerState* asking) const;

  // Hands each kept call whose asker's start-up is over to answer(reply, kOk), and each
  // whose deadline is at or before `now` to answer(reply, kWouldBlock), and forgets it.
  template <typename Answer>
  void settle(const ServerState* servers, size_t count, uint64_t now, Answer&& answer) {
    size_t kept = 0;
    for (size_t i = 0; i < count_; ++i) {
      const Waiter waiter = waiters_[i];
      if (startup_complete(servers, count, waiter.asking)) {
        answer(waiter.reply, bm::ipc::ProtocolStatus::kOk);
      } else if (waiter.deadline <= now) {
        answer(waiter.reply, bm::ipc::ProtocolStatus::kWouldBlock);
      } else {
        waiters_[kept++] = waiter;
      }
    }
    count_ = kept;
  }

  // Ticks from `now` to the earliest deadline (at least 1), or 0 when no call is kept.
  uint64_t ticks_to_next_deadline(uint64_t now) const;

  size_t count() const { return count_; }

 private:
  struct Waiter {
    bm::abi::Handle reply = 0;
    const ServerState* asking = nullptr;
    uint64_t deadline = 0;
  };
  Waiter waiters_[kCapacity] = {};
  size_t count_ = 0;
};

}  // namespace init
