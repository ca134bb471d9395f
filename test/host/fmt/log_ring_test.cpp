// Host tests for lib/containers/log_ring.h: contents and counters around wrap-around,
// checked against a std::string model of everything appended.
#include "lib/containers/log_ring.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace {

template <size_t Capacity>
std::string contents(const bm::LogRing<Capacity>& ring) {
  std::string out(Capacity + 1, '\0');
  size_t length = ring.copy_out(out.data(), out.size());
  EXPECT_EQ(out[length], '\0');
  out.resize(length);
  return out;
}

template <size_t Capacity>
void append(bm::LogRing<Capacity>& ring, const std::string& text) {
  ring.append(text.data(), text.size());
}

// What copy_out must produce for a stream of appended text: the last Capacity bytes, minus a
// leading partial line when the byte before them (already dropped) was not a newline.
std::string model_contents(const std::string& stream, size_t capacity) {
  if (stream.size() <= capacity) return stream;
  size_t start = stream.size() - capacity;
  if (stream[start - 1] == '\n') return stream.substr(start);
  size_t newline = stream.find('\n', start);
  if (newline == std::string::npos) return "";
  return stream.substr(newline + 1);
}

TEST(LogRing, StartsEmpty) {
  bm::LogRing<64> ring;
  EXPECT_EQ(contents(ring), "");
  EXPECT_EQ(ring.total_appended(), 0u);
  EXPECT_EQ(ring.dropped_bytes(), 0u);
  EXPECT_EQ(ring.size(), 0u);
}

TEST(LogRing, AppendLessThanCapacityKeepsEverything) {
  bm::LogRing<64> ring;
  append(ring, "boot: hello\n");
  append(ring, "mm: 512 MiB");
  EXPECT_EQ(contents(ring), "boot: hello\nmm: 512 MiB");
  EXPECT_EQ(ring.total_appended(), 23u);
  EXPECT_EQ(ring.dropped_bytes(), 0u);
  EXPECT_EQ(ring.size(), 23u);
}

TEST(LogRing, ExactlyCapacityKeepsEverything) {
  bm::LogRing<16> ring;
  append(ring, "0123456\n");
  append(ring, "abcdefgh");  // 16 bytes in total, no newline at the end: still nothing lost
  EXPECT_EQ(contents(ring), "0123456\nabcdefgh");
  EXPECT_EQ(ring.total_appended(), 16u);
  EXPECT_EQ(ring.dropped_bytes(), 0u);
  EXPECT_EQ(ring.size(), 16u);
}

TEST(LogRing, WrapAroundDropsPartialFirstLine) {
  bm::LogRing<16> ring;
  append(ring, "line1\n");
  append(ring, "line2\n");
  append(ring, "line3\n");  // 18 bytes: "li" is overwritten, "ne1\n" is a partial line
  EXPECT_EQ(contents(ring), "line2\nline3\n");
  EXPECT_EQ(ring.total_appended(), 18u);
  EXPECT_EQ(ring.dropped_bytes(), 2u);
  EXPECT_EQ(ring.size(), 16u);
}

TEST(LogRing, WrapAtLineBoundaryKeepsFirstLine) {
  bm::LogRing<16> ring;
  append(ring, "aaaaaaa\n");
  append(ring, "bbbbbbb\n");
  append(ring, "ccccccc\n");  // exactly the first line falls out
  EXPECT_EQ(contents(ring), "bbbbbbb\nccccccc\n");
  EXPECT_EQ(ring.dropped_bytes(), 8u);
}

TEST(LogRing, UnfinishedLastLineIsIncluded) {
  bm::LogRing<16> ring;
  append(ring, "first\nsecond\nthi");  // 16 bytes... then 3 more
  append(ring, "rd!");
  EXPECT_EQ(contents(ring), "second\nthird!");
}

TEST(LogRing, LineLongerThanCapacityLeavesNoCompleteLine) {
  bm::LogRing<16> ring;
  append(ring, "old\n");
  append(ring, std::string(40, 'x'));
  EXPECT_EQ(contents(ring), "");  // the only line held lost its beginning
  EXPECT_EQ(ring.total_appended(), 44u);
  EXPECT_EQ(ring.dropped_bytes(), 28u);
  EXPECT_EQ(ring.size(), 16u);

  append(ring, "\nnext\n");
  EXPECT_EQ(contents(ring), "next\n");
  EXPECT_EQ(ring.total_appended(), 50u);
  EXPECT_EQ(ring.dropped_bytes(), 34u);
}

TEST(LogRing, SingleAppendLongerThanCapacityKeepsItsTail) {
  bm::LogRing<16> ring;
  append(ring, std::string(23, 'x') + "\n" + "0123456789abcde\n");  // 40 bytes
  // The byte just before the kept 16 is the newline, so the kept text is a whole line.
  EXPECT_EQ(contents(ring), "0123456789abcde\n");
  EXPECT_EQ(ring.total_appended(), 40u);
  EXPECT_EQ(ring.dropped_bytes(), 24u);

  bm::LogRing<16> other;
  append(other, "keep?\n");
  append(other, std::string(30, 'y') + "\ntail");
  EXPECT_EQ(contents(other), "tail");
}

TEST(LogRing, CopyOutTruncatesToBufferAndTerminates) {
  bm::LogRing<64> ring;
  append(ring, "alpha\nbeta\n");
  char buffer[8];
  for (char& c : buffer) c = '#';
  EXPECT_EQ(ring.copy_out(buffer, 5), 4u);
  EXPECT_EQ(std::string(buffer, 5), std::string("alph\0", 5));
  EXPECT_EQ(buffer[5], '#');

  EXPECT_EQ(ring.copy_out(buffer, 1), 0u);
  EXPECT_EQ(buffer[0], '\0');

  buffer[0] = '#';
  EXPECT_EQ(ring.copy_out(buffer, 0), 0u);
  EXPECT_EQ(buffer[0], '#');
  EXPECT_EQ(ring.copy_out(nullptr, 100), 0u);
}

TEST(LogRing, IgnoresNullAndEmptyAppends) {
  bm::LogRing<16> ring;
  ring.append(nullptr, 10);
  ring.append("abc", 0);
  EXPECT_EQ(ring.total_appended(), 0u);
  EXPECT_EQ(contents(ring), "");
}

TEST(LogRing, ClearForgetsTextAndCounters) {
  bm::LogRing<16> ring;
  append(ring, std::string(40, 'z'));
  ring.clear();
  EXPECT_EQ(ring.total_appended(), 0u);
  EXPECT_EQ(ring.dropped_bytes(), 0u);
  EXPECT_EQ(contents(ring), "");
  append(ring, "fresh\n");
  EXPECT_EQ(contents(ring), "fresh\n");
}

TEST(LogRing, ReadAtUsesStreamPositions) {
  bm::LogRing<16> ring;
  append(ring, "0123456789");
  char out[32] = {};
  EXPECT_EQ(ring.oldest_position(), 0u);
  EXPECT_EQ(ring.read_at(3, out, 4), 4u);
  EXPECT_EQ(std::string(out, 4), "3456");
  append(ring, "abcdefghij");  // 20 bytes: positions 0-3 are gone
  EXPECT_EQ(ring.oldest_position(), 4u);
  EXPECT_EQ(ring.read_at(4, out, sizeof(out)), 16u);
  EXPECT_EQ(std::string(out, 16), "456789abcdefghij");
  EXPECT_EQ(ring.read_at(18, out, sizeof(out)), 2u);
  EXPECT_EQ(std::string(out, 2), "ij");
  EXPECT_EQ(ring.read_at(20, out, sizeof(out)), 0u);  // the end: nothing yet
}

TEST(LogRing, ReadAtRefusesPositionsOutsideTheRing) {
  bm::LogRing<8> ring;
  append(ring, "0123456789ab");  // holds positions 4..11
  char out[16] = {};
  EXPECT_EQ(ring.read_at(3, out, sizeof(out)), 0u);   // overwritten
  EXPECT_EQ(ring.read_at(13, out, sizeof(out)), 0u);  // not written yet
  EXPECT_EQ(ring.read_at(4, nullptr, 4), 0u);
  EXPECT_EQ(ring.read_at(4, out, 0), 0u);
}

template <size_t Capacity>
void check_random_appends(unsigned seed, size_t max_append, const char* alphabet) {
  std::mt19937 random(seed);
  std::string symbols(alphabet);
  bm::LogRing<Capacity> ring;
  std::string stream;
  for (int step = 0; step < 3000; ++step) {
    size_t length = random() % (max_append + 1);
    std::string text;
    for (size_t i = 0; i < length; ++i) text += symbols[random() % symbols.size()];
    append(ring, text);
    stream += text;

    ASSERT_EQ(ring.total_appended(), stream.size());
    ASSERT_EQ(ring.dropped_bytes(), stream.size() > Capacity ? stream.size() - Capacity : 0);
    std::string expected = model_contents(stream, Capacity);
    ASSERT_EQ(contents(ring), expected) << "seed " << seed << " step " << step;

    // A short buffer receives the oldest bytes of the same text.
    size_t size = random() % (Capacity + 2);
    std::string small(size + 1, '#');
    size_t written = ring.copy_out(small.data(), size);
    size_t expected_written = size == 0 ? 0 : std::min(size - 1, expected.size());
    ASSERT_EQ(written, expected_written);
    ASSERT_EQ(small.substr(0, written), expected.substr(0, written));
    if (size > 0) {
      ASSERT_EQ(small[written], '\0');
    }
    ASSERT_EQ(small[size], '#');

    // Reading by stream position returns exactly the stream's bytes from there on.
    const size_t oldest = stream.size() > Capacity ? stream.size() - Capacity : 0;
    ASSERT_EQ(ring.oldest_position(), oldest);
    size_t position = oldest + random() % (stream.size() - oldest + 1);
    size_t want = random() % (Capacity + 2);
    std::string read(want + 1, '#');
    size_t got = ring.read_at(position, read.data(), want);
    ASSERT_EQ(got, std::min(want, stream.size() - position));
    ASSERT_EQ(read.substr(0, got), stream.substr(position, got));
    ASSERT_EQ(read[got], '#');  // no NUL, nothing past the count
  }
}

TEST(LogRing, RandomAppendsMatchStringModel) {
  for (unsigned seed = 1; seed <= 5; ++seed) {
    check_random_appends<64>(seed, 40, "ab\n");
    check_random_appends<64>(seed, 150, "abcdefgh\n");  // many appends longer than the ring
    check_random_appends<8>(seed, 12, "a\n\n");
    check_random_appends<256>(seed, 30, "abcdefghijklmnopqrstuvwxyz\n");
  }
}

// The kernel keeps its log as a global: it must need no static constructor.
constinit bm::LogRing<4096> g_constant_log;

TEST(LogRing, GlobalIsConstantInitialised) {
  EXPECT_EQ(g_constant_log.total_appended(), 0u);
  EXPECT_EQ(g_constant_log.capacity(), 4096u);
}

}  // namespace
