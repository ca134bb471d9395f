// The shell's programs (see jobs.h): reading the file, starting it through init, waiting for
// the foreground one on a helper thread, reporting how each ended.
#include "servers/shell/jobs.h"

#include "lib/abi/exception_names.h"
#include "lib/fmt/string.h"
#include "lib/fs/path.h"
#include "servers/shell/argument_text.h"
#include "servers/shell/command_output.h"
#include "servers/shell/program_image.h"
#include "user/program_client.h"
#include "user/syscalls.h"
#include "user/thread.h"

namespace shell {
namespace {

using bm::ipc::ProgramEnd;
using bm::ipc::ProtocolStatus;
using bm::ipc::WaitProgramReply;
using bm::shell::Invocation;
using bm::shell::Output;

constexpr char kProgramDirectory[] = "/boot/bin/";
constexpr uint64_t kPageFaultVector = 14;
constexpr uint64_t kRetryTicks = 10;  // init had no room to keep a wait: ask again

Jobs the_jobs;

// How a program ended, in one line; nothing for a foreground program that exited 0 (as a
// shell says nothing then). `prefix` is "[ID] " for a background program.
void print_outcome(const Output& out, const char* prefix, const char* name, ProtocolStatus status,
                   const WaitProgramReply& end, bool interrupted, bool background) {
  if (status != ProtocolStatus::kOk) {
    print(out, "%s%s: ended; how is unknown (%s)\n", prefix, name, reason(status));
    return;
  }
  switch (end.how) {
    case ProgramEnd::kExited:
      if (end.exit_code != 0) {
        print(out, "%s%s: exit status %ld\n", prefix, name, end.exit_code);
      } else if (background) {
        print(out, "%s%s: done\n", prefix, name);
      }
      return;
    case ProgramEnd::kKilled:
      print(out, "%s%s: %s\n", prefix, name, interrupted ? "interrupted" : "killed");
      return;
    case ProgramEnd::kFaulted:
      if (end.fault.vector == kPageFaultVector) {
        print(out, "%s%s: killed by %s (%s, vector %u) at rip %#lx cr2 %#lx\n", prefix, name,
              bm::abi::exception_name(end.fault.vector),
              bm::abi::exception_mnemonic(end.fault.vector), end.fault.vector, end.fault.rip,
              end.fault.cr2);
      } else {
        print(out, "%s%s: killed by %s (%s, vector %u) at rip %#lx\n", prefix, name,
              bm::abi::exception_name(end.fault.vector),
              bm::abi::exception_mnemonic(end.fault.vector), end.fault.vector, end.fault.rip);
      }
      return;
  }
}

// Why a program did not start, in the shell's words: reading the file (`asked_init` false)
// or init's answer to run_program.
const char* start_failure(ProtocolStatus status, bool asked_init) {
  switch (status) {
    case ProtocolStatus::kBadImage:
      return asked_init ? "not a program (init refused the image)" : "not a program (empty file)";
    case ProtocolStatus::kBadSize:
      return "too large (a program file may have 4 MiB)";
    case ProtocolStatus::kNoSlots:
      return asked_init ? "no room: init runs 16 programs already" : reason(status);
    default:
      return reason(status);
  }
}

// The path of program `word`: itself (against the working directory) when it has a '/',
// else /boot/bin/WORD. False if it cannot be a path (the error is the caller's to print).
bool program_path(const Invocation& invocation, const char* word, bm::fs::Path* out,
                  bm::fs::FsError* error) {
  bool has_slash = false;
  for (const char* c = word; *c != '\0'; ++c) has_slash |= *c == '/';
  if (has_slash) {
    *error = bm::fs::resolve_path(word, static_cast<uint32_t>(bm::string_length(word)),
                                  &state(invocation).cwd, out);
    return *error == bm::fs::FsError::kOk;
  }
  // "." and ".." would name /boot/bin's directories, never a program in it.
  if (bm::string_equal(word, ".") || bm::string_equal(word, "..")) {
    *error = bm::fs::FsError::kNotFound;
    return false;
  }
  char text[bm::fs::kMaxPathLength + 1];
  size_t length = bm::snprintf(text, sizeof(text), "%s%s", kProgramDirectory, word);
  if (length >= sizeof(text)) {
    *error = bm::fs::FsError::kNameTooLong;
    return false;
  }
  *error = bm::fs::resolve_path(text, static_cast<uint32_t>(length), nullptr, out);
  return *error == bm::fs::FsError::kOk;
}

// The task name for the program at `path`: its file name, cut to a task name's length, with
// anything a name may not hold (a blank, a control byte) as '_'.
void program_name(const bm::fs::Path& path, char* out, size_t capacity) {
  const char* name = path.text + path.length;
  while (name > path.text && name[-1] != '/') --name;
  size_t length = 0;
  for (; name[length] != '\0' && length + 1 < capacity && length < bm::abi::kMaxTaskNameLength;
       ++length) {
    char c = name[length];
    out[length] = c >= 0x21 && c <= 0x7e ? c : '_';
  }
  if (length == 0) out[length++] = '?';
  out[length] = '\0';
}

}  // namespace

Jobs& jobs() { return the_jobs; }

bool Jobs::start(user::Handle bootstrap, bm::shell::Session* session, user::YieldLock* lock,
                 Output out) {
  bootstrap_ = bootstrap;
  session_ = session;
  lock_ = lock;
  out_ = out;
  auto wake = user::notification_create();
  if (!wake.ok()) return false;
  wake_ = wake->release();
  started_ = user::start_thread(wait_for_foreground, reinterpret_cast<uint64_t>(this),
                                user::current_priority()) == user::Status::kOk;
  return started_;
}

bool Jobs::foreground_running() { return __atomic_load_n(&foreground_.id, __ATOMIC_ACQUIRE) != 0; }

void Jobs::interrupt_foreground() {
  uint64_t id = __atomic_load_n(&foreground_.id, __ATOMIC_ACQUIRE);
  if (id == 0) return;
  interrupted_ = true;
  ProtocolStatus status = user::kill_program(bootstrap_, id);
  // kNotFound: it ended on its own just now; the waiter reports that.
  if (status != ProtocolStatus::kOk && status != ProtocolStatus::kNotFound) {
    interrupted_ = false;
    print(out_, "%s: cannot end it: %s\n", foreground_.name, reason(status));
  }
}

void Jobs::wait_for_foreground(uint64_t jobs_address) {
  Jobs& self = *reinterpret_cast<Jobs*>(jobs_address);
  for (;;) {
    (void)user::notification_wait(self.wake_, bm::abi::kWaitForever);
    uint64_t id = __atomic_load_n(&self.foreground_.id, __ATOMIC_ACQUIRE);
    if (id == 0) continue;
    WaitProgramReply end;
    ProtocolStatus status;
    while ((status = user::wait_program(self.bootstrap_, id, &end)) == ProtocolStatus::kNoSlots) {
      (void)user::sleep(kRetryTicks);
    }
    user::LockGuard guard(*self.lock_);
    print_outcome(self.out_, "", self.foreground_.name, status, end, self.interrupted_, false);
    self.interrupted_ = false;
    __atomic_store_n(&self.foreground_.id, 0, __ATOMIC_RELEASE);
    self.session_->foreground_ended();
  }
}

void Jobs::forget_background(Job& job) {
  job.id = 0;
  job.name[0] = '\0';
}

void Jobs::report_ended() {
  bool any = false;
  for (const Job& job : background_) any |= job.id != 0;
  if (!any) return;
  // init's table first, whole: collecting an ended program frees its record, which would
  // move the ones after it under the index.
  constexpr size_t kMaxListed = 64;
  uint64_t listed[kMaxListed];
  bool ended[kMaxListed];
  size_t count = 0;
  for (; count < kMaxListed; ++count) {
    bm::ipc::ListProgramsReply program;
    if (user::list_program(bootstrap_, count, &program) != ProtocolStatus::kOk) break;
    listed[count] = program.program;
    ended[count] = program.state == bm::ipc::ProgramState::kEnded;
  }
  for (Job& job : background_) {
    if (job.id == 0) continue;
    size_t i = 0;
    while (i < count && listed[i] != job.id) ++i;
    if (i < count && !ended[i]) continue;  // still running
    char prefix[24];
    bm::snprintf(prefix, sizeof(prefix), "[%lu] ", job.id);
    WaitProgramReply end;
    // Not listed: init dropped its record for a newer program; wait says kNotFound.
    ProtocolStatus status =
        i < count ? user::wait_program(bootstrap_, job.id, &end) : ProtocolStatus::kNotFound;
    print_outcome(out_, prefix, job.name, status, end, false, true);
    forget_background(job);
  }
}

bool Jobs::kill_background(uint64_t id, const Output& out) {
  for (Job& job : background_) {
    if (job.id != id || id == 0) continue;
    ProtocolStatus killed = user::kill_program(bootstrap_, id);
    if (killed != ProtocolStatus::kOk && killed != ProtocolStatus::kNotFound) {
      print(out, "kill: [%lu] %s: %s\n", id, job.name, reason(killed));
      return true;
    }
    char prefix[24];
    bm::snprintf(prefix, sizeof(prefix), "[%lu] ", id);
    WaitProgramReply end;
    ProtocolStatus status = user::wait_program(bootstrap_, id, &end);
    print_outcome(out, prefix, job.name, status, end, false, true);
    forget_background(job);
    return true;
  }
  return false;
}

bool Jobs::run(const Invocation& invocation, size_t first_word, bool quiet_if_missing) {
  const Output& out = invocation.out;
  // Errors name the command: "run: x: not found", or for a bare program "x: ...".
  const char* prefix = first_word == 0 ? "" : "run: ";
  const char* word = invocation.argv[first_word];
  size_t end_word = invocation.argc;
  bool background =
      end_word > first_word + 1 && bm::string_equal(invocation.argv[end_word - 1], "&");
  if (background) --end_word;

  static bm::fs::Path path;
  bm::fs::FsError path_error = bm::fs::FsError::kOk;
  if (!program_path(invocation, word, &path, &path_error)) {
    if (quiet_if_missing) return false;
    print(out, "%s%s: %s\n", prefix, word,
          path_error == bm::fs::FsError::kNameTooLong ? "name too long"
          : path_error == bm::fs::FsError::kNotFound  ? "not found"
                                                      : "bad path");
    return true;
  }
  ProgramImage image;
  ProtocolStatus status = read_program_image(path.text, &image);
  if (quiet_if_missing &&
      (status == ProtocolStatus::kNotFound || status == ProtocolStatus::kIsADirectory ||
       status == ProtocolStatus::kNotADirectory)) {
    return false;
  }
  if (status != ProtocolStatus::kOk) {
    print(out, "%s%s: %s\n", prefix, word, start_failure(status, false));
    return true;
  }
  if (!started_) {
    print(out, "%s%s: the shell cannot wait for programs (no helper thread)\n", prefix, word);
    return true;
  }
  Job* slot = nullptr;
  if (background) {
    for (Job& job : background_) {
      if (job.id == 0 && slot == nullptr) slot = &job;
    }
    if (slot == nullptr) {
      print(out, "%s%s: %zu programs run in the background already (kill one first)\n", prefix,
            word, kMaxBackgroundJobs);
      return true;
    }
  }
  char arguments[bm::ipc::kMaxProgramArgumentsLength + 1];
  auto joined = bm::shell::join_argument_text(
      invocation.argv + first_word + 1, end_word - first_word - 1, arguments, sizeof(arguments));
  if (!joined.ok()) {
    print(out, "%s%s: arguments too long (at most %u bytes)\n", prefix, word,
          bm::ipc::kMaxProgramArgumentsLength);
    return true;
  }
  Job job;
  program_name(path, job.name, sizeof(job.name));
  status = user::run_program(bootstrap_, image.memory.release(), image.bytes, job.name, arguments,
                             *joined, &job.id);
  if (status != ProtocolStatus::kOk) {
    print(out, "%s%s: %s\n", prefix, word, start_failure(status, true));
    return true;
  }
  if (background) {
    *slot = job;
    print(out, "[%lu] %s\n", job.id, job.name);
    return true;
  }
  for (size_t i = 0; i < sizeof(job.name); ++i) foreground_.name[i] = job.name[i];
  interrupted_ = false;
  // The waiter reads the id after the signal; the release store orders the name before it.
  __atomic_store_n(&foreground_.id, job.id, __ATOMIC_RELEASE);
  (void)user::notification_signal(wake_, 1);
  return true;
}

void command_run(const Invocation& invocation) { (void)the_jobs.run(invocation, 1, false); }

bool run_bare_program(const Invocation& invocation) { return the_jobs.run(invocation, 0, true); }

}  // namespace shell
