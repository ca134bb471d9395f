// The open files of each client of the file server, found by the client's badge and the fd
// the client was given (0, 1, ...: the lowest free). Fixed tables: kMaxClients clients with
// up to kMaxOpenFiles files each. A client's slot is taken by its first open and given back
// when its last file closes or it ends.
#pragma once

#include <stdint.h>

#include "ipc/protocol.h"
#include "lib/core/result.h"
#include "servers/fs/fs_namespace.h"

namespace bm::fs {

struct OpenFile {
  OpenTarget target;
  bool readable = false;
  bool writable = false;
};

class OpenFileTable {
 public:
  static constexpr uint32_t kMaxClients = 32;
  static constexpr uint32_t kMaxOpenFiles = 16;

  // Puts `file` in the lowest free fd of `badge`'s. kTooManyOpenFiles when the client has
  // kMaxOpenFiles open, kNoSlots when it has none and every client slot is taken.
  Result<uint32_t, ipc::ProtocolStatus> add(uint64_t badge, const OpenFile& file);
  // Whether `badge` could add() a file now (the same errors), so an open can be refused
  // before it creates anything.
  ipc::ProtocolStatus can_add(uint64_t badge) const;
  // The file behind `fd` of `badge`, or null (the fd is not open for that client).
  OpenFile* find(uint64_t badge, uint32_t fd);
  // Forgets `fd` (which must be open); the caller has closed what it names.
  void remove(uint64_t badge, uint32_t fd);
  // Calls close(file) for each file `badge` has open, then forgets them all.
  template <typename Close>
  void remove_all(uint64_t badge, Close close);

  uint32_t open_count(uint64_t badge) const;
  uint32_t client_count() const;

 private:
  struct Client {
    bool used = false;
    uint64_t badge = 0;
    uint32_t open = 0;
    bool in_use[kMaxOpenFiles] = {};
    OpenFile files[kMaxOpenFiles];
  };
  Client* client_of(uint64_t badge);
  const Client* client_of(uint64_t badge) const;

  Client clients_[kMaxClients];
};

template <typename Close>
void OpenFileTable::remove_all(uint64_t badge, Close close) {
  Client* client = client_of(badge);
  if (client == nullptr) return;
  for (uint32_t fd = 0; fd < kMaxOpenFiles; ++fd) {
    if (client->in_use[fd]) close(client->files[fd]);
  }
  *client = Client{};
}

}  // namespace bm::fs
