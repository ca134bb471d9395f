// Host tests for the shell's command line: its word limits and syntax-error messages, the command
// table, dispatch with its one-line errors, and the echo and help built-ins.
#include "servers/shell/command_line.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "servers/shell/line_editor.h"

namespace bm::shell {
namespace {

std::vector<std::string> split(const std::string& line) {
  Words words;
  auto count = split_words(line.data(), line.size(), &words);
  EXPECT_TRUE(count.ok()) << line << ": " << error_name(count.error());
  if (!count.ok()) return {"<error>"};
  EXPECT_EQ(*count, words.count);
  return std::vector<std::string>(words.word, words.word + words.count);
}

Error split_error(const std::string& line) {
  Words words;
  auto count = split_words(line.data(), line.size(), &words);
  EXPECT_FALSE(count.ok()) << line;
  return count.ok() ? Error::kOk : count.error();
}

using Strings = std::vector<std::string>;

// The splitting rules are lib/text's (test/host/text); here the shell's limits and messages.
TEST(SplitWords, TheShellsLimitsAndErrorMessages) {
  std::string sixteen;
  for (int i = 0; i < 16; ++i) sixteen += "w" + std::to_string(i) + " ";
  auto words = split(sixteen);
  ASSERT_EQ(words.size(), kMaxWords);
  EXPECT_EQ(words.back(), "w15");
  EXPECT_EQ(split_error(sixteen + "w16"), Error::kOutOfRange);
  EXPECT_STREQ(split_error_message(Error::kOutOfRange), "too many words (at most 16)");
  const std::string longest(kMaxCommandLineLength, 'a');
  EXPECT_EQ(split(longest), (Strings{longest}));
  EXPECT_EQ(split_error(longest + "a"), Error::kInvalidArgument);
  EXPECT_STREQ(split_error_message(Error::kInvalidArgument), "line too long");
  EXPECT_EQ(split_error("echo \"hello"), Error::kMalformed);
  EXPECT_STREQ(split_error_message(Error::kMalformed), "unterminated quote");
  Words none;
  EXPECT_EQ(split_words(nullptr, 3, &none).error(), Error::kInvalidArgument);
  EXPECT_EQ(split_words("a", 1, nullptr).error(), Error::kInvalidArgument);
}

// A server-side command for the dispatch tests: records what it was called with.
struct Calls {
  std::vector<Strings> seen;
};

void record(const Invocation& invocation) {
  auto* calls = static_cast<Calls*>(invocation.user);
  calls->seen.emplace_back(invocation.argv, invocation.argv + invocation.argc);
  invocation.out.write("killed\n");
}

constexpr Command kCommands[] = {
    kHelpCommand,
    kEchoCommand,
    {"kill", 1, 1, &record, "<task>", "end a task"},
    {"uptime", 0, 0, &record, "", "time since boot"},
};
constexpr CommandTable kTable(kCommands);
static_assert(kTable.find("kill") == &kCommands[2]);
static_assert(kTable.find("kil") == nullptr);

struct Console {
  static void sink(void* context, const char* text, size_t length) {
    static_cast<Console*>(context)->text.append(text, length);
  }
  Output output() { return Output{&Console::sink, this}; }
  std::string text;
};

struct Run {
  Outcome outcome;
  std::string printed;
};

Run run(const std::string& line, Calls* calls = nullptr) {
  Console console;
  Outcome outcome = run_command_line(kTable, line.data(), line.size(), console.output(), calls);
  return Run{outcome, console.text};
}

TEST(CommandTable, FindsExactNamesOnly) {
  EXPECT_TRUE(kTable.valid());
  EXPECT_EQ(kTable.size(), 4u);
  ASSERT_NE(kTable.find("echo"), nullptr);
  EXPECT_STREQ(kTable.find("echo")->name, "echo");
  EXPECT_EQ(kTable.find("ech"), nullptr);
  EXPECT_EQ(kTable.find("echoo"), nullptr);
  EXPECT_EQ(kTable.find("ECHO"), nullptr);
  EXPECT_EQ(kTable.find(""), nullptr);
  EXPECT_EQ(kTable.find(nullptr), nullptr);
}

TEST(CommandTable, RejectsMalformedTables) {
  const Command duplicate[] = {kEchoCommand, kEchoCommand};
  const Command reversed[] = {{"x", 2, 1, &record, "", "h"}};
  const Command too_many[] = {{"x", 0, kMaxWords, &record, "", "h"}};
  const Command no_handler[] = {{"x", 0, 0, nullptr, "", "h"}};
  const Command no_name[] = {{"", 0, 0, &record, "", "h"}};
  const Command no_help[] = {{"x", 0, 0, &record, "", nullptr}};
  EXPECT_FALSE(CommandTable(duplicate).valid());
  EXPECT_FALSE(CommandTable(reversed).valid());
  EXPECT_FALSE(CommandTable(too_many).valid());
  EXPECT_FALSE(CommandTable(no_handler).valid());
  EXPECT_FALSE(CommandTable(no_name).valid());
  EXPECT_FALSE(CommandTable(no_help).valid());
  EXPECT_TRUE(CommandTable(nullptr, 3).valid());  // a null table is empty
  EXPECT_EQ(CommandTable(nullptr, 3).size(), 0u);
}

TEST(RunCommandLine, RunsAKnownCommandWithItsWords) {
  Calls calls;
  auto result = run("  kill   42 ", &calls);
  EXPECT_EQ(result.outcome, Outcome::kRan);
  EXPECT_EQ(result.printed, "killed\n");
  ASSERT_EQ(calls.seen.size(), 1u);
  EXPECT_EQ(calls.seen[0], (Strings{"kill", "42"}));
}

TEST(RunCommandLine, AnUnknownCommandPrintsOneLine) {
  auto result = run("frobnicate --now");
  EXPECT_EQ(result.outcome, Outcome::kUnknownCommand);
  EXPECT_EQ(result.printed, "unknown command: frobnicate (type help)\n");
}

// A fallback that knows one program, "prog", the way the shell finds /boot/bin's.
bool run_prog(const Invocation& invocation) {
  if (std::string(invocation.argv[0]) != "prog") return false;
  record(invocation);
  return true;
}

TEST(RunCommandLine, TheFallbackTakesWordsThatNameNoCommand) {
  constexpr CommandTable with_fallback(kCommands, &run_prog);
  Calls calls;
  Console console;
  std::string line = "prog a \"b c\"";
  EXPECT_EQ(run_command_line(with_fallback, line.data(), line.size(), console.output(), &calls),
            Outcome::kFallback);
  ASSERT_EQ(calls.seen.size(), 1u);
  EXPECT_EQ(calls.seen[0], (Strings{"prog", "a", "b c"}));
  line = "nothing here";
  EXPECT_EQ(run_command_line(with_fallback, line.data(), line.size(), console.output(), &calls),
            Outcome::kUnknownCommand);
  EXPECT_EQ(console.text, "killed\nunknown command: nothing (type help)\n");
  line = "kill 3";  // a command wins over the fallback
  EXPECT_EQ(run_command_line(with_fallback, line.data(), line.size(), console.output(), &calls),
            Outcome::kRan);
}

TEST(RunCommandLine, WrongArgumentCountsPrintTheUsage) {
  Calls calls;
  auto none = run("kill", &calls);
  EXPECT_EQ(none.outcome, Outcome::kWrongArgumentCount);
  EXPECT_EQ(none.printed, "usage: kill <task>\n");
  auto two = run("kill 1 2", &calls);
  EXPECT_EQ(two.outcome, Outcome::kWrongArgumentCount);
  EXPECT_EQ(two.printed, "usage: kill <task>\n");
  auto extra = run("uptime now", &calls);
  EXPECT_EQ(extra.printed, "usage: uptime\n");
  EXPECT_TRUE(calls.seen.empty());
}

TEST(RunCommandLine, AnEmptyLineDoesNothing) {
  for (const char* line : {"", "   ", "\t \t"}) {
    auto result = run(line);
    EXPECT_EQ(result.outcome, Outcome::kEmpty);
    EXPECT_EQ(result.printed, "");
  }
}

TEST(RunCommandLine, SyntaxErrorsPrintOneLine) {
  auto quote = run("echo \"oops");
  EXPECT_EQ(quote.outcome, Outcome::kSyntaxError);
  EXPECT_EQ(quote.printed, "syntax error: unterminated quote\n");
  auto many = run("echo 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16");
  EXPECT_EQ(many.outcome, Outcome::kSyntaxError);
  EXPECT_EQ(many.printed, "syntax error: too many words (at most 16)\n");
  auto fifteen = run("echo 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15");
  EXPECT_EQ(fifteen.outcome, Outcome::kRan);
  EXPECT_EQ(fifteen.printed, "1 2 3 4 5 6 7 8 9 10 11 12 13 14 15\n");
}

TEST(Echo, JoinsItsArgumentsWithSingleSpaces) {
  EXPECT_EQ(run("echo hello").printed, "hello\n");
  EXPECT_EQ(run("echo   hello \t  world  ").printed, "hello world\n");
  EXPECT_EQ(run("echo").printed, "\n");
  EXPECT_EQ(run("echo \"a  b\" c").printed, "a  b c\n");
  EXPECT_EQ(run("echo \"\" x").printed, " x\n");
}

TEST(Help, ListsEveryCommandWithItsHelpText) {
  auto result = run("help");
  EXPECT_EQ(result.outcome, Outcome::kRan);
  EXPECT_EQ(result.printed,
            "help [command]        list the commands, or describe one\n"
            "echo [word...]        print the words\n"
            "kill <task>           end a task\n"
            "uptime                time since boot\n");
}

TEST(Help, DescribesOneCommandOrSaysItIsMissing) {
  EXPECT_EQ(run("help kill").printed, "kill <task>           end a task\n");
  EXPECT_EQ(run("help nosuch").printed, "help: no such command: nosuch\n");
  EXPECT_EQ(run("help a b").printed, "usage: help [command]\n");
}

TEST(Help, ALongSynopsisKeepsTwoSpacesBeforeTheText) {
  const Command commands[] = {
      {"ipcbench", 0, 2, &command_echo, "[rounds] [message-words]", "time IPC round trips"}};
  CommandTable table(commands);
  Console console;
  const char* argv[] = {"help"};
  command_help(Invocation{&table, console.output(), nullptr, 1, argv});
  EXPECT_EQ(console.text, "ipcbench [rounds] [message-words]  time IPC round trips\n");
}

TEST(RunCommandLine, ALineFromTheEditorRunsThroughTheTable) {
  LineEditor editor(nullptr, nullptr);
  for (char c : std::string("echo hello")) editor.insert(c);
  auto line = editor.enter();
  Console console;
  EXPECT_EQ(run_command_line(kTable, line.text, line.length, console.output(), nullptr),
            Outcome::kRan);
  EXPECT_EQ(console.text, "hello\n");
}

}  // namespace
}  // namespace bm::shell
