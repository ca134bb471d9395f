// init's start-up: see startup.h.
#include "servers/init/startup.h"

namespace init {

bool startup_complete(const ServerState* servers, size_t count, const ServerState* asking) {
  for (size_t i = 0; i < count; ++i) {
    const ServerState& server = servers[i];
    if (&server == asking) continue;
    if (server.running && !server.registered_a_name) return false;
  }
  return true;
}

}  // namespace init
