// program-launcher: what the shell's `run` will do, without a file server: a control=yes
// server that hands init the program images its manifest line grants as boot modules
// (modules=hello,memdemo,fault,sleep, in that order), waits for each and prints one
// "PROGRAMS <name>: ..." line per run on COM1, then "PROGRAMS DONE". test/e2e/program_tests.py
// boots it next to memd and echo and reads the lines, the programs' own output and memd's.
#include "ipc/programs.h"
#include "user/print.h"
#include "user/program_client.h"
#include "user/services.h"
#include "user/syscalls.h"

namespace {

enum Module : uint32_t { kHello, kMemdemo, kFault, kSleep, kModules };
constexpr const char* kModuleNames[kModules] = {"hello", "memdemo", "fault", "sleep"};

user::Grant images[kModules];
user::Handle init_handle;

const char* end_name(bm::ipc::ProgramEnd how) {
  switch (how) {
    case bm::ipc::ProgramEnd::kExited:
      return "exited";
    case bm::ipc::ProgramEnd::kKilled:
      return "killed";
    case bm::ipc::ProgramEnd::kFaulted:
      return "faulted";
  }
  return "?";
}

// Starts module `which` with `arguments`: its id, or 0 (logged).
uint64_t start(Module which, const char* arguments) {
  const char* name = kModuleNames[which];
  auto copy = user::handle_duplicate(
      images[which].handle, bm::abi::kRightRead | bm::abi::kRightMap | bm::abi::kRightGrant);
  if (!copy.ok()) {
    user::printf("PROGRAMS %s: no copy of the image\n", name);
    return 0;
  }
  size_t length = 0;
  while (arguments[length] != '\0') ++length;
  uint64_t program = 0;
  user::ProtocolStatus status = user::run_program(init_handle, copy->release(),
                                                  images[which].detail, name, arguments, length,
                                                  &program);
  if (status != user::ProtocolStatus::kOk) {
    user::printf("PROGRAMS %s: not started: %s\n", name, bm::ipc::protocol_status_text(status));
    return 0;
  }
  return program;
}

void report_end(Module which, uint64_t program) {
  bm::ipc::WaitProgramReply ended;
  user::ProtocolStatus status = user::wait_program(init_handle, program, &ended);
  if (status != user::ProtocolStatus::kOk) {
    user::printf("PROGRAMS %s: wait failed: %s\n", kModuleNames[which],
                 bm::ipc::protocol_status_text(status));
    return;
  }
  user::printf("PROGRAMS %s: %s %ld vector %u\n", kModuleNames[which], end_name(ended.how),
               ended.exit_code, ended.fault.vector);
}

void run_and_wait(Module which, const char* arguments) {
  uint64_t program = start(which, arguments);
  if (program != 0) report_end(which, program);
}

}  // namespace

int main(uint64_t bootstrap) {
  init_handle = static_cast<user::Handle>(bootstrap);
  uint32_t found = 0;
  for (uint64_t index = 0; found < kModules; ++index) {
    user::Grant grant;
    if (user::get_grant(init_handle, index, &grant) != user::ProtocolStatus::kOk) break;
    if (grant.kind == bm::ipc::GrantKind::kModule) images[found++] = grant;
  }
  if (found != kModules) {
    user::printf("PROGRAMS launcher: %u of %u program images granted\n", found, kModules);
    user::printf("PROGRAMS DONE\n");
    return 1;
  }
  // memd and echo register first: the programs look them up once.
  (void)user::wait_for_startup(init_handle, 2000);
  run_and_wait(kHello, "from \"the launcher\"");
  run_and_wait(kMemdemo, "");
  run_and_wait(kFault, "divide");
  run_and_wait(kSleep, "x");
  uint64_t sleeper = start(kSleep, "100000");
  if (sleeper != 0) {
    (void)user::sleep(5);
    bm::ipc::ListProgramsReply listed;
    if (user::list_program(init_handle, 0, &listed) == user::ProtocolStatus::kOk) {
      user::printf("PROGRAMS listed: %s %s\n", listed.name,
                   listed.state == bm::ipc::ProgramState::kRunning ? "running" : "ended");
    }
    user::ProtocolStatus killed = user::kill_program(init_handle, sleeper);
    user::printf("PROGRAMS kill: %s\n", bm::ipc::protocol_status_text(killed));
    report_end(kSleep, sleeper);
  }
  user::printf("PROGRAMS DONE\n");
  return 0;
}
