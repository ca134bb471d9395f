// init's programs: loading, watching and settling them; see program_runner.h.
#include "servers/init/program_runner.h"

#include <stdarg.h>

#include "ipc/kernel_status.h"
#include "ipc/programs.h"
#include "lib/fmt/string.h"
#include "user/print.h"
#include "user/program_loader.h"
#include "user/protocol_server.h"
#include "user/reply_pool.h"
#include "user/syscalls.h"
#include "user/thread.h"

namespace init {
namespace {

using bm::abi::Handle;
using bm::abi::Status;
using bm::ipc::ProtocolStatus;

ProgramRunnerServices services{};
ProgramTable table;
// One per program at most: a program has one pending wait_program at a time.
user::ReplyPool<kMaxPrograms> waits;
Handle ended_notification = 0;  // bit i: the task of slot i ended
bool running = false;

size_t slot_of(const Program& program) { return static_cast<size_t>(&program - table.begin()); }

// Waits for programs' tasks to end and tells the main loop, which owns the table.
void watcher_thread(uint64_t endpoint) {
  for (;;) {
    auto ended = user::notification_wait(ended_notification, bm::abi::kWaitForever);
    if (!ended.ok()) return;
    user::Message message;
    message.label = kProgramsEnded;
    message.words = 1;
    message.word[0] = *ended;
    (void)user::send(static_cast<Handle>(endpoint), message);
  }
}

void log_end(const Program& program, const bm::ipc::WaitProgramReply& outcome) {
  switch (outcome.how) {
    case bm::ipc::ProgramEnd::kExited:
      user::printf("init: program %s (task %u) exited with code %ld\n", program.name, program.id,
                   outcome.exit_code);
      return;
    case bm::ipc::ProgramEnd::kKilled:
      user::printf("init: program %s (task %u) was killed\n", program.name, program.id);
      return;
    case bm::ipc::ProgramEnd::kFaulted:
      return;  // on_program_fault logged it
  }
}

// Closes one program's handles to the introduced services first .. last - 1.
void close_client_handles(Program& program, size_t first, size_t last) {
  for (size_t service = first; service < last; ++service) {
    if (program.client_handles[service] != 0) {
      (void)user::handle_close(program.client_handles[service]);
      program.client_handles[service] = 0;
    }
  }
}

// The program's task has ended: close what init held for it, then answer its waiter (the
// record is then free) or keep the outcome for the starter's wait_program.
void settle(Program& program) {
  auto status = user::task_status(program.task);
  int64_t exit_code = status.ok() ? status->exit_code : -1;
  (void)user::handle_close(program.task);
  close_client_handles(program, 0, bm::ipc::client_admin::kIntroducedServiceCount);
  bm::ipc::WaitProgramReply outcome = outcome_of(program, exit_code);
  log_end(program, outcome);
  if (program.waiter == 0) {
    table.ended(program, outcome);
    return;
  }
  static bm::ipc::WireMessage answer;
  if (!bm::ipc::encode(outcome, &answer)) {
    bm::ipc::encode_status_reply(bm::ipc::kWaitProgram, ProtocolStatus::kBadValue, &answer);
  }
  Handle waiter = program.waiter;
  waits.give_back(waiter, user::answer_later(waiter, answer));
  table.release(program);
}

// Ends a running program now (task_kill is synchronous: the task has ended on return). One
// that ended by itself a moment ago (its watcher's message still on the way) is not called
// killed: task_kill then says kPeerGone, and its own exit code stands.
void kill_now(Program& program) {
  if (user::task_kill(program.task).ok()) program.killed = true;
  settle(program);
}

class RunnerActions final : public ProgramActions {
 public:
  ProtocolStatus load(const Program& program, Handle image, uint64_t image_bytes,
                      LoadedTask* out) override {
    user::OwnedHandle image_handle(image);  // init needs it only while loading
    auto badged = user::handle_duplicate(
        services.endpoint, bm::abi::kRightWrite | bm::abi::kRightGrant, program.badge);
    if (!badged.ok()) return bm::ipc::from_kernel(badged.error());
    size_t name_length = 0;
    while (program.name[name_length] != '\0') ++name_length;
    user::ProgramSpec spec{.image = image,
                           .image_bytes = image_bytes,
                           .name = program.name,
                           .name_length = name_length,
                           .priority = kProgramPriority,
                           .bootstrap = badged->get(),
                           .frame_limit = kProgramFrameLimit};
    const char* reason = "";
    auto loaded = user::load_program(spec, &reason);
    if (!loaded.ok()) {
      if (loaded.error() == ProtocolStatus::kBadImage) {
        user::printf("init: refused program %s: %s\n", program.name, reason);
      } else {
        user::printf("init: program %s: not started: %s (%s)\n", program.name,
                     bm::ipc::protocol_status_text(loaded.error()), reason);
      }
      return loaded.error();
    }
    // Signalled at once should it have ended already: its slot's bit is all the watcher needs.
    Status watched =
        user::task_watch(loaded->task.get(), ended_notification, slot_of(program)).error();
    if (watched != Status::kOk) {
      user::printf("init: program %s: cannot watch it: %s\n", program.name,
                   bm::abi::status_text(watched));
      (void)user::task_kill(loaded->task.get());
      return bm::ipc::from_kernel(watched);
    }
    user::printf("init: started program %s (task %u, priority %u)\n", program.name, loaded->id,
                 kProgramPriority);
    out->id = loaded->id;
    out->task = loaded->task.release();  // settle() closes it
    return ProtocolStatus::kOk;
  }

  Handle keep_call() override { return waits.keep_call(); }

  void kill(Program& program) override {
    user::printf("init: killing program %s (task %u) on request\n", program.name, program.id);
    kill_now(program);
  }

  uint32_t server_task_id(uint64_t badge) override { return services.server_task_id(badge); }

  ProtocolStatus lookup(Program& program, const char* name, Handle* out) override {
    return services.lookup(program.task, program.badge, program.name, name,
                           program.client_handles, out);
  }

  void close(Handle handle) override { (void)user::handle_close(handle); }

  void log(const char* format, ...) override {
    va_list arguments;
    va_start(arguments, format);
    user::vprintf(format, arguments);
    va_end(arguments);
  }
};

RunnerActions actions;

}  // namespace

bool start_program_runner(const ProgramRunnerServices& given) {
  services = given;
  auto notification = user::notification_create();
  if (!notification.ok() || !waits.create()) {
    user::printf("init: no program runner: out of kernel objects\n");
    return false;
  }
  ended_notification = notification->release();  // lives as long as init
  auto watcher = user::handle_duplicate(services.endpoint, bm::abi::kRightWrite,
                                        kProgramWatcherBadge);
  if (!watcher.ok() ||
      user::start_thread(watcher_thread, watcher->release(), user::current_priority()) !=
          Status::kOk) {
    user::printf("init: no program runner: cannot start its watcher\n");
    return false;
  }
  running = true;
  return true;
}

ProgramAnswer serve_program_request(const ServerState* caller, uint64_t badge,
                                    const bm::ipc::WireMessage& request,
                                    bm::ipc::WireMessage* reply) {
  if (!running) {
    if (request.has_handle) (void)user::handle_close(request.handle);
    bm::ipc::encode_status_reply(request.label, ProtocolStatus::kUnsupported, reply);
    return ProgramAnswer::kAnswered;
  }
  return on_program_request(actions, table, caller, badge, request, reply);
}

void serve_program_bootstrap(uint64_t badge, const bm::ipc::WireMessage& request,
                             bm::ipc::WireMessage* reply) {
  Program* program = table.by_badge(badge);
  if (program == nullptr || program->state != ProgramSlotState::kRunning) {
    if (request.has_handle) (void)user::handle_close(request.handle);
    bm::ipc::encode_status_reply(request.label, ProtocolStatus::kBadValue, reply);
    return;
  }
  on_program_bootstrap_request(actions, *program, request, reply);
}

void on_program_fault(const user::Message& report) {
  Program* program = table.by_badge(report.badge);
  uint32_t vector = static_cast<uint32_t>(report.word[1] >> 32);
  uint32_t error_code = static_cast<uint32_t>(report.word[1]);
  if (program == nullptr || program->state != ProgramSlotState::kRunning) {
    user::printf("init: an ended program faulted: vector %u at rip %#lx\n", vector,
                 report.word[2]);
    return;
  }
  user::printf("init: program %s (task %u) faulted: vector %u error %#x at rip %#lx cr2 %#lx\n",
               program->name, program->id, vector, error_code, report.word[2], report.word[3]);
  program->faulted = true;
  program->fault = {vector & 0x1f, error_code, report.word[2], report.word[3]};
  kill_now(*program);  // the kill answers the fault report: init owes it nothing
}

void on_programs_ended(uint64_t slots) {
  for (Program& program : table) {
    if ((slots & (1ull << slot_of(program))) == 0) continue;
    // The bit may be an earlier occupant's: only a task that has ended is settled.
    if (program.state != ProgramSlotState::kRunning) continue;
    auto status = user::task_status(program.task);
    if (status.ok() && status->ended) settle(program);
  }
}

void forget_program_clients_of(size_t service) {
  for (Program& program : table) close_client_handles(program, service, service + 1);
}

void end_programs_of(uint64_t starter) {
  for (Program& program : table) {
    if (program.state == ProgramSlotState::kFree || program.starter != starter) continue;
    if (program.state == ProgramSlotState::kRunning) {
      user::printf("init: killing program %s (task %u): its starter ended\n", program.name,
                   program.id);
      kill_now(program);  // a waiter, the starter, is gone: its answer finds nobody
    }
    if (program.state != ProgramSlotState::kFree) table.release(program);
  }
}

}  // namespace init
