// What every built-in command of the server uses to answer: a formatted line in one console
// write, the shell's state, and the short reason shown for a failed request. One place, so
// the file commands, the system commands and `run` print their errors alike.
#pragma once

#include "ipc/protocol.h"
#include "lib/fs/path.h"
#include "servers/shell/builtins.h"
#include "servers/shell/command_line.h"

namespace shell {

// One formatted line (or a few, up to 320 bytes) in one console write.
__attribute__((format(printf, 2, 3))) void print(const bm::shell::Output& out, const char* format,
                                                 ...);

inline ShellState& state(const bm::shell::Invocation& invocation) {
  return *static_cast<ShellState*>(invocation.user);
}

// A request's failure in the words users know from other systems ("not found", "is a
// directory", ...; user::fs::status_text); the protocol's own text for the rest.
const char* reason(bm::ipc::ProtocolStatus status);

// A command's error about one of its words (a path, a program): "COMMAND: WORD: REASON".
void fail(const bm::shell::Invocation& invocation, const char* word,
          bm::ipc::ProtocolStatus status);

// `word` resolved against the working directory; false (and fail's line) if it cannot be.
bool resolve(const bm::shell::Invocation& invocation, const char* word, bm::fs::Path* out);

}  // namespace shell
