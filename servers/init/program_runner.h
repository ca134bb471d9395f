// init's programs (ipc/programs.h): the kernel's side of the program table. It loads the
// images servers hand in, watches each program's task (task_watch) so that however it ends
// (exit, fault, kill) its record is settled and a pending wait_program answered, and answers
// the programs' own bootstrap requests. All of it runs on init's main loop, except a watcher
// thread that turns "a program's task ended" into a message on init's endpoint.
#pragma once

#include <stdint.h>

#include "ipc/protocol.h"
#include "lib/abi/syscalls.h"
#include "servers/init/name_registry.h"
#include "servers/init/program_service.h"
#include "servers/init/server_state.h"
#include "user/ipc.h"

namespace init {

// The watcher thread's badge on init's endpoint (below every program badge, next to the
// heartbeat monitor's), and its one message: w0 = the program slots whose task ended.
constexpr uint64_t kProgramWatcherBadge = 0x10001;
constexpr uint32_t kProgramsEnded = 0x7e1;

// What the runner needs from the rest of init.
struct ProgramRunnerServices {
  bm::abi::Handle endpoint;  // init's own: programs' bootstrap handles are badged copies
  NameRegistry* names;
  // A program's look-up of `name`: for an introduced service (ipc/client_admin.h), its
  // endpoint badged for the program, made once into client_handles; any other name as
  // registered. A copy in *out, or why not (main.cpp, as for a server).
  bm::ipc::ProtocolStatus (*lookup)(bm::abi::Handle task, uint64_t badge, const char* who,
                                    const char* name, bm::abi::Handle* client_handles,
                                    bm::abi::Handle* out);
  // The task id of the server with this badge while it runs, else 0.
  uint32_t (*server_task_id)(uint64_t badge);
};

// Makes the reply objects, the notification and the watcher thread. False (logged) if the
// kernel refused: init then serves no program requests (they get kUnsupported).
bool start_program_runner(const ProgramRunnerServices& services);

// A program request (bm::ipc::is_program_label) from `caller` (null unless a server's badge).
ProgramAnswer serve_program_request(const ServerState* caller, uint64_t badge,
                                    const bm::ipc::WireMessage& request,
                                    bm::ipc::WireMessage* reply);
// A bootstrap request from badge `badge` (ProgramTable::is_program_badge): kBadValue for a
// program init does not know (any more).
void serve_program_bootstrap(uint64_t badge, const bm::ipc::WireMessage& request,
                             bm::ipc::WireMessage* reply);
// A fault report with a program's badge: log it, end the program, tell its waiter.
void on_program_fault(const user::Message& report);
// The watcher's message: the slots whose task ended.
void on_programs_ended(uint64_t slots);
// The server with badge `starter` ended: its programs are killed and their records dropped,
// as a terminal's hang-up ends its jobs (nobody is left to wait for them).
void end_programs_of(uint64_t starter);

// The introduced service `service` (an index of client_admin::kIntroducedServices) ended:
// every program's handle to it names a dead endpoint, so they go.
void forget_program_clients_of(size_t service);

}  // namespace init
