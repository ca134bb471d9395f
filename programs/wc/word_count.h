// wc's counting, apart from reading files so host tests can feed it: newlines, words and
// bytes of a stream given in chunks of any size, as POSIX wc counts them (a word is a
// maximal run of bytes that are not white space: space, \t, \n, \v, \f, \r).
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace wc {

struct Counts {
  uint64_t lines = 0;  // newline bytes
  uint64_t words = 0;
  uint64_t bytes = 0;

  Counts& operator+=(const Counts& other) {
    lines += other.lines;
    words += other.words;
    bytes += other.bytes;
    return *this;
  }
};

class WordCounter {
 public:
  // Counts the next `length` bytes of the stream. A word that runs across the end of one
  // chunk into the next counts once.
  void add(const char* bytes, size_t length);
  const Counts& counts() const { return counts_; }

 private:
  Counts counts_;
  bool in_word_ = false;  // the last byte seen was part of a word
};

}  // namespace wc
