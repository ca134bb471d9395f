// The mapping from kernel errors to the statuses system calls return.
#include "kernel/obj/abi_values.h"

namespace kernel {

bm::abi::Status to_status(bm::Error error) {
  using bm::Error;
  using bm::abi::Status;
  switch (error) {
    case Error::kOk: return Status::kOk;
    case Error::kOutOfMemory: return Status::kOutOfMemory;
    case Error::kInvalidHandle: return Status::kInvalidHandle;
    case Error::kWrongType: return Status::kWrongType;
    case Error::kNoRights: return Status::kNoRights;
    case Error::kNoSlots: return Status::kNoSlots;
    case Error::kNotCanonical:
    case Error::kNotMapped: return Status::kBadAddress;
    default: return Status::kInvalidArgument;
  }
}

}  // namespace kernel
