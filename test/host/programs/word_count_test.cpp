// wc's counting (programs/wc/word_count.h): lines, words and bytes as POSIX wc counts them,
// the same whatever chunks the file arrives in, words split across chunk boundaries included.
#include "programs/wc/word_count.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

namespace {

wc::Counts count_in_chunks(const std::string& text, size_t chunk) {
  wc::WordCounter counter;
  for (size_t at = 0; at < text.size(); at += chunk) {
    counter.add(text.data() + at, std::min(chunk, text.size() - at));
  }
  return counter.counts();
}

void expect_counts(const std::string& text, uint64_t lines, uint64_t words) {
  for (size_t chunk = 1; chunk <= text.size() + 1; ++chunk) {
    wc::Counts counts = count_in_chunks(text, chunk);
    EXPECT_EQ(counts.lines, lines) << "chunks of " << chunk << ": " << text;
    EXPECT_EQ(counts.words, words) << "chunks of " << chunk << ": " << text;
    EXPECT_EQ(counts.bytes, text.size()) << "chunks of " << chunk << ": " << text;
  }
}

TEST(WordCount, NothingCountsZero) {
  wc::WordCounter counter;
  counter.add("", 0);
  EXPECT_EQ(counter.counts().lines, 0u);
  EXPECT_EQ(counter.counts().words, 0u);
  EXPECT_EQ(counter.counts().bytes, 0u);
}

TEST(WordCount, LinesAreNewlines) {
  expect_counts("one line\n", 1, 2);
  expect_counts("no newline at the end", 0, 5);
  expect_counts("\n\n\n", 3, 0);
  expect_counts("a\nb\n\nc", 3, 3);
}

TEST(WordCount, EveryKindOfWhiteSpaceSeparatesWords) {
  expect_counts("  leading and trailing  ", 0, 3);
  expect_counts("tab\tvertical\vform\fcarriage\rend", 0, 5);
  expect_counts("punctuation,is;part-of.words", 0, 1);
  expect_counts(std::string("nul\0byte", 8), 0, 1);  // NUL is no white space
  expect_counts("\xc3\xa4rger \xff", 0, 2);          // bytes above 0x7f neither
}

TEST(WordCount, AWordSplitAcrossChunksCountsOnce) {
  wc::WordCounter counter;
  counter.add("hel", 3);
  counter.add("lo wor", 6);
  counter.add("ld\n", 3);
  EXPECT_EQ(counter.counts().words, 2u);
  EXPECT_EQ(counter.counts().lines, 1u);
  EXPECT_EQ(counter.counts().bytes, 12u);
}

TEST(WordCount, CountsAddUpForTheTotalLine) {
  wc::Counts total;
  total += count_in_chunks("a b\n", 4);
  total += count_in_chunks("c\nd\n", 4);
  EXPECT_EQ(total.lines, 3u);
  EXPECT_EQ(total.words, 4u);
  EXPECT_EQ(total.bytes, 8u);
}

}  // namespace
