// Dispatch and the pure built-ins of the shell's command line.
#include "servers/shell/command_line.h"

#include "lib/fmt/string.h"

namespace bm::shell {
namespace {

constexpr size_t kHelpColumn = 22;  // where help text starts: room for a name and a synopsis
constexpr char kSpaces[kHelpColumn + 1] = "                      ";
static_assert(kSpaces[kHelpColumn - 1] == ' ', "kSpaces must be kHelpColumn long");

}  // namespace

const char* split_error_message(Error error) {
  switch (error) {
    case Error::kMalformed:
      return "unterminated quote";
    case Error::kOutOfRange:
      return "too many words (at most 16)";
    case Error::kInvalidArgument:
      return "line too long";
    default:
      return error_name(error);
  }
}

bool CommandTable::valid() const {
  for (size_t i = 0; i < count_; ++i) {
    const Command& command = commands_[i];
    if (command.name == nullptr || command.name[0] == '\0' || command.handler == nullptr ||
        command.usage == nullptr || command.help == nullptr ||
        command.min_args > command.max_args || command.max_args >= kMaxWords) {
      return false;
    }
    for (size_t j = 0; j < i; ++j) {
      if (same_name(commands_[j].name, command.name)) return false;
    }
  }
  return true;
}

void Output::write(const char* text, size_t length) const {
  if (sink != nullptr && text != nullptr && length != 0) sink(context, text, length);
}

void Output::write(const char* text) const { write(text, string_length(text)); }

Outcome run_command_line(const CommandTable& table, const char* line, size_t length, Output out,
                         void* user) {
  Words words;
  auto split = split_words(line, length, &words);
  if (!split.ok()) {
    out.write("syntax error: ");
    out.write(split_error_message(split.error()));
    out.write("\n");
    return Outcome::kSyntaxError;
  }
  if (words.count == 0) return Outcome::kEmpty;

  const Command* command = table.find(words.word[0]);
  if (command == nullptr && table.fallback() != nullptr &&
      table.fallback()(Invocation{&table, out, user, words.count, words.word})) {
    return Outcome::kFallback;
  }
  if (command == nullptr || command->handler == nullptr) {
    out.write("unknown command: ");
    out.write(words.word[0]);
    out.write(" (type help)\n");
    return Outcome::kUnknownCommand;
  }
  const size_t arguments = words.count - 1;
  if (arguments < command->min_args || arguments > command->max_args) {
    out.write("usage: ");
    out.write(command->name);
    if (command->usage != nullptr && command->usage[0] != '\0') {
      out.write(" ");
      out.write(command->usage);
    }
    out.write("\n");
    return Outcome::kWrongArgumentCount;
  }
  command->handler(Invocation{&table, out, user, words.count, words.word});
  return Outcome::kRan;
}

void command_echo(const Invocation& invocation) {
  for (size_t i = 1; i < invocation.argc; ++i) {
    if (i > 1) invocation.out.write(" ", 1);
    invocation.out.write(invocation.argv[i]);
  }
  invocation.out.write("\n", 1);
}

namespace {

void write_help_line(const Output& out, const Command& command) {
  size_t width = string_length(command.name);
  out.write(command.name);
  if (command.usage != nullptr && command.usage[0] != '\0') {
    out.write(" ", 1);
    out.write(command.usage);
    width += 1 + string_length(command.usage);
  }
  // At least two spaces, so a long synopsis still reads apart from its help text.
  const size_t pad = width + 2 < kHelpColumn ? kHelpColumn - width : 2;
  out.write(kSpaces, pad);
  out.write(command.help);
  out.write("\n", 1);
}

}  // namespace

void command_help(const Invocation& invocation) {
  if (invocation.table == nullptr) return;
  if (invocation.argc > 1) {
    const Command* command = invocation.table->find(invocation.argv[1]);
    if (command == nullptr) {
      invocation.out.write("help: no such command: ");
      invocation.out.write(invocation.argv[1]);
      invocation.out.write("\n", 1);
      return;
    }
    write_help_line(invocation.out, *command);
    return;
  }
  for (const Command& command : *invocation.table) write_help_line(invocation.out, command);
}

}  // namespace bm::shell
