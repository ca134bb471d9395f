// File-protocol client (ipc/fs.h): typed calls to the service "fs", found through init and
// followed to a restarted server (ipc/client_recovery.h). Paths must be absolute; a program
// with a working directory resolves its own with bm::fs::resolve_path first. One connection
// per program; not for several threads at once (the messages are static).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "ipc/fs.h"
#include "user/protocol_client.h"

namespace user::fs {

using bm::ipc::fs::FileInfo;

// One directory entry; type kNone past the last one.
struct Entry {
  bm::ipc::fs::NodeType type = bm::ipc::fs::NodeType::kNone;
  uint64_t size = 0;
  char name[bm::ipc::fs::kMaxNameLength + 1] = {};
};

ProtocolStatus open(const char* path, uint64_t flags, uint32_t* fd);
// Up to `capacity` (at most kMaxIoBytes per call) bytes from `offset`; *got 0 at the end.
ProtocolStatus read(uint32_t fd, uint64_t offset, char* buffer, uint32_t capacity, uint32_t* got);
// All `length` bytes at `offset`, in as many requests as it takes.
ProtocolStatus write(uint32_t fd, uint64_t offset, const char* bytes, size_t length);
ProtocolStatus close(uint32_t fd);
ProtocolStatus stat(const char* path, FileInfo* out);
ProtocolStatus read_directory(const char* path, uint64_t index, Entry* out);
ProtocolStatus make_directory(const char* path);
ProtocolStatus unlink(const char* path);
ProtocolStatus rename(const char* from, const char* to);

// A request's failure in the words users know from other systems ("not found", "is a
// directory", "read-only file system", ...; the file server gone is "the file server is not
// running"), the protocol's own text for any other status: what the shell and programs print.
const char* status_text(ProtocolStatus status);

}  // namespace user::fs
