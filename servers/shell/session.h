// One interactive shell session: turns key events (ipc/keyboard.h) into line editing, runs
// each finished line through the command table and prints the prompt again. Hardware- and
// IPC-free, so host tests drive it with events and read what it writes.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "ipc/keyboard.h"
#include "lib/fmt/format.h"
#include "servers/shell/command_line.h"
#include "servers/shell/line_editor.h"

namespace bm::shell {

inline constexpr char kPrompt[] = "bm> ";
// ANSI: erase the whole screen, cursor to the top left (what `clear` and Ctrl-L send).
inline constexpr char kClearScreen[] = "\x1b[2J\x1b[H";

// What the session asks of the programs its lines start (the shell's jobs). A program in the
// foreground holds the prompt back until it ends and takes Ctrl-C; programs that ended in the
// background report before the next prompt. The server implements it; host tests fake it.
class JobControl {
 public:
  virtual bool foreground_running() = 0;
  // Ctrl-C while foreground_running(): end the program (its end is reported later, through
  // Session::foreground_ended).
  virtual void interrupt_foreground() = 0;
  // Called before each prompt: print a line for each background program that has ended.
  virtual void report_ended() = 0;

 protected:
  ~JobControl() = default;
};

class Session {
 public:
  // Everything the session prints goes to sink(context, ...); `user` is handed to commands.
  Session(const CommandTable& table, CharSink sink, void* context, void* user)
      : table_(&table), out_{sink, context}, user_(user), editor_(sink, context) {}

  // Prints the prompt. Call once, when the console is ready.
  void start();

  // With jobs set, a line that leaves a program in the foreground gets no prompt, and keys
  // other than Ctrl-C are ignored until foreground_ended() (a program has no keyboard).
  void set_jobs(JobControl* jobs) { jobs_ = jobs; }
  // The foreground program has ended and its outcome is printed: the prompt again.
  void foreground_ended();

  // Handles one key event; releases are ignored. Enter runs the line; Backspace, Delete,
  // Left, Right, Home, End, Up and Down edit it; Ctrl-C drops it, Ctrl-L clears the screen,
  // Ctrl-A/Ctrl-E go to the start/end; while a program runs in the foreground, Ctrl-C ends it.
  // Printable ASCII is inserted; other characters (which the console's code page could not
  // show the same way on every console) are ignored.
  void on_key(const ipc::keyboard::KeyEvent& event);

  // The outcome of the last line run, for tests and for the server's log.
  Outcome last_outcome() const { return last_outcome_; }
  size_t lines_run() const { return lines_run_; }
  const LineEditor& editor() const { return editor_; }

 private:
  void run_line();
  void prompt();
  bool foreground_running() const { return jobs_ != nullptr && jobs_->foreground_running(); }

  const CommandTable* table_;
  Output out_;
  void* user_;
  LineEditor editor_;
  JobControl* jobs_ = nullptr;
  Outcome last_outcome_ = Outcome::kEmpty;
  size_t lines_run_ = 0;
};

}  // namespace bm::shell
