// Splitting a program's argument text into words: see program_arguments.h.
#include "user/program_arguments.h"

namespace user {

bm::Result<size_t> split_program_arguments(const char* text, size_t length,
                                           ProgramArguments* out) {
  return bm::text::split_words(text, length, out);
}

}  // namespace user
