// The programs the shell starts (`run NAME [args] [&]`, or a bare NAME found in /boot/bin):
// at most one in the foreground, which a helper thread waits for while the session goes on
// reading keys (so Ctrl-C can end it), and up to kMaxBackgroundJobs started with a trailing
// `&`, whose ends are reported before the next prompt. init starts and ends them
// (ipc/programs.h, user/program_client.h).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "servers/shell/command_line.h"
#include "servers/shell/session.h"
#include "user/ipc.h"
#include "user/yield_lock.h"

namespace shell {

// Enough for a few sleeps and a long computation at once; init's table holds 16 programs.
constexpr size_t kMaxBackgroundJobs = 8;

class Jobs final : public bm::shell::JobControl {
 public:
  // Starts the thread that waits for foreground programs. It reports an end on `out` and
  // tells `session`, holding `lock` (the lock the key readers run the session under). False
  // if the thread or its notification cannot be made (then `run` says so).
  bool start(user::Handle bootstrap, bm::shell::Session* session, user::YieldLock* lock,
             bm::shell::Output out);

  bool foreground_running() override;
  void interrupt_foreground() override;
  void report_ended() override;

  // Runs the program words[0] (a path when it has a '/', else /boot/bin/NAME) with the other
  // words as its arguments, in the background when the last word is "&". Every failure is
  // one line "COMMAND: NAME: reason". False, printing nothing, when `quiet_if_missing` and
  // there is no such program (a bare word that is no command).
  bool run(const bm::shell::Invocation& invocation, size_t first_word, bool quiet_if_missing);

  // kill ID for a background program of this shell: ends it and prints its outcome line.
  // False (nothing printed) if no background program has that id.
  bool kill_background(uint64_t id, const bm::shell::Output& out);

 private:
  struct Job {
    uint64_t id = 0;  // init's program id; 0: the slot is free
    char name[24] = {};
  };

  [[noreturn]] static void wait_for_foreground(uint64_t jobs_address);
  void forget_background(Job& job);

  user::Handle bootstrap_ = 0;
  user::Handle wake_ = 0;  // signalled when a foreground program starts
  bm::shell::Session* session_ = nullptr;
  user::YieldLock* lock_ = nullptr;
  bm::shell::Output out_{};
  bool started_ = false;
  // Set by the session thread before it signals wake_; cleared by the waiter under lock_.
  Job foreground_;
  bool interrupted_ = false;  // Ctrl-C ended the foreground program
  Job background_[kMaxBackgroundJobs];
};

// The shell's one set of jobs.
Jobs& jobs();

// run PROGRAM [args...] [&]
void command_run(const bm::shell::Invocation& invocation);
// The command table's fallback: a word that names no built-in runs /boot/bin/WORD if there is
// one; false (nothing printed) if not.
bool run_bare_program(const bm::shell::Invocation& invocation);

}  // namespace shell
