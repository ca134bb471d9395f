// When init's start-up is over, so the shell can print its first prompt after the start-up
// log lines instead of in the middle of them (ipc/bootstrap.h, startup_done).
#pragma once

#include <stddef.h>

#include "servers/init/server_state.h"

namespace init {

// A server has come up once it registered a name, and is out of the way once it is not
// running (it ended, or never started). Start-up is over when every server but `asking`
// (the one waiting, which cannot come up before its answer) is one or the other. A server
// that runs without ever registering keeps it from ending: the asker bounds its wait.
bool startup_complete(const ServerState* servers, size_t count, const ServerState* asking);

}  // namespace init
