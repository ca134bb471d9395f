// init's name service: service names to endpoint handles.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "ipc/names.h"
#include "ipc/protocol.h"
#include "lib/abi/syscalls.h"

namespace init {

class NameRegistry {
 public:
  static constexpr size_t kCapacity = 32;

  // Takes ownership of `endpoint` on success. A name may be registered again
  // by the server that owns it (after a restart); kBusy for anyone else, kNoSlots when full.
  bm::ipc::ProtocolStatus add(const char* name, bm::abi::Handle endpoint, uint64_t owner);
  // A new handle (write, grant) for the caller to pass on, via duplicate; kNotFound.
  bm::ipc::ProtocolStatus lookup(const char* name, bm::abi::Handle* out);
  // Whether `name` is registered, by `owner`.
  bool owned_by(const char* name, uint64_t owner);
  // The owner died: its names go (its endpoint is dead anyway).
  void forget_owner(uint64_t owner);

 private:
  struct Entry {
    char name[bm::ipc::kMaxNameLength + 1];
    bm::abi::Handle endpoint;
    uint64_t owner;
    bool used;
  };
  Entry* find(const char* name);
  Entry entries_[kCapacity] = {};
};

}  // namespace init
