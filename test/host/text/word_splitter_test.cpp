// The word splitter the shell's command line and programs' arguments share
// (lib/text/word_splitter.h): blanks, quotes, backslash escapes, the length and word limits a
// WordList sets, NULs, and reuse of a list.
#include "lib/text/word_splitter.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace bm::text {
namespace {

// The shell's limits (a 256-byte line) and programs' (127 bytes of arguments).
using LineWords = WordList<16, 256>;
using ArgumentWords = WordList<16, 127>;
using Strings = std::vector<std::string>;

template <typename List = LineWords>
Strings split(const std::string& text) {
  List words;
  auto count = split_words(text.data(), text.size(), &words);
  EXPECT_TRUE(count.ok()) << text << ": " << error_name(count.error());
  if (!count.ok()) return {"<error>"};
  EXPECT_EQ(*count, words.count);
  return Strings(words.word, words.word + words.count);
}

template <typename List = LineWords>
Error refusal(const std::string& text) {
  List words;
  auto count = split_words(text.data(), text.size(), &words);
  EXPECT_FALSE(count.ok()) << text;
  EXPECT_EQ(words.count, 0u) << text;
  return count.ok() ? Error::kOk : count.error();
}

TEST(SplitWords, BlanksSeparateWords) {
  EXPECT_EQ(split("echo hello"), (Strings{"echo", "hello"}));
  EXPECT_EQ(split("  echo \t hello   world \t"), (Strings{"echo", "hello", "world"}));
  EXPECT_EQ(split("  hello\tworld  "), (Strings{"hello", "world"}));
  EXPECT_EQ(split("world"), Strings{"world"});
  EXPECT_EQ(split("hello"), Strings{"hello"});
  EXPECT_EQ(split("  a  b\tc "), (Strings{"a", "b", "c"}));
  EXPECT_EQ(split(""), Strings{});
  EXPECT_EQ(split(" \t  "), Strings{});
  EXPECT_EQ(split("a,b c"), (Strings{"a,b", "c"}));  // commas are not separators
  EXPECT_EQ(split("1 2 3 4 5 6 7"), (Strings{"1", "2", "3", "4", "5", "6", "7"}));
}

TEST(SplitWords, DoubleQuotesGroupWords) {
  EXPECT_EQ(split("echo \"hello  world\" x"), (Strings{"echo", "hello  world", "x"}));
  EXPECT_EQ(split("\"two words\" one"), (Strings{"two words", "one"}));
  EXPECT_EQ(split("\"quoted words\" x"), (Strings{"quoted words", "x"}));
  EXPECT_EQ(split("a\"b c\"d"), (Strings{"ab cd"}));
  EXPECT_EQ(split("x\"y z\"w"), (Strings{"xy zw"}));
  EXPECT_EQ(split("\"\""), (Strings{""}));
  EXPECT_EQ(split("a\"\"b"), (Strings{"ab"}));
  EXPECT_EQ(split("say \"\" x"), (Strings{"say", "", "x"}));
  EXPECT_EQ(split("\"\tkeep\ttabs\t\""), (Strings{"\tkeep\ttabs\t"}));
}

TEST(SplitWords, BackslashEscapesQuotesBlanksAndItself) {
  EXPECT_EQ(split("a\\ b c"), (Strings{"a b", "c"}));
  EXPECT_EQ(split("one\\ word"), Strings{"one word"});
  EXPECT_EQ(split("\\\"quoted\\\""), (Strings{"\"quoted\""}));
  EXPECT_EQ(split("say \\\"hi\\\""), (Strings{"say", "\"hi\""}));
  EXPECT_EQ(split("\"in \\\"side\\\"\""), (Strings{"in \"side\""}));
  EXPECT_EQ(split("\"a\\\"b\""), (Strings{"a\"b"}));
  EXPECT_EQ(split("back\\\\slash"), (Strings{"back\\slash"}));
  EXPECT_EQ(split("back\\\\slash \\ x"), (Strings{"back\\slash", " x"}));
  EXPECT_EQ(split("a\\\tb"), (Strings{"a\tb"}));
  EXPECT_EQ(split("tab\\\tin"), (Strings{"tab\tin"}));
  // Before anything else a backslash is literal, and so is a trailing one.
  EXPECT_EQ(split("c:\\dir\\n"), (Strings{"c:\\dir\\n"}));
  EXPECT_EQ(split("c:\\dir \\n"), (Strings{"c:\\dir", "\\n"}));
  EXPECT_EQ(split("x\\"), (Strings{"x\\"}));
  EXPECT_EQ(split("trailing\\"), (Strings{"trailing\\"}));
  EXPECT_EQ(split("end\\"), (Strings{"end\\"}));
}

TEST(SplitWords, AnUnterminatedQuoteIsAnError) {
  EXPECT_EQ(refusal("echo \"hello"), Error::kMalformed);
  EXPECT_EQ(refusal("\""), Error::kMalformed);
  EXPECT_EQ(refusal("\"open"), Error::kMalformed);
  EXPECT_EQ(refusal("a \"b c"), Error::kMalformed);
  EXPECT_EQ(refusal("echo \"abc\\\""), Error::kMalformed);  // the last quote is escaped
}

TEST(SplitWords, AtMostTheListsWords) {
  std::string sixteen;
  for (int i = 0; i < 16; ++i) sixteen += "w" + std::to_string(i) + " ";
  auto words = split(sixteen);
  ASSERT_EQ(words.size(), LineWords::kWordLimit);
  EXPECT_EQ(words.back(), "w15");
  EXPECT_EQ(refusal(sixteen + "w16"), Error::kOutOfRange);
  using TwoWords = WordList<2, 16>;
  EXPECT_EQ(refusal<TwoWords>("a b c"), Error::kOutOfRange);
  EXPECT_EQ(split<TwoWords>("a b "), (Strings{"a", "b"}));
}

TEST(SplitWords, AtMostTheListsLength) {
  const std::string longest(LineWords::kLengthLimit, 'a');
  EXPECT_EQ(split(longest), (Strings{longest}));
  EXPECT_EQ(refusal(longest + "a"), Error::kInvalidArgument);
  // Programs' arguments: the longest text run_program carries, and one byte more.
  EXPECT_EQ(split<ArgumentWords>(std::string(127, 'x')), Strings{std::string(127, 'x')});
  EXPECT_EQ(refusal<ArgumentWords>(std::string(128, 'x')), Error::kInvalidArgument);
}

TEST(SplitWords, TheLongestTextOfEmptyWordsFits) {
  // 16 empty words "" and blanks: every word's NUL must fit the storage.
  std::string text;
  for (int i = 0; i < 16; ++i) text += "\"\" ";
  text.resize(text.size() - 1);
  EXPECT_EQ(split<ArgumentWords>(text), Strings(16, ""));
}

TEST(SplitWords, StopsAtTheLengthOrANul) {
  LineWords words;
  const char with_nul[] = {'a', 'b', '\0', 'c', 'd'};
  ASSERT_EQ(*split_words(with_nul, sizeof(with_nul), &words), 1u);
  EXPECT_STREQ(words.word[0], "ab");
  const char text[] = "one two\0three";
  ASSERT_EQ(*split_words(text, sizeof(text) - 1, &words), 2u);
  ASSERT_EQ(*split_words("one two", 3, &words), 1u);
  EXPECT_STREQ(words.word[0], "one");
}

TEST(SplitWords, NullTextOrListIsRefused) {
  LineWords words;
  EXPECT_EQ(split_words(nullptr, 3, &words).error(), Error::kInvalidArgument);
  EXPECT_EQ(split_words("a", 1, static_cast<LineWords*>(nullptr)).error(),
            Error::kInvalidArgument);
}

TEST(SplitWords, ReusingAListForgetsThePreviousText) {
  LineWords words;
  ASSERT_EQ(*split_words("a b c", 5, &words), 3u);
  ASSERT_EQ(*split_words("d", 1, &words), 1u);
  EXPECT_EQ(words.count, 1u);
  EXPECT_STREQ(words.word[0], "d");
  EXPECT_FALSE(split_words("\"x", 2, &words).ok());
  EXPECT_EQ(words.count, 0u);
}

// The raw form writes into arrays of its caller, within the bounds it is told: storage for
// max_length + 1 bytes, max_words pointers.
TEST(SplitWords, IntoArraysOfItsCaller) {
  const char* word[2] = {};
  char storage[9] = {};
  const WordOutput out{word, 2, storage, 8};
  EXPECT_EQ(split_words("ab \"c d\"e", 9, out).error(), Error::kInvalidArgument);
  EXPECT_EQ(split_words("a b c", 5, out).error(), Error::kOutOfRange);
  auto count = split_words("ab \"c d\"", 8, out);
  ASSERT_TRUE(count.ok());
  ASSERT_EQ(*count, 2u);
  EXPECT_STREQ(word[0], "ab");
  EXPECT_STREQ(word[1], "c d");
}

}  // namespace
}  // namespace bm::text
