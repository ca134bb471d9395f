// Talking to init from a server: fetching grants, registering and looking
// up service names (the protocol is ipc/bootstrap.h).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "ipc/bootstrap.h"
#include "user/ipc.h"
#include "user/protocol_client.h"

namespace user {

// One request to init (bootstrap, or supervisor: ipc/supervisor.h): call_protocol with the
// codecs init uses, on the bootstrap handle.
template <typename Request, typename Reply>
ProtocolStatus call_init(Handle bootstrap, const Request& request, Reply* out) {
  return call_protocol(bootstrap, request, out);
}

struct Grant {
  bm::ipc::GrantKind kind;
  uint64_t detail;
  uint64_t count;
  Handle handle;
};

// Grant number `index` of this server, or a non-kOk status past the last.
ProtocolStatus get_grant(Handle bootstrap, uint64_t index, Grant* out);
// Registers `endpoint` (a duplicate with write and grant is sent; the
// caller keeps its own handle) under `name`.
ProtocolStatus register_service(Handle bootstrap, const char* name, Handle endpoint);
// Looks `name` up, retrying every few ticks until `timeout_ticks` passed
// (servers start in parallel, so a name may not be there yet).
ProtocolStatus lookup_service(Handle bootstrap, const char* name, uint64_t timeout_ticks,
                              Handle* out);

// Waits until init's start-up is over (every other server registered a name or ended), for at
// most `timeout_ticks`: kOk, kWouldBlock if the time ran out first, or why init could not be
// asked. init holds the call and answers it when the last server comes up; should it have no
// reply object free and answer at once, this asks again a tick later.
ProtocolStatus wait_for_startup(Handle bootstrap, uint64_t timeout_ticks);

// This server's manifest args= text (docs/manifest.md), NUL-terminated in
// `out`; kTooLong if it does not fit in `capacity` bytes with the NUL.
ProtocolStatus get_arguments(Handle bootstrap, char* out, size_t capacity);

// register_service for a word of the manifest arguments (not NUL-terminated):
// kBadValue if it is longer than a service name.
ProtocolStatus register_service(Handle bootstrap, const char* word, size_t length, Handle endpoint);

// Copies a `length`-byte word into `out` with a NUL; false (nothing copied) if it
// does not fit in `capacity` bytes.
inline bool copy_argument(const char* word, size_t length, char* out, size_t capacity) {
  if (length >= capacity) return false;
  for (size_t i = 0; i < length; ++i) out[i] = word[i];
  out[length] = '\0';
  return true;
}

// For a word such as "layout=de": the bytes after `prefix` ("layout="), their
// count in *value_length; null if the word does not start with the prefix.
inline const char* argument_value(const char* word, size_t length, const char* prefix,
                                  size_t* value_length) {
  size_t i = 0;
  for (; prefix[i] != '\0'; ++i) {
    if (i >= length || word[i] != prefix[i]) return nullptr;
  }
  *value_length = length - i;
  return word + i;
}

// Calls visit(word, length) for each comma-separated word of `arguments`
// (empty words are skipped).
template <typename Visit>
void for_each_argument(const char* arguments, Visit visit) {
  const char* start = arguments;
  for (const char* p = arguments;; ++p) {
    if (*p == ',' || *p == '\0') {
      if (p > start) visit(start, static_cast<size_t>(p - start));
      if (*p == '\0') return;
      start = p + 1;
    }
  }
}

}  // namespace user
