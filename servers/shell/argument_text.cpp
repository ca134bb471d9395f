// Words back into an argument text (see argument_text.h).
#include "servers/shell/argument_text.h"

namespace bm::shell {
namespace {

bool needs_backslash(char c) { return c == ' ' || c == '\t' || c == '"' || c == '\\'; }

}  // namespace

Result<size_t> join_argument_text(const char* const* words, size_t count, char* out,
                                  size_t capacity) {
  if (out == nullptr || capacity == 0 || (words == nullptr && count != 0)) {
    return Error::kInvalidArgument;
  }
  size_t length = 0;
  // Appends c when it and the closing NUL fit.
  auto put = [&](char c) {
    if (length + 1 >= capacity) return false;
    out[length++] = c;
    return true;
  };
  bool fits = true;
  for (size_t i = 0; i < count && fits; ++i) {
    if (words[i] == nullptr) {
      out[0] = '\0';
      return Error::kInvalidArgument;
    }
    if (i > 0) fits &= put(' ');
    if (words[i][0] == '\0') fits &= put('"') && put('"');
    for (const char* c = words[i]; *c != '\0' && fits; ++c) {
      if (needs_backslash(*c)) fits &= put('\\');
      fits &= put(*c);
    }
  }
  if (!fits) {
    out[0] = '\0';
    return Error::kOutOfRange;
  }
  out[length] = '\0';
  return length;
}

}  // namespace bm::shell
