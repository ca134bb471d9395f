// What a file-system operation of lib/fs can fail with. The file server turns each into its
// protocol status (servers/fs/fs_status.h); the archive parser has its own (ustar.h).
#pragma once

#include <stdint.h>

namespace bm::fs {

enum class FsError : int32_t {
  kOk = 0,
  kNotFound,       // no such file or directory
  kExists,         // the name is taken (create exclusive, mkdir)
  kNotADirectory,  // a path component, or a directory-only operation's target, is a file
  kIsADirectory,   // a file operation met a directory (read, write, replace a dir by a file)
  kReadOnly,       // the file system cannot be changed (/boot, the root of the namespace)
  kNoSpace,        // over the byte limit, or the memory behind it ran out
  kNameTooLong,    // a component over kMaxNameLength, or a path over kMaxPathLength
  kBadPath,        // empty, a NUL byte, relative without a base, or a directory into itself
  kNotEmpty,       // removing, or renaming over, a directory that holds something
  kNotPermitted,   // removing or renaming the root of a mount or of the namespace
};

constexpr const char* fs_error_text(FsError error) {
  switch (error) {
    case FsError::kOk:
      return "ok";
    case FsError::kNotFound:
      return "not found";
    case FsError::kExists:
      return "exists";
    case FsError::kNotADirectory:
      return "not a directory";
    case FsError::kIsADirectory:
      return "is a directory";
    case FsError::kReadOnly:
      return "read-only file system";
    case FsError::kNoSpace:
      return "no space";
    case FsError::kNameTooLong:
      return "name too long";
    case FsError::kBadPath:
      return "bad path";
    case FsError::kNotEmpty:
      return "directory not empty";
    case FsError::kNotPermitted:
      return "not permitted on a mount root";
  }
  return "unknown file-system error";
}

}  // namespace bm::fs
