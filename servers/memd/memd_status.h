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
    case Error::kOutOfRange:     // stats past the last client
    case Error::kInvalidHandle:  // the badge is not a client's
      return ProtocolStatus::kBadValue;
    // HeapManager never returns these; listed, not defaulted, so that a new Error does not
    // compile (-Wswitch) until someone decides what memd answers for it.
    case Error::kTruncated:
    case Error::kMalformed:
    case Error::kMissingTag:
    case Error::kNotMapped:
    case Error::kAlreadyMapped:
    case Error::kNotAligned:
    case Error::kNotCanonical:
    case Error::kWrongType:
    case Error::kNoRights:
    case Error::kBadImage:
    case Error::kNoDevice:
    case Error::kTimedOut:
    case Error::kUnsupported:
      return ProtocolStatus::kBadValue;
  }
  return ProtocolStatus::kBadValue;  // a value outside the enum
}

}  // namespace bm::memd
