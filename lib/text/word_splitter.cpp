// The word splitter of word_splitter.h: one pass over the text, unquoting into the storage.
#include "lib/text/word_splitter.h"

#include "lib/fmt/string.h"

namespace bm::text {
namespace {

bool is_blank(char c) { return c == ' ' || c == '\t'; }

bool is_escapable(char c) { return c == '"' || c == '\\' || is_blank(c); }

}  // namespace

Result<size_t> split_words(const char* text, size_t length, const WordOutput& out) {
  if (text == nullptr) return Error::kInvalidArgument;
  length = string_length_bounded(text, length);
  if (length > out.max_length) return Error::kInvalidArgument;
  size_t count = 0;
  size_t in = 0;
  size_t stored = 0;
  while (true) {
    while (in < length && is_blank(text[in])) ++in;
    if (in == length) break;
    if (count == out.max_words) return Error::kOutOfRange;
    const size_t start = stored;
    bool quoted = false;
    while (in < length) {
      const char c = text[in];
      if (c == '\\' && in + 1 < length && is_escapable(text[in + 1])) {
        out.storage[stored++] = text[in + 1];
        in += 2;
      } else if (c == '"') {
        quoted = !quoted;
        ++in;
      } else if (!quoted && is_blank(c)) {
        break;
      } else {
        out.storage[stored++] = c;
        ++in;
      }
    }
    if (quoted) return Error::kMalformed;
    out.storage[stored++] = '\0';
    out.word[count++] = &out.storage[start];
  }
  return count;
}

}  // namespace bm::text
