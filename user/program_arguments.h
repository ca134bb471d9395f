// A program's argument text (run_program's arguments, which get_arguments returns; see
// ipc/programs.h) split into words, argv-style, by the splitter the shell's command line uses
// (lib/text/word_splitter.h), so the text after a program's name on a shell line reaches the
// program as the same words.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "ipc/programs.h"
#include "lib/core/result.h"
#include "lib/text/word_splitter.h"

namespace user {

using ProtocolStatus = bm::ipc::ProtocolStatus;  // as user/protocol_client.h says it

constexpr size_t kMaxProgramWords = 16;

// The words of a program's arguments, in order (pointers into the list's storage).
using ProgramArguments = bm::text::WordList<kMaxProgramWords, bm::ipc::kMaxProgramArgumentsLength>;

// Splits `text` (`length` bytes, or up to a NUL) into *out: the word count, or kMalformed for
// an unterminated quote, kOutOfRange for more than kMaxProgramWords words, kInvalidArgument
// for a text over kMaxProgramArgumentsLength bytes or a null pointer.
bm::Result<size_t> split_program_arguments(const char* text, size_t length,
                                           ProgramArguments* out);

// The running program's arguments (get_arguments over `bootstrap`), split: kOk, the bootstrap
// call's failure, or kBadValue for a text split_program_arguments refuses.
ProtocolStatus read_program_arguments(uint64_t bootstrap, ProgramArguments* out);

}  // namespace user
