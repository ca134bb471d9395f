// The argument text a program gets (run_program's arguments, ipc/programs.h) made from the
// words the shell split its line into: each word quoted so that the program's splitter
// (user/program_arguments.h, the shell's own rules) gives back exactly these words.
#pragma once

#include <stddef.h>

#include "lib/core/result.h"

namespace bm::shell {

// Writes words[0..count) into out (capacity bytes, NUL-terminated), separated by single
// spaces: a blank, quote or backslash gets a backslash before it, an empty word becomes "".
// The text's length, or kOutOfRange when it does not fit (out then holds no text),
// kInvalidArgument for a null pointer.
Result<size_t> join_argument_text(const char* const* words, size_t count, char* out,
                                  size_t capacity);

}  // namespace bm::shell
