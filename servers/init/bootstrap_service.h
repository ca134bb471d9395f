// init's side of the bootstrap protocol (ipc/bootstrap.h): decode one request, act, encode
// the reply. What needs the kernel (the name table's handles, memd) sits behind
// BootstrapActions, so host tests drive this dispatch with encoded messages.
#pragma once

#include <stdint.h>

#include "ipc/protocol.h"
#include "lib/abi/syscalls.h"
#include "servers/init/server_state.h"

namespace init {

// What answering a bootstrap request may ask of init. main.cpp implements it with system
// calls and the name registry; test/host/init with a fake.
class BootstrapActions {
 public:
  // Registers `endpoint` under `name` for `caller` (badge `badge`). Takes the handle whatever
  // the outcome: kept on kOk, closed otherwise.
  virtual bm::ipc::ProtocolStatus register_name(ServerState& caller, uint64_t badge,
                                                const char* name, bm::abi::Handle endpoint) = 0;
  // A new handle (write + grant) to the service `name` for `caller`, or why not.
  virtual bm::ipc::ProtocolStatus lookup(ServerState& caller, uint64_t badge, const char* name,
                                         bm::abi::Handle* out) = 0;
  // Whether every other server has come up (servers/init/startup.h).
  virtual bool startup_complete(const ServerState& caller) = 0;
  // Keeps the startup_done call being served, to answer it when start-up is over for
  // `caller` or after `wait_ticks`; false if it cannot (no reply object free).
  virtual bool keep_startup_call(ServerState& caller, uint64_t wait_ticks) = 0;
  // Closes a handle a request brought that nothing takes.
  virtual void close(bm::abi::Handle handle) = 0;

 protected:
  ~BootstrapActions() = default;
};

// Answers one bootstrap request from `caller` (the server its badge names; null for a badge
// init never gave) into `reply`: true. False only when the call was kept instead (a
// startup_done before start-up is over, with a wait): nothing to send now. A malformed
// request, an unknown label or an unknown caller gets kBadValue; a handle that came with a
// request and was not taken is closed. A get_grant reply moves the grant's handle out of
// caller->grants.
bool on_bootstrap_request(BootstrapActions& actions, ServerState* caller, uint64_t badge,
                          const bm::ipc::WireMessage& request, bm::ipc::WireMessage* reply);

}  // namespace init
