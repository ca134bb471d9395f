// The protocol status the file server answers for each error of lib/fs.
#pragma once

#include "ipc/protocol.h"
#include "lib/fs/fs_error.h"

namespace bm::fs {

constexpr ipc::ProtocolStatus fs_status(FsError error) {
  using ipc::ProtocolStatus;
  switch (error) {
    case FsError::kOk:
      return ProtocolStatus::kOk;
    case FsError::kNotFound:
      return ProtocolStatus::kNotFound;
    case FsError::kExists:
      return ProtocolStatus::kExists;
    case FsError::kNotADirectory:
      return ProtocolStatus::kNotADirectory;
    case FsError::kIsADirectory:
      return ProtocolStatus::kIsADirectory;
    case FsError::kReadOnly:
      return ProtocolStatus::kReadOnly;
    case FsError::kNoSpace:
      return ProtocolStatus::kNoSpace;
    case FsError::kNameTooLong:
      return ProtocolStatus::kNameTooLong;
    case FsError::kBadPath:
      return ProtocolStatus::kBadPath;
    case FsError::kNotEmpty:
      return ProtocolStatus::kNotEmpty;
    case FsError::kNotPermitted:
      return ProtocolStatus::kNoRights;  // a mount's root
  }
  return ProtocolStatus::kBadValue;  // a value outside the enum
}

}  // namespace bm::fs
