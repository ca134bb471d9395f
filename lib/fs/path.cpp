// resolve_path and the helpers that take normalised paths apart.
#include "lib/fs/path.h"

namespace bm::fs {

namespace {

bool bytes_equal(const char* a, const char* b, uint32_t length) {
  for (uint32_t i = 0; i < length; ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

}  // namespace

FsError resolve_path(const char* path, uint32_t length, const Path* base, Path* out) {
  if (length == 0) return FsError::kBadPath;
  if (length > kMaxPathLength) return FsError::kNameTooLong;
  for (uint32_t i = 0; i < length; ++i) {
    if (path[i] == '\0') return FsError::kBadPath;
  }
  bool absolute = path[0] == '/';
  if (!absolute && base == nullptr) return FsError::kBadPath;

  // Built as "/a/b", a slash before each name ("" is the root). A base and a relative path together
  // may pass kMaxPathLength on the way (a long base, then "../.."), so the limit applies to the
  // result only.
  char scratch[2 * kMaxPathLength + 2];
  uint32_t used = 0;
  if (!absolute && !base->is_root()) {
    used = base->length;
    for (uint32_t i = 0; i < used; ++i) scratch[i] = base->text[i];
  }
  uint32_t at = 0;
  while (at < length) {
    while (at < length && path[at] == '/') ++at;
    uint32_t start = at;
    while (at < length && path[at] != '/') ++at;
    uint32_t name_length = at - start;
    const char* name = path + start;
    if (name_length == 0 || (name_length == 1 && name[0] == '.')) continue;
    if (name_length == 2 && name[0] == '.' && name[1] == '.') {
      while (used > 0 && scratch[used - 1] != '/') --used;  // drop the last name
      if (used > 0) --used;                                 // and its slash
      continue;
    }
    if (name_length > kMaxNameLength) return FsError::kNameTooLong;
    scratch[used++] = '/';
    for (uint32_t i = 0; i < name_length; ++i) scratch[used++] = name[i];
  }
  if (used > kMaxPathLength) return FsError::kNameTooLong;
  if (used == 0) {
    out->text[0] = '/';
    out->length = 1;
  } else {
    for (uint32_t i = 0; i < used; ++i) out->text[i] = scratch[i];
    out->length = used;
  }
  out->text[out->length] = '\0';
  return FsError::kOk;
}

bool split_first(RelativePath path, Name* first, RelativePath* rest) {
  if (path.empty()) return false;
  uint32_t end = 0;
  while (end < path.length && path.data[end] != '/') ++end;
  *first = {path.data, end};
  *rest = end < path.length ? RelativePath{path.data + end + 1, path.length - end - 1}
                            : RelativePath{path.data + end, 0};
  return true;
}

bool split_last(RelativePath path, RelativePath* parent, Name* last) {
  if (path.empty()) return false;
  uint32_t start = path.length;
  while (start > 0 && path.data[start - 1] != '/') --start;
  *last = {path.data + start, path.length - start};
  *parent = {path.data, start == 0 ? 0 : start - 1};
  return true;
}

bool is_within(RelativePath path, RelativePath ancestor) {
  if (ancestor.empty()) return true;
  if (path.length < ancestor.length) return false;
  if (!bytes_equal(path.data, ancestor.data, ancestor.length)) return false;
  return path.length == ancestor.length || path.data[ancestor.length] == '/';
}

}  // namespace bm::fs
