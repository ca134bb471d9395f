// The shell's command line: splitting a line into words, a table of built-in commands with
// argument-count checks, and the `echo` and `help` built-ins (the server adds the others).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/core/result.h"
#include "lib/fmt/format.h"
#include "lib/text/word_splitter.h"

namespace bm::shell {

inline constexpr size_t kMaxWords = 16;  // the command name plus at most 15 arguments
inline constexpr size_t kMaxCommandLineLength = 256;

// The words of one line (lib/text/word_splitter.h: the rules programs read their arguments by).
using Words = text::WordList<kMaxWords, kMaxCommandLineLength>;

// Splits `line` (up to `length` bytes or a NUL, whichever comes first) into words separated by
// spaces and tabs. Double quotes group (and may be empty: "" is an empty word); a backslash
// makes a following quote, backslash, space or tab literal, and is itself literal before
// anything else. Returns the word count. Errors: kMalformed for an unterminated quote,
// kOutOfRange for more than kMaxWords words, kInvalidArgument for a null line or out, or a line
// longer than kMaxCommandLineLength.
inline Result<size_t> split_words(const char* line, size_t length, Words* out) {
  return text::split_words(line, length, out);
}
// The one-line reason shown for a split_words error.
const char* split_error_message(Error error);

// Where a command writes its output.
struct Output {
  CharSink sink = nullptr;  // null discards
  void* context = nullptr;

  void write(const char* text, size_t length) const;
  void write(const char* text) const;  // NUL-terminated; null writes nothing
};

class CommandTable;

// String equality for NUL-terminated names, usable in constant expressions.
constexpr bool same_name(const char* a, const char* b) {
  while (*a != '\0' && *a == *b) {
    ++a;
    ++b;
  }
  return *a == *b;
}

// One call of a command: the table (help walks it), the output, the server's own state and
// the words, argv[0] being the command name.
struct Invocation {
  const CommandTable* table;
  Output out;
  void* user;
  size_t argc;
  const char* const* argv;
};

using CommandHandler = void (*)(const Invocation& invocation);
// What a first word that names no command may be instead (the shell: a program in /boot/bin):
// true if it ran the line, false for "unknown command".
using FallbackHandler = bool (*)(const Invocation& invocation);

struct Command {
  const char* name;
  uint8_t min_args;  // arguments after the name
  uint8_t max_args;  // at most kMaxWords - 1
  CommandHandler handler;
  const char* usage;  // argument synopsis for help and errors, e.g. "<task>"; "" if none
  const char* help;   // one line
};

// A view of a constant array of commands: the server lists its built-ins once, in one place.
class CommandTable {
 public:
  constexpr CommandTable(const Command* commands, size_t count, FallbackHandler fallback = nullptr)
      : commands_(commands), count_(commands == nullptr ? 0 : count), fallback_(fallback) {}
  template <size_t N>
  constexpr explicit CommandTable(const Command (&commands)[N], FallbackHandler fallback = nullptr)
      : CommandTable(commands, N, fallback) {}

  // Every name non-empty and unique, a handler, usage and help present, and
  // min_args <= max_args < kMaxWords. (Not constexpr: GCC cannot compare the address of a
  // function defined elsewhere with null during constant evaluation.)
  bool valid() const;
  // The command called exactly `name`, or null.
  constexpr const Command* find(const char* name) const;

  constexpr size_t size() const { return count_; }
  constexpr const Command* begin() const { return commands_; }
  constexpr const Command* end() const { return commands_ + count_; }
  constexpr FallbackHandler fallback() const { return fallback_; }

 private:
  const Command* commands_;
  size_t count_;
  FallbackHandler fallback_;
};

constexpr const Command* CommandTable::find(const char* name) const {
  if (name == nullptr) return nullptr;
  for (size_t i = 0; i < count_; ++i) {
    if (commands_[i].name != nullptr && same_name(commands_[i].name, name)) return &commands_[i];
  }
  return nullptr;
}

enum class Outcome : uint8_t {
  kEmpty,               // nothing but blanks: nothing printed
  kRan,                 // the handler ran
  kUnknownCommand,      // printed "unknown command: X (type help)"
  kFallback,            // no command, but the table's fallback ran the line
  kWrongArgumentCount,  // printed "usage: NAME USAGE"
  kSyntaxError,         // printed "syntax error: REASON"
};

// Splits `line`, looks the first word up in `table` and runs it with the argument count
// checked. Every failure prints exactly one line to `out`.
Outcome run_command_line(const CommandTable& table, const char* line, size_t length, Output out,
                         void* user);

// echo: the arguments joined by single spaces, then a newline.
void command_echo(const Invocation& invocation);
// help: one line per command ("name usage" padded to a column, then the help text); with an
// argument, only that command's line, or "help: no such command: X".
void command_help(const Invocation& invocation);

inline constexpr Command kEchoCommand = {"echo",        0,           kMaxWords - 1,
                                         &command_echo, "[word...]", "print the words"};
inline constexpr Command kHelpCommand = {
    "help", 0, 1, &command_help, "[command]", "list the commands, or describe one"};

}  // namespace bm::shell
