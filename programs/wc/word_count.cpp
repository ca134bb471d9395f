// Counting lines, words and bytes (see word_count.h).
#include "programs/wc/word_count.h"

namespace wc {
namespace {

bool is_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

}  // namespace

void WordCounter::add(const char* bytes, size_t length) {
  for (size_t i = 0; i < length; ++i) {
    char c = bytes[i];
    if (c == '\n') ++counts_.lines;
    if (is_space(c)) {
      in_word_ = false;
    } else if (!in_word_) {
      in_word_ = true;
      ++counts_.words;
    }
  }
  counts_.bytes += length;
}

}  // namespace wc
