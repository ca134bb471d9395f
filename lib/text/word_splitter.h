// Splitting a line of text into words, argv-style: the shell's command line
// (servers/shell/command_line.h) and a program's arguments (user/program_arguments.h) both read
// text this way, so the words after a program's name on a shell line reach the program as the
// same words. Blanks (space, tab) separate words; double quotes group (and "" is an empty word);
// a backslash makes a following quote, backslash or blank literal and is itself literal before
// anything else.
#pragma once

#include <stddef.h>

#include "lib/core/result.h"

namespace bm::text {

// The words of one text, at most kMaxWords of a text of at most kMaxLength bytes. Word pointers
// point into `storage`, so a WordList is not copyable.
template <size_t kMaxWords, size_t kMaxLength>
struct WordList {
  static constexpr size_t kWordLimit = kMaxWords;
  static constexpr size_t kLengthLimit = kMaxLength;

  constexpr WordList() = default;
  WordList(const WordList&) = delete;
  WordList& operator=(const WordList&) = delete;

  size_t count = 0;
  const char* word[kMaxWords] = {};
  // Unquoting only shrinks a word and only the last word lacks a separator to give its NUL
  // room, so a text of n bytes never needs more than n + 1.
  char storage[kMaxLength + 1] = {};
};

// Where split_words puts what it finds: `word` has room for max_words pointers, `storage` for
// max_length + 1 bytes.
struct WordOutput {
  const char** word;
  size_t max_words;
  char* storage;
  size_t max_length;
};

// Splits `text` (up to `length` bytes or a NUL, whichever comes first) into `out`. Returns the
// word count. Errors: kMalformed for an unterminated quote, kOutOfRange for more than max_words
// words, kInvalidArgument for a null text or a text longer than max_length.
Result<size_t> split_words(const char* text, size_t length, const WordOutput& out);

// The same into a WordList, whose count is the words found (0 after an error);
// kInvalidArgument for a null list.
template <size_t kMaxWords, size_t kMaxLength>
Result<size_t> split_words(const char* text, size_t length, WordList<kMaxWords, kMaxLength>* out) {
  if (out == nullptr) return Error::kInvalidArgument;
  auto count = split_words(text, length, WordOutput{out->word, kMaxWords, out->storage, kMaxLength});
  out->count = count.ok() ? *count : 0;
  return count;
}

}  // namespace bm::text
