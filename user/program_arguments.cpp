// Splitting a program's argument text into words: see program_arguments.h.
#include "user/program_arguments.h"

#include "lib/fmt/string.h"

namespace user {
namespace {

bool is_blank(char c) { return c == ' ' || c == '\t'; }

bool is_escapable(char c) { return c == '"' || c == '\\' || is_blank(c); }

}  // namespace

bm::Result<size_t> split_program_arguments(const char* text, size_t length,
                                           ProgramArguments* out) {
  if (text == nullptr || out == nullptr) return bm::Error::kInvalidArgument;
  length = bm::string_length_bounded(text, length);
  if (length > bm::ipc::kMaxProgramArgumentsLength) return bm::Error::kInvalidArgument;
  out->count = 0;
  size_t in = 0;
  size_t stored = 0;
  while (true) {
    while (in < length && is_blank(text[in])) ++in;
    if (in == length) break;
    if (out->count == kMaxProgramWords) return bm::Error::kOutOfRange;
    const size_t start = stored;
    bool quoted = false;
    while (in < length) {
      const char c = text[in];
      if (c == '\\' && in + 1 < length && is_escapable(text[in + 1])) {
        out->storage[stored++] = text[in + 1];
        in += 2;
      } else if (c == '"') {
        quoted = !quoted;
        ++in;
      } else if (!quoted && is_blank(c)) {
        break;
      } else {
        out->storage[stored++] = c;
        ++in;
      }
    }
    if (quoted) return bm::Error::kMalformed;
    out->storage[stored++] = '\0';
    out->word[out->count++] = &out->storage[start];
  }
  return out->count;
}

}  // namespace user
