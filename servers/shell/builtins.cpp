// Built-in commands that talk to the kernel and to other servers (see builtins.h).
#include "servers/shell/builtins.h"

#include <stdarg.h>

#include "lib/abi/system_info.h"
#include "lib/fmt/format.h"
#include "servers/shell/session.h"
#include "user/services.h"

namespace shell {
namespace {

using bm::shell::Command;
using bm::shell::Invocation;
using bm::shell::Output;
using bm::abi::SystemInfo;

constexpr uint64_t kPageBytes = 4096;

// One formatted line (or a few) in one console write.
__attribute__((format(printf, 2, 3))) void print(const Output& out, const char* format, ...) {
  char line[256];
  va_list arguments;
  va_start(arguments, format);
  size_t length = bm::vsnprintf(line, sizeof(line), format, arguments);
  va_end(arguments);
  out.write(line, length < sizeof(line) ? length : sizeof(line) - 1);
}

ShellState& state(const Invocation& invocation) {
  return *static_cast<ShellState*>(invocation.user);
}

uint64_t info(SystemInfo item) { return user::system_info(item); }

void command_clear(const Invocation& invocation) {
  invocation.out.write(bm::shell::kClearScreen);
}

void command_uptime(const Invocation& invocation) {
  uint64_t ticks = info(SystemInfo::kTicks);
  uint64_t hz = info(SystemInfo::kTimerHz);
  uint64_t milliseconds = hz == 0 ? 0 : ticks * 1000 / hz;
  uint64_t seconds = milliseconds / 1000;
  print(invocation.out, "up %lu:%02lu:%02lu.%03lu (%lu ticks at %lu Hz)\n", seconds / 3600,
        seconds / 60 % 60, seconds % 60, milliseconds % 1000, ticks, hz);
}

void command_mem(const Invocation& invocation) {
  uint64_t usable = info(SystemInfo::kUsableFrames);
  uint64_t free = info(SystemInfo::kFreeFrames);
  uint64_t used = usable - free;
  print(invocation.out, "frames: %lu used, %lu free of %lu (%lu KiB used, %lu KiB free)\n",
        used, free, usable, used * kPageBytes / 1024, free * kPageBytes / 1024);
  print(invocation.out, "tasks: %lu, threads: %lu\n", info(SystemInfo::kTaskCount),
        info(SystemInfo::kThreadCount));
}

inline uint64_t read_tsc() {
  uint32_t low, high;
  asm volatile("rdtsc" : "=a"(low), "=d"(high));
  return (static_cast<uint64_t>(high) << 32) | low;
}

// Round trips to the echo server: a live check of the IPC path and a rough figure. Under
// QEMU's -icount (tools/bench) TSC cycles equal guest instructions; elsewhere they are cycles.
void command_ipcbench(const Invocation& invocation) {
  constexpr uint32_t kRounds = 1000;
  user::Handle echo = 0;
  if (user::lookup_service(state(invocation).bootstrap, "echo", 0, &echo) != user::Status::kOk) {
    invocation.out.write("ipcbench: no \"echo\" server on this system\n");
    return;
  }
  user::Message request;
  request.label = 1;
  request.words = 4;
  user::Message reply;
  uint32_t wrong = 0;
  uint64_t start_ticks = info(SystemInfo::kTicks);
  uint64_t start = read_tsc();
  for (uint32_t i = 0; i < kRounds; ++i) {
    request.word[0] = i;
    if (user::call(echo, request, &reply) != user::Status::kOk || reply.word[0] != i) ++wrong;
  }
  uint64_t cycles = read_tsc() - start;
  uint64_t ticks = info(SystemInfo::kTicks) - start_ticks;
  user::raw_syscall(user::Syscall::handle_close, echo);
  print(invocation.out, "ipcbench: %u round trips to echo (4 words), %u wrong, %lu TSC cycles "
        "each, %lu ticks in all\n", kRounds, wrong, cycles / kRounds, ticks);
}

constexpr Command kCommands[] = {
    bm::shell::kHelpCommand,
    bm::shell::kEchoCommand,
    {"clear", 0, 0, &command_clear, "", "clear the screen"},
    {"uptime", 0, 0, &command_uptime, "", "time since boot"},
    {"mem", 0, 0, &command_mem, "", "physical memory, tasks and threads"},
    {"ipcbench", 0, 0, &command_ipcbench, "", "time 1000 IPC round trips to echo"},
};
constexpr bm::shell::CommandTable kTable{kCommands};

}  // namespace

const bm::shell::CommandTable& builtins() { return kTable; }

}  // namespace shell
