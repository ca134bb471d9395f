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

class Session {
 public:
  // Everything the session prints goes to sink(context, ...); `user` is handed to commands.
  Session(const CommandTable& table, CharSink sink, void* context, void* user)
      : table_(&table), out_{sink, context}, user_(user), editor_(sink, context) {}

  // Prints the prompt. Call once, when the console is ready.
  void start();

  // Handles one key event; releases are ignored. Enter runs the line; Backspace, Delete,
  // Left, Right, Home, End, Up and Down edit it; Ctrl-C drops it, Ctrl-L clears the screen,
  // Ctrl-A/Ctrl-E go to the start/end. Printable ASCII is inserted; other characters (which
  // the console's code page could not show the same way on every console) are ignored.
  void on_key(const ipc::keyboard::KeyEvent& event);

  // The outcome of the last line run, for tests and for the server's log.
  Outcome last_outcome() const { return last_outcome_; }
  size_t lines_run() const { return lines_run_; }
  const LineEditor& editor() const { return editor_; }

 private:
  void run_line();
  void prompt() { out_.write(kPrompt); }

  const CommandTable* table_;
  Output out_;
  void* user_;
  LineEditor editor_;
  Outcome last_outcome_ = Outcome::kEmpty;
  size_t lines_run_ = 0;
};

}  // namespace bm::shell
