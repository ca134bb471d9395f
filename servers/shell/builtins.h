// The shell's built-in commands that ask the system (kernel, init, other servers) for
// something; the pure ones (echo, help) live in command_line.h. One table, kBuiltins.
#pragma once

#include "lib/fs/path.h"
#include "servers/shell/command_line.h"
#include "user/ipc.h"

namespace shell {

// What commands get as Invocation::user.
struct ShellState {
  user::Handle bootstrap = 0;
  // Where relative paths of the file commands start (cd changes it); "/" at first.
  bm::fs::Path cwd{};
};

const bm::shell::CommandTable& builtins();

}  // namespace shell
