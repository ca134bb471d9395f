// What init knows about the programs it started on request (ipc/programs.h): a bounded table,
// each entry from the moment init loads the program until its starter has collected how it
// ended. Portable bookkeeping only: the handles it records are opened and closed by init's
// program runner (servers/init/program_runner.cpp), so host tests drive every state.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "ipc/client_admin.h"
#include "ipc/names.h"
#include "ipc/programs.h"
#include "lib/abi/syscalls.h"

namespace init {

constexpr size_t kMaxPrograms = 16;
// Programs run below every server that serves them (the shell is at 10, echo at 8), so a
// program that spins cannot starve the servers or the shell that would end it.
constexpr uint32_t kProgramPriority = 5;
// The frame quota of a program's task: the servers' default (docs/manifest.md, frames=).
constexpr uint64_t kProgramFrameLimit = 4096;
// Program badges lie above every badge a server or init's own threads hold: bits 0-7 are the
// slot, bits 8-31 count the programs that slot held, so a badge is never reused soon and a
// late message from an ended program never reaches its successor in the slot.
constexpr uint64_t kProgramBadgeBase = 1ull << 32;

enum class ProgramSlotState : uint8_t {
  kFree,
  kStarting,  // claimed for a run_program that is being loaded
  kRunning,
  kEnded,  // its outcome waits for the starter's wait_program
};

struct Program {
  ProgramSlotState state = ProgramSlotState::kFree;
  uint64_t badge = 0;    // of its bootstrap handle: how init knows its requests and faults
  uint64_t starter = 0;  // the badge of the server that started it
  uint32_t id = 0;       // its kernel task id, once started
  char name[bm::ipc::kMaxNameLength + 1] = {};
  char arguments[bm::ipc::kMaxProgramArgumentsLength] = {};
  uint32_t arguments_length = 0;
  bm::abi::Handle task = 0;    // while it runs
  // The introduced services' endpoints badged for it (ipc/client_admin.h: memd, fs), each
  // made the first time it looks the service up.
  bm::abi::Handle client_handles[bm::ipc::client_admin::kIntroducedServiceCount] = {};
  bm::abi::Handle waiter = 0;  // a reply object holding the starter's wait_program call
  // What init saw before the task ended: its fault report, or its own kill.
  bool faulted = false;
  bool killed = false;
  bm::ipc::ProgramFault fault{};
  bm::ipc::WaitProgramReply outcome{};  // kEnded: what wait_program answers
  uint64_t ended_order = 0;            // kEnded: when, to give up the oldest record first
};

class ProgramTable {
 public:
  // A slot for a new program started by `starter`, kStarting, with a fresh badge: a free one,
  // or else the record of the program that ended longest ago (its outcome is dropped; its id
  // goes to *dropped for the log, 0 if none was). Null when every slot holds a live program.
  Program* claim(uint64_t starter, uint32_t* dropped);
  // The program loaded: it runs as task `id` (a kStarting slot).
  void started(Program& program, uint32_t id, bm::abi::Handle task);
  // It ended: the record keeps `outcome` until the starter collects it. Handles are the
  // caller's to close first: the record forgets task, client handles and waiter.
  void ended(Program& program, const bm::ipc::WaitProgramReply& outcome);
  // The slot is free again (a failed start, a collected outcome, a starter that is gone).
  void release(Program& program);

  // The program (starting, running or ended) whose bootstrap badge this is, or null.
  Program* by_badge(uint64_t badge);
  // The running or ended program with this id, or null.
  Program* by_id(uint64_t id);
  // The caller's program `id` for wait_program and kill_program: kNotFound if no program has
  // that id, kNoRights if another server started it.
  bm::ipc::ProtocolStatus find_for_starter(uint64_t starter, uint64_t id, Program** out);
  // The running or ended program number `index` in table order (list_programs), or null.
  const Program* listed(uint64_t index) const;

  static constexpr bool is_program_badge(uint64_t badge) { return badge >= kProgramBadgeBase; }

  Program* begin() { return slots_; }
  Program* end() { return slots_ + kMaxPrograms; }

 private:
  Program slots_[kMaxPrograms];
  uint32_t generations_[kMaxPrograms] = {};
  uint64_t ended_count_ = 0;
};

// How a program whose task ended with `exit_code` ended, from what init saw before: its own
// kill, a fault report, or neither (the program exited by itself).
bm::ipc::WaitProgramReply outcome_of(const Program& program, int64_t exit_code);

}  // namespace init
