// Built-in commands that talk to the kernel and to other servers (see builtins.h).
#include "servers/shell/builtins.h"

#include "lib/abi/heap_strategy.h"
#include "lib/abi/power.h"
#include "lib/abi/system_info.h"
#include "lib/abi/thread_record.h"
#include "lib/core/page_size.h"
#include "lib/fmt/format.h"
#include "lib/fmt/string.h"
#include "lib/manifest/manifest.h"
#include "servers/shell/command_output.h"
#include "servers/shell/file_commands.h"
#include "servers/shell/jobs.h"
#include "servers/shell/session.h"
#include "user/memd_heap.h"
#include "user/program_client.h"
#include "user/services.h"
#include "user/supervisor_client.h"
#include "user/tsc.h"

namespace shell {
namespace {

using bm::abi::SystemInfo;
using bm::shell::Command;
using bm::shell::Invocation;
using bm::shell::Output;

uint64_t info(SystemInfo item) { return user::system_value(item); }

void command_clear(const Invocation& invocation) { invocation.out.write(bm::shell::kClearScreen); }

void command_uptime(const Invocation& invocation) {
  uint64_t ticks = info(SystemInfo::kTicks);
  uint64_t hz = info(SystemInfo::kTimerHz);
  uint64_t milliseconds = hz == 0 ? 0 : ticks * 1000 / hz;
  uint64_t seconds = milliseconds / 1000;
  print(invocation.out, "up %lu:%02lu:%02lu.%03lu (%lu ticks at %lu Hz)\n", seconds / 3600,
        seconds / 60 % 60, seconds % 60, milliseconds % 1000, ticks, hz);
}

const char* heap_strategy_name(uint64_t strategy) {
  if (!bm::abi::is_heap_strategy(strategy)) return "unknown";
  return bm::abi::heap_strategy_name(static_cast<bm::abi::HeapStrategy>(strategy));
}

// The name of memd's client `id`, the id init introduced it with: a server's manifest index
// + 1, or a program's bootstrap badge (list_programs gives it). "?" if it is neither now.
const char* client_name(const Invocation& invocation, uint64_t id) {
  static bm::ipc::ServerEntry entry;
  static bm::ipc::ListProgramsReply program;
  user::Handle bootstrap = state(invocation).bootstrap;
  if (id != 0 && id <= bm::manifest::kMaxServers) {
    return user::list_server(bootstrap, id - 1, &entry) == user::ProtocolStatus::kOk ? entry.module
                                                                                     : "?";
  }
  for (uint64_t index = 0; index < 64; ++index) {
    if (user::list_program(bootstrap, index, &program) != user::ProtocolStatus::kOk) break;
    if (program.client_id == id) return program.name;
  }
  return "?";
}

// memd's table: every client's heap, named after the server or program.
void show_memd(const Invocation& invocation) {
  const Output& out = invocation.out;
  if (!user::memd_heap::connect(state(invocation).bootstrap)) {
    out.write("memd: not running (every program uses a local heap)\n");
    return;
  }
  for (uint64_t index = 0;; ++index) {
    bm::ipc::memd::ClientStats stats;
    if (user::memd_heap::stats(index, &stats) != bm::ipc::ProtocolStatus::kOk) {
      if (index == 0) out.write("memd: no clients yet\n");
      return;
    }
    if (index == 0) {
      print(out, "memd (%s): pool %lu of %lu pages used\n",
            bm::abi::heap_strategy_name(stats.policy), stats.pool_used_pages,
            stats.pool_total_pages);
      // BYTES and BLOCKS: all the client holds; CACHED: of that, what its block cache
      // manages (refilled, not drained yet), in bytes and blocks.
      out.write("  CLIENT      BYTES  BLOCKS   CACHED  (BLOCKS)      PEAK  PAGES  FAILED\n");
    }
    const char* name = client_name(invocation, stats.client_id);
    print(out, "  %-9s %7lu %7lu %8lu %9lu %9lu %6lu %7lu\n", name, stats.bytes_in_use,
          stats.blocks_in_use, stats.cached_bytes, stats.cached_blocks, stats.peak_bytes,
          stats.mapped_pages, stats.failed_requests);
  }
}

void command_mem(const Invocation& invocation) {
  uint64_t usable = info(SystemInfo::kUsableFrames);
  uint64_t free = info(SystemInfo::kFreeFrames);
  uint64_t used = usable - free;
  print(invocation.out, "frames: %lu used, %lu free of %lu (%lu KiB used, %lu KiB free)\n", used,
        free, usable, used * bm::kPageSize / 1024, free * bm::kPageSize / 1024);
  print(invocation.out,
        "kernel heap (%s): %lu B in %lu blocks, peak %lu B, %lu of %lu B free\n"
        "  %lu allocations since boot\n",
        heap_strategy_name(info(SystemInfo::kHeapStrategy)), info(SystemInfo::kHeapBytesInUse),
        info(SystemInfo::kHeapBlocksInUse), info(SystemInfo::kHeapPeakBytes),
        info(SystemInfo::kHeapFreeBytes), info(SystemInfo::kHeapCapacity),
        info(SystemInfo::kHeapAllocations));
  print(invocation.out, "tasks: %lu, threads: %lu\n", info(SystemInfo::kTaskCount),
        info(SystemInfo::kThreadCount));
  show_memd(invocation);
}

const char* state_name(bm::abi::ThreadRunState state) {
  using bm::abi::ThreadRunState;
  switch (state) {
    case ThreadRunState::kRunning:
      return "running";
    case ThreadRunState::kReady:
      return "ready";
    case ThreadRunState::kBlockedSend:
      return "send";
    case ThreadRunState::kBlockedReceive:
      return "receive";
    case ThreadRunState::kBlockedReply:
      return "reply";
    case ThreadRunState::kWaitingNotification:
      return "notify";
    case ThreadRunState::kSleeping:
      return "sleep";
    case ThreadRunState::kFaulted:
      return "faulted";
  }
  return "?";
}

// ps's last part: the programs init started for servers (ipc/programs.h), running or ended
// and not yet waited for, with the task that started each. Nothing when there are none.
void show_programs(const Invocation& invocation) {
  for (uint64_t index = 0; index < 64; ++index) {
    bm::ipc::ListProgramsReply program;
    if (user::list_program(state(invocation).bootstrap, index, &program) !=
        user::ProtocolStatus::kOk) {
      return;
    }
    if (index == 0) invocation.out.write(" TASK PROGRAM                 STATE    STARTED BY\n");
    const char* status =
        program.state == bm::ipc::ProgramState::kRunning ? "running" : "ended";
    print(invocation.out, "%5lu %-23s %-8s %10lu\n", program.program, program.name, status,
          program.starter);
  }
}

// ps: every thread of every task, from the kernel's thread_list, a page at a time, with the
// restarts of the server it belongs to; then the programs init runs.
void command_ps(const Invocation& invocation) {
  const Output& out = invocation.out;
  uint64_t hz = info(SystemInfo::kTimerHz);
  // How often init restarted the server each task runs (init's supervisor list).
  struct Restarts {
    uint32_t task_id;
    uint32_t count;
  } restarts[bm::manifest::kMaxServers] = {};
  size_t servers = 0;
  for (; servers < bm::manifest::kMaxServers; ++servers) {
    static bm::ipc::ServerEntry entry;
    if (user::list_server(state(invocation).bootstrap, servers, &entry) !=
        user::ProtocolStatus::kOk)
      break;
    restarts[servers] = {entry.task_id, entry.restarts};
  }
  out.write(" TASK NAME                    THREAD PRIO STATE      CPU ms RESTARTS\n");
  uint64_t index = 0;
  for (;;) {
    auto page = user::thread_list(index);
    if (!page.ok()) {
      out.write("ps: thread_list failed\n");
      return;
    }
    const uint64_t written = page->written;
    // Copied out before printing: printing makes IPC calls, which reuse the IPC buffer.
    bm::abi::ThreadRecord records[bm::abi::kThreadRecordsPerCall];
    const auto* source = reinterpret_cast<const bm::abi::ThreadRecord*>(user::ipc_buffer());
    for (uint64_t i = 0; i < written; ++i) records[i] = source[i];
    for (uint64_t i = 0; i < written; ++i) {
      const bm::abi::ThreadRecord& r = records[i];
      char name[sizeof(r.task_name) + 1] = {};
      for (size_t c = 0; c < sizeof(r.task_name); ++c) name[c] = r.task_name[c];
      char restarted[12] = "-";  // not a server init supervises (init itself, a program)
      for (size_t s = 0; s < servers; ++s) {
        if (restarts[s].task_id == r.task_id && r.task_id != 0) {
          bm::snprintf(restarted, sizeof(restarted), "%u", restarts[s].count);
        }
      }
      print(out, "%5u %-23s %6u %4u %-8s %8lu %8s\n", r.task_id, name, r.thread_id, r.priority,
            state_name(r.state), hz == 0 ? 0 : r.user_ticks * 1000 / hz, restarted);
    }
    index += written;
    if (written == 0 || index >= page->total) break;
  }
  show_programs(invocation);
}

// dmesg: the kernel log ring, oldest line first.
void command_dmesg(const Invocation& invocation) {
  uint64_t position = 0;
  bool first = true;
  for (;;) {
    auto chunk_read = user::log_read(position);
    if (!chunk_read.ok()) {
      invocation.out.write("dmesg: log_read failed\n");
      return;
    }
    const auto [copied, next, oldest] = *chunk_read;
    if (copied == 0) return;
    static char chunk[4096];
    const char* source = reinterpret_cast<const char*>(user::ipc_buffer());
    for (uint64_t i = 0; i < copied; ++i) chunk[i] = source[i];
    size_t start = 0;
    // The ring may have wrapped: skip the partial first line.
    if (first && oldest > 0) {
      while (start < copied && chunk[start] != '\n') ++start;
      if (start < copied) ++start;
    }
    first = false;
    invocation.out.write(chunk + start, copied - start);
    position = next;
  }
}

bool parse_number(const char* text, uint64_t* out) {
  uint64_t value = 0;
  if (*text == '\0') return false;
  for (; *text != '\0'; ++text) {
    if (*text < '0' || *text > '9' || value > (~0ull - 9) / 10) return false;
    value = value * 10 + static_cast<uint64_t>(*text - '0');
  }
  *out = value;
  return true;
}

// A server named as ps and grants show it (its module name) or by its task id: its manifest
// index and its entry. False (and a message) if there is no such server.
bool find_server(const Invocation& invocation, uint64_t* index, bm::ipc::ServerEntry* entry) {
  const char* word = invocation.argv[1];
  uint64_t task = 0;
  bool by_id = parse_number(word, &task);
  for (uint64_t i = 0;; ++i) {
    user::ProtocolStatus status = user::list_server(state(invocation).bootstrap, i, entry);
    if (status != user::ProtocolStatus::kOk) break;
    bool running = (entry->flags & bm::ipc::kServerRunning) != 0;
    if (by_id ? running && entry->task_id == task : bm::string_equal(entry->module, word)) {
      *index = i;
      return true;
    }
  }
  if (by_id) {
    print(invocation.out, "%s: no server runs as task %lu\n", invocation.argv[0], task);
  } else {
    print(invocation.out, "%s: no server called %s\n", invocation.argv[0], word);
  }
  return false;
}

// kill (ends it as a crash would: restart=yes brings it back), stop (for good).
void end_server(const Invocation& invocation, bool stop) {
  static bm::ipc::ServerEntry entry;
  uint64_t index = 0;
  if (!find_server(invocation, &index, &entry)) return;
  if ((entry.flags & bm::ipc::kServerRunning) == 0) {
    print(invocation.out, "%s: %s is not running\n", invocation.argv[0], entry.module);
    return;
  }
  auto bootstrap = state(invocation).bootstrap;
  user::ProtocolStatus status = stop ? user::stop_server(bootstrap, entry.task_id)
                                     : user::kill_server(bootstrap, entry.task_id);
  if (status != user::ProtocolStatus::kOk) {
    print(invocation.out, "%s: %s: %s\n", invocation.argv[0], entry.module,
          bm::ipc::protocol_status_text(status));
  } else if (stop || (entry.flags & bm::ipc::kServerRestart) == 0) {
    print(invocation.out, "%s: %s (task %u) ended\n", invocation.argv[0], entry.module,
          entry.task_id);
  } else {
    print(invocation.out, "%s: %s (task %u) ended; init restarts it\n", invocation.argv[0],
          entry.module, entry.task_id);
  }
}
// kill ID ends a program this shell runs in the background; anything else names a server.
void command_kill(const Invocation& invocation) {
  uint64_t id = 0;
  if (parse_number(invocation.argv[1], &id) && jobs().kill_background(id, invocation.out)) return;
  end_server(invocation, false);
}
void command_stop(const Invocation& invocation) { end_server(invocation, true); }

void command_restart(const Invocation& invocation) {
  static bm::ipc::ServerEntry entry;
  uint64_t index = 0;
  if (!find_server(invocation, &index, &entry)) return;
  user::ProtocolStatus status = user::restart_server(state(invocation).bootstrap, index);
  if (status == user::ProtocolStatus::kOk) {
    print(invocation.out, "restart: %s started again\n", entry.module);
  } else {
    print(invocation.out, "restart: %s: %s\n", entry.module, bm::ipc::protocol_status_text(status));
  }
}

void power(const Invocation& invocation, bm::abi::PowerAction action, const char* name) {
  print(invocation.out, "%s...\n", name);
  user::ProtocolStatus status = user::request_power(state(invocation).bootstrap, action);
  print(invocation.out, "%s failed: %s\n", name, bm::ipc::protocol_status_text(status));
}
void command_halt(const Invocation& invocation) {
  power(invocation, bm::abi::PowerAction::kHalt, "halt");
}
void command_reboot(const Invocation& invocation) {
  power(invocation, bm::abi::PowerAction::kReboot, "reboot");
}

const char* grant_kind_name(bm::ipc::GrantKind kind) {
  switch (kind) {
    case bm::ipc::GrantKind::kIoPorts:
      return "ports";
    case bm::ipc::GrantKind::kIrq:
      return "irq";
    case bm::ipc::GrantKind::kDeviceMemory:
      return "memory";
    case bm::ipc::GrantKind::kModule:
      return "module";
    case bm::ipc::GrantKind::kMemoryPool:
      return "pool";
    case bm::ipc::GrantKind::kFramebuffer:
      return "framebuffer";
  }
  return "?";
}

// grants: what init gave each server, so a user can see every driver holds only its own.
void command_grants(const Invocation& invocation) {
  const Output& out = invocation.out;
  for (uint64_t index = 0;; ++index) {
    static bm::ipc::ServerEntry entry;
    user::ProtocolStatus status = user::list_server(state(invocation).bootstrap, index, &entry);
    if (status == user::ProtocolStatus::kBadValue) return;  // past the last server
    if (status != user::ProtocolStatus::kOk) {
      print(out, "grants: %s\n", bm::ipc::protocol_status_text(status));
      return;
    }
    char line[200];
    size_t length =
        bm::snprintf(line, sizeof(line), "%-10s task %-3u %-8s", entry.module, entry.task_id,
                     (entry.flags & bm::ipc::kServerRunning) ? "running" : "stopped");
    if (entry.grant_count == 0 && length < sizeof(line)) {
      length += bm::snprintf(line + length, sizeof(line) - length, " no grants");
    }
    for (uint32_t g = 0; g < entry.grant_count && length < sizeof(line); ++g) {
      const bm::ipc::GrantInfo& grant = entry.grants[g];
      if (grant.kind == bm::ipc::GrantKind::kIrq) {
        length += bm::snprintf(line + length, sizeof(line) - length, " irq %lu", grant.detail);
      } else if (grant.kind == bm::ipc::GrantKind::kMemoryPool) {
        length +=
            bm::snprintf(line + length, sizeof(line) - length, " pool %lu pages", grant.detail);
      } else {
        length += bm::snprintf(line + length, sizeof(line) - length, " %s %#lx:%lu",
                               grant_kind_name(grant.kind), grant.detail, grant.count);
      }
    }
    if (length >= sizeof(line)) length = sizeof(line) - 1;
    out.write(line, length);
    out.write("\n");
  }
}

// Round trips to the echo server: a live check of the IPC path and a rough figure. Under
// QEMU's -icount (tools/bench) TSC cycles equal guest instructions; elsewhere they are cycles.
void command_ipcbench(const Invocation& invocation) {
  constexpr uint32_t kRounds = 1000;
  user::Handle echo = 0;
  if (user::lookup_service(state(invocation).bootstrap, "echo", 0, &echo) !=
      user::ProtocolStatus::kOk) {
    invocation.out.write("ipcbench: no \"echo\" server on this system\n");
    return;
  }
  user::Message request;
  request.label = 1;
  request.words = 4;
  user::Message reply;
  uint32_t wrong = 0;
  uint64_t start_ticks = info(SystemInfo::kTicks);
  uint64_t start = user::read_tsc();
  for (uint32_t i = 0; i < kRounds; ++i) {
    request.word[0] = i;
    if (user::call(echo, request, &reply) != user::Status::kOk || reply.word[0] != i) ++wrong;
  }
  uint64_t cycles = user::read_tsc() - start;
  uint64_t ticks = info(SystemInfo::kTicks) - start_ticks;
  (void)user::handle_close(echo);
  print(invocation.out,
        "ipcbench: %u round trips to echo (4 words), %u wrong, %lu TSC cycles "
        "each, %lu ticks in all\n",
        kRounds, wrong, cycles / kRounds, ticks);
}

constexpr Command kCommands[] = {
    bm::shell::kHelpCommand,
    bm::shell::kEchoCommand,
    {"clear", 0, 0, &command_clear, "", "clear the screen"},
    {"uptime", 0, 0, &command_uptime, "", "time since boot"},
    {"mem", 0, 0, &command_mem, "", "frames, kernel heap, memd's heaps per client"},
    {"ps", 0, 0, &command_ps, "", "threads (priority, state, CPU time); restarts; programs"},
    {"grants", 0, 0, &command_grants, "", "the ports, IRQs and memory each server holds"},
    {"dmesg", 0, 0, &command_dmesg, "", "the kernel log"},
    {"ls", 0, 1, &command_ls, "[path]", "list a directory (the working one by default)"},
    {"cat", 1, 15, &command_cat, "<path>...", "show files"},
    {"write", 1, 15, &command_write, "<path> [text]", "make a file (in /tmp) of the words"},
    {"mkdir", 1, 15, &command_mkdir, "<path>...", "make directories"},
    {"rm", 1, 15, &command_rm, "<path>...", "remove files or empty directories"},
    {"mv", 2, 2, &command_mv, "<from> <to>", "rename or move a file or directory"},
    {"cd", 0, 1, &command_cd, "[path]", "change the working directory (/ by default)"},
    {"pwd", 0, 0, &command_pwd, "", "show the working directory"},
    {"run", 1, 15, &command_run, "<program> [args] [&]",
     "start a program (/boot/bin/NAME or a path)"},
    {"kill", 1, 1, &command_kill, "<server|job>", "end a server as a crash would, or a job"},
    {"stop", 1, 1, &command_stop, "<server>", "end a server for good"},
    {"restart", 1, 1, &command_restart, "<server>", "stop a server and start it again"},
    {"ipcbench", 0, 0, &command_ipcbench, "", "time 1000 IPC round trips to echo"},
    {"halt", 0, 0, &command_halt, "", "stop the machine"},
    {"reboot", 0, 0, &command_reboot, "", "restart the machine"},
};
constexpr bm::shell::CommandTable kTable{kCommands, &run_bare_program};

}  // namespace

const bm::shell::CommandTable& builtins() { return kTable; }

}  // namespace shell
