// The shell's words-to-argument-text joiner (servers/shell/argument_text.h): what it writes
// splits back (user/program_arguments.h) into the same words, and it refuses what does not fit.
#include "servers/shell/argument_text.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "user/program_arguments.h"

namespace {

using Words = std::vector<std::string>;

std::string join(const Words& words, size_t capacity = 128) {
  std::vector<const char*> pointers;
  for (const std::string& word : words) pointers.push_back(word.c_str());
  std::vector<char> out(capacity, 'x');
  auto length =
      bm::shell::join_argument_text(pointers.data(), pointers.size(), out.data(), out.size());
  EXPECT_TRUE(length.ok());
  if (!length.ok()) return "";
  EXPECT_EQ(out[*length], '\0');
  return std::string(out.data(), *length);
}

Words split(const std::string& text) {
  user::ProgramArguments arguments;
  auto count = user::split_program_arguments(text.data(), text.size(), &arguments);
  EXPECT_TRUE(count.ok()) << text;
  Words words;
  for (size_t i = 0; count.ok() && i < arguments.count; ++i) words.emplace_back(arguments.word[i]);
  return words;
}

TEST(ArgumentText, PlainWordsAreJoinedBySpaces) {
  EXPECT_EQ(join({}), "");
  EXPECT_EQ(join({"world"}), "world");
  EXPECT_EQ(join({"a", "b", "c"}), "a b c");
}

TEST(ArgumentText, SpecialCharactersAreEscaped) {
  EXPECT_EQ(join({"two words"}), "two\\ words");
  EXPECT_EQ(join({""}), "\"\"");
  EXPECT_EQ(join({"say \"hi\""}), "say\\ \\\"hi\\\"");
  EXPECT_EQ(join({"back\\slash"}), "back\\\\slash");
}

TEST(ArgumentText, RoundTripsThroughTheProgramsSplitter) {
  const std::vector<Words> cases = {{"hello", "world"},   {""},           {"", ""}, {"a b", "c\td"},
                                    {"\"", "\\", "\\\""}, {"x\\", "\\ "}, {"&"},    {"tail\\"}};
  for (const Words& words : cases) EXPECT_EQ(split(join(words)), words);
}

TEST(ArgumentText, RefusesWhatDoesNotFit) {
  const char* words[] = {"abc", "def"};
  char out[7];
  auto length = bm::shell::join_argument_text(words, 2, out, sizeof(out));
  EXPECT_EQ(length.error(), bm::Error::kOutOfRange);  // "abc def" needs 8 with the NUL
  EXPECT_EQ(out[0], '\0');
  char fits[8];
  EXPECT_EQ(*bm::shell::join_argument_text(words, 2, fits, sizeof(fits)), 7u);
  const char* escaped[] = {"a b"};
  char tight[4];  // "a\ b" is 4 bytes without its NUL
  EXPECT_EQ(bm::shell::join_argument_text(escaped, 1, tight, sizeof(tight)).error(),
            bm::Error::kOutOfRange);
  EXPECT_EQ(bm::shell::join_argument_text(words, 2, nullptr, 8).error(),
            bm::Error::kInvalidArgument);
}

}  // namespace
