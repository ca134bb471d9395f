// The name table. Handles are closed whenever an entry is replaced or
// forgotten, so init's handle table does not fill up over restarts.
#include "servers/init/name_registry.h"

#include "ipc/kernel_status.h"
#include "lib/fmt/string.h"
#include "user/syscalls.h"

namespace init {
namespace {

void close(bm::abi::Handle handle) { (void)user::handle_close(handle); }

}  // namespace

NameRegistry::Entry* NameRegistry::find(const char* name) {
  for (Entry& entry : entries_) {
    if (entry.used && bm::string_equal(entry.name, name)) return &entry;
  }
  return nullptr;
}

bm::ipc::ProtocolStatus NameRegistry::add(const char* name, bm::abi::Handle endpoint,
                                          uint64_t owner) {
  Entry* entry = find(name);
  if (entry != nullptr) {
    if (entry->owner != owner) return bm::ipc::ProtocolStatus::kBusy;
    close(entry->endpoint);
  } else {
    for (Entry& free_entry : entries_) {
      if (!free_entry.used) {
        entry = &free_entry;
        break;
      }
    }
    if (entry == nullptr) return bm::ipc::ProtocolStatus::kNoSlots;
  }
  size_t i = 0;
  for (; name[i] != '\0' && i < bm::ipc::kMaxNameLength; ++i) entry->name[i] = name[i];
  entry->name[i] = '\0';
  entry->endpoint = endpoint;
  entry->owner = owner;
  entry->used = true;
  return bm::ipc::ProtocolStatus::kOk;
}

bm::ipc::ProtocolStatus NameRegistry::lookup(const char* name, bm::abi::Handle* out) {
  Entry* entry = find(name);
  if (entry == nullptr) return bm::ipc::ProtocolStatus::kNotFound;
  auto copy = user::handle_duplicate(entry->endpoint, bm::abi::kRightWrite | bm::abi::kRightGrant);
  if (!copy.ok()) return bm::ipc::from_kernel(copy.error());
  *out = copy->release();  // the caller sends it on
  return bm::ipc::ProtocolStatus::kOk;
}

bool NameRegistry::owned_by(const char* name, uint64_t owner) {
  Entry* entry = find(name);
  return entry != nullptr && entry->owner == owner;
}

void NameRegistry::forget_owner(uint64_t owner) {
  for (Entry& entry : entries_) {
    if (entry.used && entry.owner == owner) {
      close(entry.endpoint);
      entry.used = false;
    }
  }
}

}  // namespace init
