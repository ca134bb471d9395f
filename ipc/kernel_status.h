// The protocol status a client reports when the kernel refused its IPC (or a server's system
// call failed while answering): one exhaustive mapping from bm::abi::Status.
#pragma once

#include "ipc/protocol.h"
#include "lib/abi/syscalls.h"

namespace bm::ipc {

// No default: a new kernel status does not compile (-Wswitch -Werror) until it is mapped
// here. Each kernel status has its own protocol status, so nothing is lost on the way.
constexpr ProtocolStatus from_kernel(abi::Status status) {
  switch (status) {
    case abi::Status::kOk:
      return ProtocolStatus::kOk;
    case abi::Status::kUnknownSyscall:  // a kernel without the call: it offers no such request
      return ProtocolStatus::kUnsupported;
    case abi::Status::kInvalidHandle:
      return ProtocolStatus::kInvalidHandle;
    case abi::Status::kWrongType:
      return ProtocolStatus::kWrongType;
    case abi::Status::kNoRights:
      return ProtocolStatus::kNoRights;
    case abi::Status::kBadAddress:
      return ProtocolStatus::kBadAddress;
    case abi::Status::kTooLong:
      return ProtocolStatus::kTooLong;
    case abi::Status::kInvalidArgument:
      return ProtocolStatus::kBadValue;
    case abi::Status::kNoCaller:
      return ProtocolStatus::kNoCaller;
    case abi::Status::kPeerGone:
      return ProtocolStatus::kPeerGone;
    case abi::Status::kWouldBlock:
      return ProtocolStatus::kWouldBlock;
    case abi::Status::kTimedOut:
      return ProtocolStatus::kTimedOut;
    case abi::Status::kOutOfMemory:
      return ProtocolStatus::kOutOfMemory;
    case abi::Status::kNoSlots:
      return ProtocolStatus::kNoSlots;
    case abi::Status::kBusy:
      return ProtocolStatus::kBusy;
  }
  return ProtocolStatus::kBadValue;  // a value outside the enum: not a status the kernel gives
}

}  // namespace bm::ipc
