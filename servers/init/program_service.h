// init's side of the program protocol (ipc/programs.h), and of the bootstrap protocol as a
// program speaks it: decode one request, act on the program table, encode the reply. What
// needs the kernel (loading, killing, keeping a call, looking a name up) sits behind
// ProgramActions, so host tests (test/host/init) drive both with encoded messages.
#pragma once

#include <stdint.h>

#include "ipc/protocol.h"
#include "lib/abi/syscalls.h"
#include "servers/init/program_table.h"
#include "servers/init/server_state.h"

namespace init {

struct LoadedTask {
  uint32_t id = 0;
  bm::abi::Handle task = 0;
};

// What answering a program request may ask of init. servers/init/program_runner.cpp
// implements it with system calls; test/host/init with a fake.
class ProgramActions {
 public:
  // Loads the ELF file `image` (a memory object, `image_bytes` long) as `program` (claimed:
  // its name, arguments and badge are set) and starts it: kOk with *out filled, or why not.
  // Takes the image handle whatever the outcome.
  virtual bm::ipc::ProtocolStatus load(const Program& program, bm::abi::Handle image,
                                       uint64_t image_bytes, LoadedTask* out) = 0;
  // Moves the request being answered (a wait_program) into a reply object: its handle, or 0
  // when none is free (the request is then still to be answered now).
  virtual bm::abi::Handle keep_call() = 0;
  // Ends a running program at once, as killed (unless it had just exited): its task and
  // handles go, and a pending wait is answered (the record then holds the outcome, or is free
  // if a wait took it).
  virtual void kill(Program& program) = 0;
  // The task id of the server with this badge while it runs, else 0 (list_programs' starter).
  virtual uint32_t server_task_id(uint64_t badge) = 0;
  // A new handle (write + grant) to the service `name` for `program`, or why not.
  virtual bm::ipc::ProtocolStatus lookup(Program& program, const char* name,
                                         bm::abi::Handle* out) = 0;
  // Closes a handle a request brought that nothing takes.
  virtual void close(bm::abi::Handle handle) = 0;
  // init's log (user::printf).
  virtual void log(const char* format, ...) = 0;

 protected:
  ~ProgramActions() = default;
};

enum class ProgramAnswer : uint8_t {
  kAnswered,  // `reply` holds the answer: send it
  kKept,      // the call is in a reply object the program's record holds: send nothing
};

// Answers one program request (bm::ipc::is_program_label) from `caller`, the server its badge
// `badge` names (null for any other badge, programs included: kNoRights). Closes a handle the
// request carried unless run_program took it.
ProgramAnswer on_program_request(ProgramActions& actions, ProgramTable& table,
                                 const ServerState* caller, uint64_t badge,
                                 const bm::ipc::WireMessage& request, bm::ipc::WireMessage* reply);

// Answers one bootstrap request (ipc/bootstrap.h) from a program: lookup and get_arguments as
// for a server; it has no grants (get_grant: kBadValue), offers no services (register:
// kNoRights, the handle closed), and start-up is over for it (startup_done: kOk). Any other
// label, or a malformed request, gets kBadValue.
void on_program_bootstrap_request(ProgramActions& actions, Program& program,
                                  const bm::ipc::WireMessage& request,
                                  bm::ipc::WireMessage* reply);

}  // namespace init
