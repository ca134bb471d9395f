// Paths of the file namespace: limits, one component (Name), normalised absolute paths (Path)
// and the relative paths below a mount (RelativePath), and resolve_path, which turns what a
// client wrote into a Path: `.` and `..` resolved (never above the root), repeated and
// trailing slashes dropped, limits checked.
#pragma once

#include <stdint.h>

#include "lib/fs/fs_error.h"

namespace bm::fs {

// Bytes of a whole path, without a terminating NUL, and of one component of it. The file
// protocol (ipc/fs.h) carries paths of at most kMaxPathLength bytes.
constexpr uint32_t kMaxPathLength = 255;
constexpr uint32_t kMaxNameLength = 63;

// One component: 1..kMaxNameLength bytes, no '/' and no NUL, neither "." nor "..". A view:
// it points into a path or a file system's node.
struct Name {
  const char* data = nullptr;
  uint32_t length = 0;
};

constexpr bool names_equal(Name a, Name b) {
  if (a.length != b.length) return false;
  for (uint32_t i = 0; i < a.length; ++i) {
    if (a.data[i] != b.data[i]) return false;
  }
  return true;
}

// Whether `length` bytes may be a Name: the rules above, except the length limit (checked
// separately, for a distinct error). A template so that protocol code can check the
// unsigned bytes of a message.
template <typename Byte>
constexpr bool is_name(const Byte* bytes, uint32_t length) {
  if (length == 0) return false;
  if (length == 1 && bytes[0] == '.') return false;
  if (length == 2 && bytes[0] == '.' && bytes[1] == '.') return false;
  for (uint32_t i = 0; i < length; ++i) {
    if (bytes[i] == '/' || bytes[i] == '\0') return false;
  }
  return true;
}

// A normalised relative path: Names joined by single slashes, no slash at either end; empty
// for the directory it is relative to (a mount's root). A view into a Path.
struct RelativePath {
  const char* data = "";
  uint32_t length = 0;
  bool empty() const { return length == 0; }
};

// A normalised absolute path: "/" or "/a/b", one slash before each Name. NUL-terminated.
struct Path {
  char text[kMaxPathLength + 1] = {'/', '\0'};
  uint32_t length = 1;

  bool is_root() const { return length == 1; }
  // The path below the root: "a/b" for "/a/b", empty for "/".
  RelativePath relative() const { return {text + 1, length - 1}; }
};

// Resolves `length` bytes of `path`: absolute, or relative to `base` (a Path resolve_path
// made, the client's working directory), or null when relative paths are refused.
//   kBadPath      empty, a NUL byte, or relative without a base
//   kNameTooLong  the path over kMaxPathLength bytes, a component over kMaxNameLength, or a
//                 result over kMaxPathLength
// `..` at the root stays at the root. A trailing slash is ignored ("/tmp/" is "/tmp").
// *out is written only on success.
FsError resolve_path(const char* path, uint32_t length, const Path* base, Path* out);

// The first Name of a non-empty path and what follows it ("a/b/c": "a" and "b/c"); false for
// an empty path.
bool split_first(RelativePath path, Name* first, RelativePath* rest);
// The parent and the last Name of a non-empty path ("a/b/c": "a/b" and "c"); false for an
// empty path.
bool split_last(RelativePath path, RelativePath* parent, Name* last);
// Whether `path` is `ancestor` or lies below it ("a/b" is within "a" and "a/b", not "a/bc").
bool is_within(RelativePath path, RelativePath ancestor);

}  // namespace bm::fs
