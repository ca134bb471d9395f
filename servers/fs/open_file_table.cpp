// OpenFileTable: linear searches over small fixed tables.
#include "servers/fs/open_file_table.h"

namespace bm::fs {

using ipc::ProtocolStatus;

OpenFileTable::Client* OpenFileTable::client_of(uint64_t badge) {
  for (Client& client : clients_) {
    if (client.used && client.badge == badge) return &client;
  }
  return nullptr;
}

const OpenFileTable::Client* OpenFileTable::client_of(uint64_t badge) const {
  return const_cast<OpenFileTable*>(this)->client_of(badge);
}

ProtocolStatus OpenFileTable::can_add(uint64_t badge) const {
  const Client* client = client_of(badge);
  if (client != nullptr) {
    return client->open < kMaxOpenFiles ? ProtocolStatus::kOk : ProtocolStatus::kTooManyOpenFiles;
  }
  for (const Client& free : clients_) {
    if (!free.used) return ProtocolStatus::kOk;
  }
  return ProtocolStatus::kNoSlots;
}

Result<uint32_t, ProtocolStatus> OpenFileTable::add(uint64_t badge, const OpenFile& file) {
  ProtocolStatus room = can_add(badge);
  if (room != ProtocolStatus::kOk) return room;
  Client* client = client_of(badge);
  if (client == nullptr) {
    for (Client& free : clients_) {
      if (free.used) continue;
      client = &free;
      client->used = true;
      client->badge = badge;
      break;
    }
  }
  uint32_t fd = 0;
  while (client->in_use[fd]) ++fd;  // can_add saw a free one
  client->in_use[fd] = true;
  client->files[fd] = file;
  ++client->open;
  return fd;
}

OpenFile* OpenFileTable::find(uint64_t badge, uint32_t fd) {
  Client* client = client_of(badge);
  if (client == nullptr || fd >= kMaxOpenFiles || !client->in_use[fd]) return nullptr;
  return &client->files[fd];
}

void OpenFileTable::remove(uint64_t badge, uint32_t fd) {
  Client* client = client_of(badge);
  if (client == nullptr || fd >= kMaxOpenFiles || !client->in_use[fd]) return;
  client->in_use[fd] = false;
  client->files[fd] = OpenFile{};
  if (--client->open == 0) *client = Client{};  // the slot is free for another client
}

uint32_t OpenFileTable::open_count(uint64_t badge) const {
  const Client* client = client_of(badge);
  return client == nullptr ? 0 : client->open;
}

uint32_t OpenFileTable::client_count() const {
  uint32_t count = 0;
  for (const Client& client : clients_) count += client.used ? 1 : 0;
  return count;
}

}  // namespace bm::fs
