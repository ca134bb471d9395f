// init's program protocol (labels 0x21..0x24): starting a program from an ELF image the caller
// read (the shell, from the file server), waiting for it to end, ending it (Ctrl-C) and
// listing the programs that run (ps). Requests go to init's bootstrap endpoint, and init
// answers them only for servers whose manifest line says control=yes, as the supervisor
// protocol (ipc/supervisor.h); anyone else gets kNoRights. A program belongs to the server
// that started it: only that server may wait for it or kill it. The conventions are the
// bootstrap protocol's: w0 of a reply is a ProtocolStatus, a failed reply is that word alone.
// init (servers/init/program_service.cpp) and the runtime (user/program_client.cpp) use the
// codecs below; docs/protocols.md describes every message.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "ipc/bootstrap.h"
#include "ipc/names.h"
#include "ipc/wire_codec.h"
#include "lib/abi/syscalls.h"
#include "lib/core/page_size.h"

namespace bm::ipc {

// The argument text a program gets (get_arguments), as long as a manifest line's args=.
constexpr uint32_t kMaxProgramArgumentsLength = kMaxArgumentsLength;
// The longest image init will load: the largest memory object.
constexpr uint64_t kMaxProgramImageBytes = abi::kMaxMemoryObjectPages * kPageSize;
constexpr uint32_t kRunProgramFixedWords = 1 + kNameWords + 1;  // length, name, argument length
constexpr uint32_t kMaxRunProgramWords =
    kRunProgramFixedWords + words_for_bytes(kMaxProgramArgumentsLength);

// X(Name, label, "name", request words min, max, kOk reply words min, max, kMovesHandles).
// Labels start at 0x21 so they never meet the bootstrap (1..5) or supervisor (0x11..) labels.
#define BM_PROGRAM_MESSAGES(X)                                                         \
  X(RunProgram, 0x21, "run_program", kRunProgramFixedWords, kMaxRunProgramWords, 2, 2, \
    kMovesHandles)                                                                     \
  X(WaitProgram, 0x22, "wait_program", 1, 1, 6, 6, kMovesHandles)                      \
  X(KillProgram, 0x23, "kill_program", 1, 1, 1, 1, kMovesHandles)                      \
  X(ListPrograms, 0x24, "list_programs", 1, 1, 9, 9, kMovesHandles)

BM_DEFINE_MESSAGES(BM_PROGRAM_MESSAGES, ProgramLabel, kProgramMessages)

constexpr bool is_program_label(uint32_t label) {
  return label >= kRunProgram && label <= kListPrograms;
}

// A program's id is its kernel task id (thread_list shows it): never 0, 32 bits.
constexpr bool is_program_id(uint64_t id) { return id != 0 && id <= 0xffffffffull; }

// A service name's characters (printable ASCII, no blank), but at most abi::kMaxTaskNameLength
// of them: fewer than a service name may have, since it is the task's name.
constexpr bool is_program_name(const char* name) {
  size_t length = 0;
  for (; name[length] != '\0'; ++length) {
    if (name[length] < 0x21 || name[length] > 0x7e) return false;
  }
  return length >= 1 && length <= abi::kMaxTaskNameLength;
}

// --- run_program: load an ELF image and start it ------------------------------------------

// The image is a memory object (map right; a boot module, or memory_create frames the caller
// filled) moved to init, which closes it once the program is loaded or refused. The program
// runs as a task named `name`, at init's program priority, with init's endpoint (badged for
// it) as its bootstrap: get_arguments gives it `arguments`, lookup finds the services.
struct RunProgramRequest;
constexpr bool valid_run_request(const RunProgramRequest& request);
struct RunProgramRequest {
  uint64_t image_bytes = 0;  // the file's length: 1..kMaxProgramImageBytes, within the object
  char name[kMaxNameLength + 1] = {};
  abi::Handle image = 0;
  ByteView arguments{};  // up to kMaxProgramArgumentsLength bytes
  using Wire = Request<kRunProgramSpec,
                       Bounded<&RunProgramRequest::image_bytes, 1, kMaxProgramImageBytes>,
                       ServiceName<&RunProgramRequest::name>, MovedHandle<&RunProgramRequest::image>,
                       Bytes<&RunProgramRequest::arguments, kMaxProgramArgumentsLength>,
                       Rule<valid_run_request>>;
};
constexpr bool valid_run_request(const RunProgramRequest& request) {
  return is_program_name(request.name);
}
// kOk with the program's id; kBadImage (init logs why), kNoSlots (init's program table holds
// running programs only), kBadValue (a malformed request), or the kernel's refusal of a step
// (ipc/kernel_status.h: kNoRights for an image without map, kOutOfMemory, ...).
struct RunProgramReply {
  ProtocolStatus status = ProtocolStatus::kOk;
  uint64_t program = 0;  // kOk: its id
  using Wire = Reply<kRunProgramSpec, Checked<&RunProgramReply::program, is_program_id>>;
};

// --- wait_program: how a program ended ----------------------------------------------------

enum class ProgramEnd : uint64_t {
  kExited = 1,   // returned from main or called task_exit: exit_code is its value
  kKilled = 2,   // kill_program, or its starter ended (exit_code -1)
  kFaulted = 3,  // a CPU exception; init ended it (exit_code -1) and `fault` says which
};

constexpr bool is_program_end(uint64_t word) {
  return word >= static_cast<uint64_t>(ProgramEnd::kExited) &&
         word <= static_cast<uint64_t>(ProgramEnd::kFaulted);
}

// The kernel's fault report, as init passes it on (docs/syscalls.md, Faults).
struct ProgramFault {
  uint32_t vector = 0;      // 0..31
  uint32_t error_code = 0;  // 0 for exceptions without one
  uint64_t rip = 0;
  uint64_t cr2 = 0;  // the faulting address of a page fault, otherwise 0
  using Wire = Fields<PackedWord<Bits<&ProgramFault::vector, 32, 0x1f>,
                                 Bits<&ProgramFault::error_code, 0, 0xffffffff>>,
                      Word<&ProgramFault::rip>, Word<&ProgramFault::cr2>>;
};

// w0 = program id. Answered when the program ends, at once if it has ended already; init keeps
// the call meanwhile (its loop goes on serving). kNotFound (no such program of the caller's,
// or it was waited for already), kNoRights (another server started it), kBusy (a wait for it
// is pending already), kNoSlots (init cannot keep another call).
struct WaitProgramRequest {
  uint64_t program = 0;
  using Wire = Request<kWaitProgramSpec, Word<&WaitProgramRequest::program>>;
};
struct WaitProgramReply;
constexpr bool valid_wait_reply(const WaitProgramReply& reply);
struct WaitProgramReply {
  ProtocolStatus status = ProtocolStatus::kOk;
  ProgramEnd how = ProgramEnd::kExited;
  int64_t exit_code = 0;  // the kernel's: main's value, -1 when killed or faulted
  ProgramFault fault{};   // kFaulted only; zero otherwise
  using Wire = Reply<kWaitProgramSpec, Checked<&WaitProgramReply::how, is_program_end>,
                     Word<&WaitProgramReply::exit_code>, Nested<&WaitProgramReply::fault>,
                     Rule<valid_wait_reply>>;
};
// Fault words belong to a fault only.
constexpr bool valid_wait_reply(const WaitProgramReply& reply) {
  return reply.how == ProgramEnd::kFaulted ||
         (reply.fault.vector == 0 && reply.fault.error_code == 0 && reply.fault.rip == 0 &&
          reply.fault.cr2 == 0);
}

// --- kill_program: end a running program (Ctrl-C) -----------------------------------------

// w0 = program id. kOk once it has ended (a pending wait hears kKilled); kNotFound (no running
// program of the caller's has that id), kNoRights (another server started it).
struct KillProgramRequest {
  uint64_t program = 0;
  using Wire = Request<kKillProgramSpec, Word<&KillProgramRequest::program>>;
};
using KillProgramReply = StatusReply<kKillProgramSpec>;

// --- list_programs: the programs init holds, for ps ---------------------------------------

enum class ProgramState : uint64_t {
  kRunning = 1,
  kEnded = 2,  // ended, and its starter has not collected how (wait_program) yet
};

constexpr bool is_program_state(uint64_t word) {
  return word >= static_cast<uint64_t>(ProgramState::kRunning) &&
         word <= static_cast<uint64_t>(ProgramState::kEnded);
}

constexpr bool is_task_id_or_none(uint64_t word) { return word <= 0xffffffffull; }

// w0 = index 0, 1, ...: the programs in init's table order; kBadValue past the last.
struct ListProgramsRequest {
  uint64_t index = 0;
  using Wire = Request<kListProgramsSpec, Word<&ListProgramsRequest::index>>;
};
struct ListProgramsReply {
  ProtocolStatus status = ProtocolStatus::kOk;
  uint64_t program = 0;  // its id
  ProgramState state = ProgramState::kRunning;
  uint64_t starter = 0;  // the task id of the server that started it, 0 if it is not running
  char name[kMaxNameLength + 1] = {};
  // The id the introduced services (memd, fs: ipc/client_admin.h) know it by, its bootstrap
  // badge: how `mem` names a program's row of memd's table.
  uint64_t client_id = 0;
  using Wire = Reply<kListProgramsSpec, Checked<&ListProgramsReply::program, is_program_id>,
                     Checked<&ListProgramsReply::state, is_program_state>,
                     Checked<&ListProgramsReply::starter, is_task_id_or_none>,
                     ServiceName<&ListProgramsReply::name>, Word<&ListProgramsReply::client_id>>;
};

}  // namespace bm::ipc
