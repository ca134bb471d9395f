// The shell's built-in commands that ask the system (kernel, init, other servers) for
// something; the pure ones (echo, help) live in command_line.h. One table, kBuiltins.
#pragma once

#include "servers/shell/command_line.h"
#include "user/ipc.h"

namespace shell {

// What commands get as Invocation::user.
struct ShellState {
  user::Handle bootstrap = 0;
};

const bm::shell::CommandTable& builtins();

}  // namespace shell
