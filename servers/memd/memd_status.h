// The protocol status memd answers for each error of its heap logic (HeapManager).
#pragma once

#include "ipc/protocol.h"
#include "lib/core/error.h"

namespace bm::memd {

constexpr ipc::ProtocolStatus memd_status(Error error) {
  using ipc::ProtocolStatus;
  switch (error) {
    case Error::kOk:
      return ProtocolStatus::kOk;
    case Error::kOutOfMemory:
    case Error::kNoSlots:  // memd's client table is full: no memory for another client
      return ProtocolStatus::kOutOfMemory;
    case Error::kBadAlignment:
      return ProtocolStatus::kBadAlignment;
    case Error::kInvalidArgument:  // the only argument HeapManager refuses so is a size
      return ProtocolStatus::kBadSize;
    case Error::kForeignPointer:
      return ProtocolStatus::kNotAllocated;
    case Error::kDoubleFree:
      return ProtocolStatus::kDoubleFree;
    default:  // kOutOfRange (stats past the last client), kInvalidHandle (not a client)
      return ProtocolStatus::kBadValue;
  }
}

}  // namespace bm::memd
