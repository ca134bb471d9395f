// Talking to init from a server: fetching grants, registering and looking
// up service names (the protocol is ipc/bootstrap.h).
#pragma once

#include <stdint.h>

#include "ipc/bootstrap.h"
#include "user/ipc.h"

namespace user {

struct Grant {
  bm::ipc::GrantKind kind;
  uint64_t detail;
  uint64_t count;
  Handle handle;
};

// Grant number `index` of this server, or a non-kOk status past the last.
Status get_grant(Handle bootstrap, uint64_t index, Grant* out);
// Registers `endpoint` (a duplicate with write and grant is sent; the
// caller keeps its own handle) under `name`.
Status register_service(Handle bootstrap, const char* name, Handle endpoint);
// Looks `name` up, retrying every few ticks until `timeout_ticks` passed
// (servers start in parallel, so a name may not be there yet).
Status lookup_service(Handle bootstrap, const char* name, uint64_t timeout_ticks, Handle* out);

}  // namespace user
