// The argument splitter of programs (user/program_arguments.h): words, quotes and escapes,
// its limits, and that it reads any text exactly as the shell's command line does
// (servers/shell/command_line.h), so the words after a program's name reach it unchanged.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "servers/shell/command_line.h"
#include "user/program_arguments.h"

namespace {

using user::ProgramArguments;

std::vector<std::string> split(const std::string& text) {
  ProgramArguments arguments;
  auto count = user::split_program_arguments(text.data(), text.size(), &arguments);
  EXPECT_TRUE(count.ok()) << text;
  std::vector<std::string> words;
  if (!count.ok()) return words;
  EXPECT_EQ(*count, arguments.count);
  for (size_t i = 0; i < arguments.count; ++i) words.emplace_back(arguments.word[i]);
  return words;
}

bm::Error refusal(const std::string& text) {
  ProgramArguments arguments;
  auto count = user::split_program_arguments(text.data(), text.size(), &arguments);
  EXPECT_FALSE(count.ok()) << text;
  return count.ok() ? bm::Error::kOk : count.error();
}

using Words = std::vector<std::string>;

TEST(ProgramArguments, BlanksSeparateWords) {
  EXPECT_EQ(split(""), Words{});
  EXPECT_EQ(split("   \t "), Words{});
  EXPECT_EQ(split("world"), Words{"world"});
  EXPECT_EQ(split("  hello\tworld  "), (Words{"hello", "world"}));
  EXPECT_EQ(split("a,b c"), (Words{"a,b", "c"}));  // commas are not separators here
}

TEST(ProgramArguments, QuotesGroupAndBackslashesEscape) {
  EXPECT_EQ(split("\"two words\" one"), (Words{"two words", "one"}));
  EXPECT_EQ(split("\"\""), Words{""});
  EXPECT_EQ(split("a\"b c\"d"), Words{"ab cd"});
  EXPECT_EQ(split("say \\\"hi\\\""), (Words{"say", "\"hi\""}));
  EXPECT_EQ(split("back\\\\slash"), Words{"back\\slash"});
  EXPECT_EQ(split("one\\ word"), Words{"one word"});
  EXPECT_EQ(split("c:\\dir"), Words{"c:\\dir"});  // literal before anything else
  EXPECT_EQ(split("end\\"), Words{"end\\"});
}

TEST(ProgramArguments, StopsAtTheLengthOrANul) {
  ProgramArguments arguments;
  const char text[] = "one two\0three";
  ASSERT_TRUE(user::split_program_arguments(text, sizeof(text) - 1, &arguments).ok());
  EXPECT_EQ(arguments.count, 2u);
  ASSERT_TRUE(user::split_program_arguments("one two", 3, &arguments).ok());
  ASSERT_EQ(arguments.count, 1u);
  EXPECT_STREQ(arguments.word[0], "one");
}

TEST(ProgramArguments, Limits) {
  EXPECT_EQ(refusal("\"open"), bm::Error::kMalformed);
  EXPECT_EQ(refusal("a \"b c"), bm::Error::kMalformed);
  std::string sixteen, seventeen;
  for (int i = 0; i < 16; ++i) sixteen += "w ";
  seventeen = sixteen + "w";
  EXPECT_EQ(split(sixteen).size(), user::kMaxProgramWords);
  EXPECT_EQ(refusal(seventeen), bm::Error::kOutOfRange);
  // The longest text run_program carries, in one word and in many.
  EXPECT_EQ(split(std::string(127, 'x')), Words{std::string(127, 'x')});
  EXPECT_EQ(refusal(std::string(128, 'x')), bm::Error::kInvalidArgument);
  ProgramArguments arguments;
  EXPECT_FALSE(user::split_program_arguments(nullptr, 0, &arguments).ok());
  EXPECT_FALSE(user::split_program_arguments("a", 1, nullptr).ok());
}

TEST(ProgramArguments, TheLongestTextOfEmptyWordsFits) {
  // 15 empty words "" and blanks: every word's NUL must fit the storage.
  std::string text;
  for (int i = 0; i < 16; ++i) text += "\"\" ";
  text.resize(text.size() - 1);
  EXPECT_EQ(split(text), Words(16, ""));
}

// Whatever the shell splits a line into, a program splits the same text into the same words.
TEST(ProgramArguments, AgreesWithTheShellsCommandLine) {
  const char* lines[] = {
      "",          "hello",           "  a  b\tc ",          "\"quoted words\" x", "\"\"",
      "a\"\"b",    "say \\\"hi\\\"",  "back\\\\slash \\ x", "tab\\\tin",          "c:\\dir \\n",
      "\"open",    "trailing\\",      "x\"y z\"w",          "\"a\\\"b\"",         "1 2 3 4 5 6 7",
  };
  for (const char* line : lines) {
    SCOPED_TRACE(line);
    std::string text(line);
    bm::shell::Words shell;
    auto shell_count = bm::shell::split_words(text.data(), text.size(), &shell);
    ProgramArguments program;
    auto program_count = user::split_program_arguments(text.data(), text.size(), &program);
    ASSERT_EQ(shell_count.ok(), program_count.ok());
    if (!shell_count.ok()) {
      EXPECT_EQ(shell_count.error(), program_count.error());
      continue;
    }
    ASSERT_EQ(*shell_count, *program_count);
    for (size_t i = 0; i < shell.count; ++i) EXPECT_STREQ(shell.word[i], program.word[i]) << i;
  }
}

}  // namespace
