// Host tests for lib/fmt: bm::snprintf against glibc's snprintf over a large table and a
// generated sweep of every flag/width/precision/length combination, plus sink and
// truncation behaviour.
#include "lib/fmt/format.h"

#include <gtest/gtest.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include <string>
#include <vector>

#include "lib/fmt/string.h"

namespace {

struct SinkRecord {
  std::vector<std::string> runs;
};

void collect_runs(void* context, const char* text, size_t length) {
  static_cast<SinkRecord*>(context)->runs.emplace_back(text, length);
}

std::string join(const std::vector<std::string>& runs) {
  std::string out;
  for (const std::string& run : runs) out += run;
  return out;
}

// Formats through bm::vsnprintf without the format attribute, so tests can pass formats that
// -Wformat rejects (unknown conversions) and formats built at run time.
std::string ours_unchecked(const char* format, ...) {
  va_list args;
  va_start(args, format);
  va_list copy;
  va_copy(copy, args);
  size_t length = bm::vsnprintf(nullptr, 0, format, copy);
  va_end(copy);
  std::string out(length + 1, '\0');
  size_t again = bm::vsnprintf(out.data(), out.size(), format, args);
  va_end(args);
  EXPECT_EQ(again, length);
  out.resize(length);
  return out;
}

// bm::snprintf without the format attribute, for formats -Wformat/-Wformat-overflow reject.
size_t snprintf_unchecked(char* buffer, size_t size, const char* format, ...) {
  va_list args;
  va_start(args, format);
  size_t length = bm::vsnprintf(buffer, size, format, args);
  va_end(args);
  return length;
}

size_t format_unchecked(bm::CharSink sink, void* context, const char* format, ...) {
  va_list args;
  va_start(args, format);
  size_t length = bm::vformat(sink, context, format, args);
  va_end(args);
  return length;
}

std::string host_unchecked(const char* format, ...) {
  va_list args;
  va_start(args, format);
  char buffer[512];
  int length = ::vsnprintf(buffer, sizeof(buffer), format, args);
  va_end(args);
  EXPECT_GE(length, 0);
  EXPECT_LT(length, static_cast<int>(sizeof(buffer)));
  return std::string(buffer, static_cast<size_t>(length));
}

// Compares bm::snprintf, bm::format (through a sink) and the host snprintf on the same
// literal format, which -Wformat checks for both calls.
#define EXPECT_MATCHES_HOST(...)                                                     \
  do {                                                                               \
    SCOPED_TRACE(#__VA_ARGS__);                                                      \
    char host[512];                                                                  \
    char ours[512];                                                                  \
    int host_length = ::snprintf(host, sizeof(host), __VA_ARGS__);                   \
    ASSERT_GE(host_length, 0);                                                       \
    ASSERT_LT(host_length, static_cast<int>(sizeof(host)));                          \
    size_t our_length = bm::snprintf(ours, sizeof(ours), __VA_ARGS__);               \
    EXPECT_EQ(our_length, static_cast<size_t>(host_length));                         \
    EXPECT_EQ(std::string(ours, our_length < sizeof(ours) ? our_length : 0),         \
              std::string(host, static_cast<size_t>(host_length)));                  \
    SinkRecord sunk;                                                                        \
    size_t sunk_length = bm::format(collect_runs, &sunk, __VA_ARGS__);              \
    EXPECT_EQ(sunk_length, static_cast<size_t>(host_length));                        \
    EXPECT_EQ(join(sunk.runs), std::string(host, static_cast<size_t>(host_length))); \
  } while (0)

TEST(Format, DecimalMatchesHost) {
  EXPECT_MATCHES_HOST("%d", 0);
  EXPECT_MATCHES_HOST("%d", 1);
  EXPECT_MATCHES_HOST("%d", -1);
  EXPECT_MATCHES_HOST("%d", 123456);
  EXPECT_MATCHES_HOST("%d", INT_MAX);
  EXPECT_MATCHES_HOST("%d", INT_MIN);
  EXPECT_MATCHES_HOST("%i", -42);
  EXPECT_MATCHES_HOST("%5d|%-5d|%05d", 42, 42, 42);
  EXPECT_MATCHES_HOST("%5d|%-5d|%05d", -42, -42, -42);
  EXPECT_MATCHES_HOST("%+d %+d %+d", 5, -5, 0);
  EXPECT_MATCHES_HOST("% d % d % d", 5, -5, 0);
  // Flag combinations -Wformat calls redundant, compared without compile-time checking.
  EXPECT_EQ(ours_unchecked("%+ d|% +d", 5, 5), host_unchecked("%+ d|% +d", 5, 5));
  EXPECT_MATCHES_HOST("%.0d|%.0d|%5.0d|%-5.0d|", 0, 1, 0, 0);
  EXPECT_MATCHES_HOST("%.5d|%.5d|%8.5d|%-8.5d|", 42, -42, 42, -42);
  EXPECT_EQ(ours_unchecked("%08.3d|%-08d|", 42, 42), host_unchecked("%08.3d|%-08d|", 42, 42));
  EXPECT_MATCHES_HOST("%+08d|% 08d|%+.3d", 42, 42, 7);
  EXPECT_MATCHES_HOST("%1d|%2d", 12345, -1);
}

TEST(Format, UnsignedHexOctalMatchHost) {
  EXPECT_MATCHES_HOST("%u %u %u", 0u, 1u, UINT_MAX);
  EXPECT_MATCHES_HOST("%x %X %o", 0xdeadbeefu, 0xdeadbeefu, 0777u);
  EXPECT_MATCHES_HOST("%#x %#X %#o", 0xabcu, 0xabcu, 8u);
  EXPECT_MATCHES_HOST("%#x|%#o|%#.0x|%#.0o|%.0x|%.0o", 0u, 0u, 0u, 0u, 0u, 0u);
  EXPECT_MATCHES_HOST("%#10x|%#-10x|%#010x|%010x", 0x1fu, 0x1fu, 0x1fu, 0x1fu);
  EXPECT_MATCHES_HOST("%#.5o|%#.1o|%#5o|%#05o", 8u, 8u, 8u, 8u);
  EXPECT_MATCHES_HOST("%#.8x|%#12.8X", 0x1fu, 0x1fu);
  EXPECT_MATCHES_HOST("%08u|%-8u|%8.3u", 17u, 17u, 17u);
}

TEST(Format, LengthModifiersMatchHost) {
  using schar = signed char;
  using uchar = unsigned char;
  EXPECT_MATCHES_HOST("%hhd %hhd %hhu %hhx", schar{127}, schar{-128}, uchar{200}, uchar{255});
  using ushort = unsigned short;
  EXPECT_MATCHES_HOST("%hd %hd %hu %ho", short{32767}, short{-32768}, ushort{65535}, ushort{4097});
  // C converts the promoted int to char/short before printing, so out-of-range ints wrap.
  // Clang's -Wformat rejects int arguments for hh/h, hence the unchecked comparison.
  const char* narrowed = "%hhd %hhu %hhx %hd %hu %hx %ho";
  EXPECT_EQ(ours_unchecked(narrowed, 300, 300, 511, 40000, 70000, 70000, -1),
            host_unchecked(narrowed, 300, 300, 511, 40000, 70000, 70000, -1));
  EXPECT_EQ(ours_unchecked(narrowed, 300, 300, 511, 40000, 70000, 70000, -1),
            "44 44 ff -25536 4464 1170 177777");
  EXPECT_MATCHES_HOST("%ld %lu %lx", LONG_MIN, ULONG_MAX, ULONG_MAX);
  EXPECT_MATCHES_HOST("%lld %lld %llu", LLONG_MIN, LLONG_MAX, ULLONG_MAX);
  EXPECT_MATCHES_HOST("%zu %zx %zd", SIZE_MAX, static_cast<size_t>(4096), static_cast<ssize_t>(-3));
  EXPECT_MATCHES_HOST("%jd %jd %ju %jx", INTMAX_MIN, INTMAX_MAX, UINTMAX_MAX, UINTMAX_MAX);
  EXPECT_MATCHES_HOST("%td %td", PTRDIFF_MIN, static_cast<ptrdiff_t>(-77));
  EXPECT_MATCHES_HOST("%llo %llX", ULLONG_MAX, ULLONG_MAX);
}

TEST(Format, Int64ExtremesMatchHost) {
  EXPECT_MATCHES_HOST("%lld", static_cast<long long>(INT64_MIN));
  EXPECT_MATCHES_HOST("%ld", static_cast<long>(INT64_MIN));
  EXPECT_MATCHES_HOST("%30lld|%-30lld|%030lld", static_cast<long long>(INT64_MIN),
                      static_cast<long long>(INT64_MIN), static_cast<long long>(INT64_MIN));
  EXPECT_MATCHES_HOST("%+.25lld|% lld", static_cast<long long>(INT64_MIN),
                      static_cast<long long>(INT64_MAX));
  EXPECT_MATCHES_HOST("%llu|%#llx|%#llo|%30llu", static_cast<unsigned long long>(UINT64_MAX),
                      static_cast<unsigned long long>(UINT64_MAX),
                      static_cast<unsigned long long>(UINT64_MAX),
                      static_cast<unsigned long long>(UINT64_MAX));
}

TEST(Format, StarWidthAndPrecisionMatchHost) {
  EXPECT_MATCHES_HOST("%*d|", 6, 42);
  EXPECT_MATCHES_HOST("%*d|", -6, 42);
  EXPECT_MATCHES_HOST("%-*d|", -6, 42);
  EXPECT_MATCHES_HOST("%.*d|", 4, 42);
  EXPECT_MATCHES_HOST("%.*d|", -4, 42);
  EXPECT_EQ(ours_unchecked("%0*.*d|", 8, -1, 42), host_unchecked("%0*.*d|", 8, -1, 42));
  EXPECT_EQ(ours_unchecked("%0*.*d|", 8, 3, 42), host_unchecked("%0*.*d|", 8, 3, 42));
  EXPECT_MATCHES_HOST("%*.*x|", 10, 6, 0xabcu);
  EXPECT_MATCHES_HOST("%*.*s|", -10, 3, "abcdef");
  EXPECT_MATCHES_HOST("%.*s|", -1, "abcdef");
  EXPECT_MATCHES_HOST("%*c|%-*c|", 4, 'x', 4, 'y');
}

TEST(Format, StringsAndCharactersMatchHost) {
  EXPECT_MATCHES_HOST("%s", "");
  EXPECT_MATCHES_HOST("%s", "hello");
  EXPECT_MATCHES_HOST("[%10s][%-10s][%.2s][%10.2s][%-10.2s][%.0s][%.10s]", "hello", "hello",
                      "hello", "hello", "hello", "hello", "hello");
  EXPECT_MATCHES_HOST("%c%c%c", 'a', 'b', 'c');
  EXPECT_MATCHES_HOST("[%5c][%-5c][%1c]", 'x', 'y', 'z');
  EXPECT_MATCHES_HOST("%c", 0);
  EXPECT_MATCHES_HOST("%c|%c", 255, -1);
  EXPECT_MATCHES_HOST("100%% sure %%%d%%", 5);
  EXPECT_MATCHES_HOST("no conversions at all");
  EXPECT_MATCHES_HOST("%s=%d (%#x) %c", "answer", 42, 42u, '!');
}

TEST(Format, PointerPrintsSixteenHexDigits) {
  char out[64];
  EXPECT_EQ(bm::snprintf(out, sizeof(out), "%p", static_cast<void*>(nullptr)), 18u);
  EXPECT_STREQ(out, "0x0000000000000000");
  bm::snprintf(out, sizeof(out), "%p", reinterpret_cast<void*>(0x1234));
  EXPECT_STREQ(out, "0x0000000000001234");
  bm::snprintf(out, sizeof(out), "%p", reinterpret_cast<void*>(UINTPTR_MAX));
  EXPECT_STREQ(out, "0xffffffffffffffff");
  bm::snprintf(out, sizeof(out), "%p", reinterpret_cast<void*>(0xffffffff80001000ull));
  EXPECT_STREQ(out, "0xffffffff80001000");
  bm::snprintf(out, sizeof(out), "[%22p]", reinterpret_cast<void*>(0xabc));
  EXPECT_STREQ(out, "[    0x0000000000000abc]");
  bm::snprintf(out, sizeof(out), "[%-22p]", reinterpret_cast<void*>(0xabc));
  EXPECT_STREQ(out, "[0x0000000000000abc    ]");
  bm::snprintf(out, sizeof(out), "[%*p]", 3, reinterpret_cast<void*>(0xabc));
  EXPECT_STREQ(out, "[0x0000000000000abc]");
}

TEST(Format, NullStringPrintsNullMarker) {
  char out[64];
  const char* missing = nullptr;
  EXPECT_EQ(ours_unchecked("%s", missing), "(null)");
  EXPECT_EQ(ours_unchecked("[%8s]", missing), "[  (null)]");
  EXPECT_EQ(ours_unchecked("[%-8s]", missing), "[(null)  ]");
  EXPECT_EQ(ours_unchecked("[%.3s]", missing), "[(nu]");
  EXPECT_EQ(snprintf_unchecked(out, sizeof(out), "<%s>", missing), 8u);
  EXPECT_STREQ(out, "<(null)>");
}

TEST(Format, StringPrecisionNeverReadsPastPrecision) {
  // Exactly-sized heap buffers without a NUL: ASan reports any read past the end.
  const char text[] = {'a', 'b', 'c', 'd', 'e'};
  char* bytes = new char[sizeof(text)];
  for (size_t i = 0; i < sizeof(text); ++i) bytes[i] = text[i];
  char out[32];
  EXPECT_EQ(bm::snprintf(out, sizeof(out), "%.5s", bytes), 5u);
  EXPECT_STREQ(out, "abcde");
  EXPECT_EQ(bm::snprintf(out, sizeof(out), "%.3s|", bytes), 4u);
  EXPECT_STREQ(out, "abc|");
  EXPECT_EQ(bm::snprintf(out, sizeof(out), "[%8.5s]", bytes), 10u);
  EXPECT_STREQ(out, "[   abcde]");
  EXPECT_EQ(bm::snprintf(out, sizeof(out), "%.*s", 5, bytes), 5u);
  EXPECT_STREQ(out, "abcde");
  EXPECT_EQ(bm::snprintf(out, sizeof(out), "%.0s", bytes), 0u);
  EXPECT_STREQ(out, "");
  delete[] bytes;

  // A NUL before the precision still ends the string.
  const char short_text[] = "ab";
  EXPECT_EQ(bm::snprintf(out, sizeof(out), "%.10s|", short_text), 3u);
  EXPECT_STREQ(out, "ab|");
}

TEST(Format, UnknownConversionPrintsVerbatimAndReadsNoArgument) {
  EXPECT_EQ(ours_unchecked("%q"), "%q");
  EXPECT_EQ(ours_unchecked("a%qb %d", 7), "a%qb 7");
  EXPECT_EQ(ours_unchecked("%-05.3q|%d", 7), "%-05.3q|7");
  EXPECT_EQ(ours_unchecked("%*q|%d", 7), "%*q|7");
  EXPECT_EQ(ours_unchecked("%.*q|%d", 7), "%.*q|7");
  EXPECT_EQ(ours_unchecked("%f|%e|%g|%a|%d", 7), "%f|%e|%g|%a|7");
  EXPECT_EQ(ours_unchecked("%Lf %d", 7), "%Lf 7");
  EXPECT_EQ(ours_unchecked("%n|%d", 7), "%n|7");
  EXPECT_EQ(ours_unchecked("%ls|%lc|%hs|%lp|%d", 7), "%ls|%lc|%hs|%lp|7");
  EXPECT_EQ(ours_unchecked("%lll%d", 7), "%lll7");
  EXPECT_EQ(ours_unchecked("%5%|%d", 7), "%5%|7");
  EXPECT_EQ(ours_unchecked("%"), "%");
  EXPECT_EQ(ours_unchecked("abc%"), "abc%");
  EXPECT_EQ(ours_unchecked("abc%-5"), "abc%-5");
  EXPECT_EQ(ours_unchecked("abc%ll"), "abc%ll");
  EXPECT_EQ(ours_unchecked("%d%q%s", 1, "two"), "1%qtwo");
}

TEST(Format, HugeWidthSaturatesInsteadOfOverflowing) {
  char out[8];
  // A width beyond INT_MAX saturates; only the count is produced, the buffer stays bounded.
  size_t length = snprintf_unchecked(out, sizeof(out), "%99999999999999999999d", 1);
  EXPECT_EQ(length, static_cast<size_t>(INT_MAX));
  EXPECT_STREQ(out, "       ");
}

TEST(Format, NullFormatProducesNothing) {
  const char* format = nullptr;
  EXPECT_EQ(ours_unchecked(format), "");
  SinkRecord sunk;
  EXPECT_EQ(format_unchecked(collect_runs, &sunk, format), 0u);
  EXPECT_TRUE(sunk.runs.empty());
  char out[8] = "xxxxxxx";
  EXPECT_EQ(snprintf_unchecked(out, sizeof(out), format), 0u);
  EXPECT_STREQ(out, "");
}

TEST(Format, SinkReceivesRunsNotCharacters) {
  SinkRecord sunk;
  size_t length = bm::format(collect_runs, &sunk, "hello %d world %s!", 42, "abc");
  std::vector<std::string> expected = {"hello ", "42", " world ", "abc", "!"};
  EXPECT_EQ(sunk.runs, expected);
  EXPECT_EQ(length, 19u);

  SinkRecord padded;
  length = bm::format(collect_runs, &padded, "%100d", 7);
  EXPECT_EQ(length, 100u);
  EXPECT_EQ(join(padded.runs), std::string(99, ' ') + "7");
  EXPECT_LE(padded.runs.size(), 5u);
  for (const std::string& run : padded.runs) EXPECT_FALSE(run.empty());

  SinkRecord literal;
  std::string long_text(1000, 'z');
  length = bm::format(collect_runs, &literal, "%s", long_text.c_str());
  EXPECT_EQ(length, 1000u);
  ASSERT_EQ(literal.runs.size(), 1u);
  EXPECT_EQ(literal.runs[0], long_text);
}

TEST(Format, SinkNeverGetsEmptyRuns) {
  SinkRecord sunk;
  size_t length = bm::format(collect_runs, &sunk, "%s%.0d%s%d", "", 0, "", 5);
  EXPECT_EQ(length, 1u);
  ASSERT_EQ(sunk.runs.size(), 1u);
  EXPECT_EQ(sunk.runs[0], "5");
}

TEST(Format, NullSinkOnlyCounts) {
  EXPECT_EQ(bm::format(nullptr, nullptr, "abc%d%s", 12, "xyz"), 8u);
}

TEST(Format, SinkContextIsPassedThrough) {
  struct Counter {
    size_t calls = 0;
    size_t bytes = 0;
  } counter;
  auto sink = [](void* context, const char*, size_t length) {
    Counter* c = static_cast<Counter*>(context);
    ++c->calls;
    c->bytes += length;
  };
  size_t length = bm::format(sink, &counter, "%s-%s-%s", "a", "bb", "ccc");
  EXPECT_EQ(length, 8u);
  EXPECT_EQ(counter.bytes, 8u);
  EXPECT_EQ(counter.calls, 5u);
}

// Checks bm::snprintf at every buffer size from 0 to one past the full length against the
// host: same return value, same bytes, NUL at the cut, nothing written past size.
#define EXPECT_TRUNCATES_LIKE_HOST(...)                                                  \
  do {                                                                                   \
    SCOPED_TRACE(#__VA_ARGS__);                                                          \
    char full[256];                                                                      \
    int full_length = ::snprintf(full, sizeof(full), __VA_ARGS__);                       \
    ASSERT_GE(full_length, 0);                                                           \
    ASSERT_LT(full_length, static_cast<int>(sizeof(full)));                              \
    size_t length = static_cast<size_t>(full_length);                                    \
    EXPECT_EQ(bm::snprintf(nullptr, 0, __VA_ARGS__), length);                            \
    for (size_t size = 0; size <= length + 1; ++size) {                                  \
      SCOPED_TRACE("size " + std::to_string(size));                                      \
      char ours[260];                                                                    \
      char host[260];                                                                    \
      for (size_t i = 0; i < sizeof(ours); ++i) ours[i] = host[i] = '#';                 \
      EXPECT_EQ(bm::snprintf(ours, size, __VA_ARGS__), length);                          \
      EXPECT_EQ(::snprintf(host, size, __VA_ARGS__), full_length);                       \
      EXPECT_EQ(std::string(ours, sizeof(ours)), std::string(host, sizeof(host)));       \
      if (size > 0) {                                                                    \
        size_t cut = size - 1 < length ? size - 1 : length;                              \
        EXPECT_EQ(ours[cut], '\0');                                                      \
        EXPECT_EQ(std::string(ours, cut), std::string(full, cut));                       \
      }                                                                                  \
      for (size_t i = size; i < sizeof(ours); ++i) ASSERT_EQ(ours[i], '#') << i;         \
    }                                                                                    \
  } while (0)

TEST(Format, TruncatesAtEveryBufferSize) {
  EXPECT_TRUNCATES_LIKE_HOST("hello world");
  EXPECT_TRUNCATES_LIKE_HOST("%d", -1234567);
  EXPECT_TRUNCATES_LIKE_HOST("[%20s]", "padded");
  EXPECT_TRUNCATES_LIKE_HOST("[%-20s]", "padded");
  EXPECT_TRUNCATES_LIKE_HOST("%#018llx|%lld", 0xfeedULL, static_cast<long long>(INT64_MIN));
  EXPECT_TRUNCATES_LIKE_HOST("a%cb%%c%5.3ud", 'x', 7u);
  EXPECT_TRUNCATES_LIKE_HOST("%s", "");
  EXPECT_TRUNCATES_LIKE_HOST("%60d", 1);
}

TEST(Format, VsnprintfWithNullBufferOnlyMeasures) {
  // A null buffer with a nonzero size must not be written to.
  const char* format = "%d-%d";
  EXPECT_EQ(ours_unchecked(format, 10, 20), "10-20");
  EXPECT_EQ(bm::snprintf(nullptr, 100, "%d-%d", 10, 20), 5u);
}

// The sweep: every conversion x length modifier x flag set x width x precision over values
// that straddle each type's limits, compared with the host. Formats are built at run time.
std::vector<std::string> flag_sets(const std::string& flags) {
  std::vector<std::string> sets;
  for (unsigned mask = 0; mask < (1u << flags.size()); ++mask) {
    std::string set;
    for (size_t i = 0; i < flags.size(); ++i) {
      if (mask & (1u << i)) set += flags[i];
    }
    sets.push_back(set);
  }
  return sets;
}

const int64_t kSweepValues[] = {
    0, 1, -1, 7, 8, 9, 10, 15, 16, 127, 128, -128, -129, 255, 256, 32767, -32768, 65535, 65536,
    INT32_MAX, INT32_MIN, static_cast<int64_t>(UINT32_MAX), 0x123456789abcdefLL, INT64_MAX,
    INT64_MIN};

std::string format_both(const std::string& format, const std::string& length, bool is_signed,
                        int64_t value, std::string* host) {
  const char* f = format.c_str();
  uint64_t u = static_cast<uint64_t>(value);
  if (length.empty() || length == "h" || length == "hh") {
    *host = is_signed ? host_unchecked(f, static_cast<int>(value))
                      : host_unchecked(f, static_cast<unsigned>(u));
    return is_signed ? ours_unchecked(f, static_cast<int>(value))
                     : ours_unchecked(f, static_cast<unsigned>(u));
  }
  if (length == "l") {
    *host = is_signed ? host_unchecked(f, static_cast<long>(value))
                      : host_unchecked(f, static_cast<unsigned long>(u));
    return is_signed ? ours_unchecked(f, static_cast<long>(value))
                     : ours_unchecked(f, static_cast<unsigned long>(u));
  }
  if (length == "ll") {
    *host = is_signed ? host_unchecked(f, static_cast<long long>(value))
                      : host_unchecked(f, static_cast<unsigned long long>(u));
    return is_signed ? ours_unchecked(f, static_cast<long long>(value))
                     : ours_unchecked(f, static_cast<unsigned long long>(u));
  }
  if (length == "z") {
    *host = is_signed ? host_unchecked(f, static_cast<ssize_t>(value))
                      : host_unchecked(f, static_cast<size_t>(u));
    return is_signed ? ours_unchecked(f, static_cast<ssize_t>(value))
                     : ours_unchecked(f, static_cast<size_t>(u));
  }
  if (length == "j") {
    *host = is_signed ? host_unchecked(f, static_cast<intmax_t>(value))
                      : host_unchecked(f, static_cast<uintmax_t>(u));
    return is_signed ? ours_unchecked(f, static_cast<intmax_t>(value))
                     : ours_unchecked(f, static_cast<uintmax_t>(u));
  }
  // "t": ptrdiff_t, and its unsigned counterpart for u/x/o.
  *host = is_signed ? host_unchecked(f, static_cast<ptrdiff_t>(value))
                    : host_unchecked(f, static_cast<size_t>(u));
  return is_signed ? ours_unchecked(f, static_cast<ptrdiff_t>(value))
                   : ours_unchecked(f, static_cast<size_t>(u));
}

TEST(Format, IntegerSweepMatchesHost) {
  const char* lengths[] = {"", "hh", "h", "l", "ll", "z", "j", "t"};
  const char* widths[] = {"", "1", "7", "23"};
  const char* precisions[] = {"", ".", ".0", ".1", ".4", ".21"};
  struct Conversion {
    char letter;
    bool is_signed;
    const char* flags;  // '#' is undefined for d/i/u in C, so it is swept only where defined
  };
  const Conversion conversions[] = {{'d', true, "-0+ "}, {'i', true, "-0+ "}, {'u', false, "-0+ "},
                                    {'x', false, "-0+ #"}, {'X', false, "-0+ #"},
                                    {'o', false, "-0+ #"}};
  size_t checked = 0;
  std::vector<std::string> failures;
  for (const Conversion& conversion : conversions) {
    for (const std::string& flags : flag_sets(conversion.flags)) {
      for (const char* width : widths) {
        for (const char* precision : precisions) {
          for (const char* length : lengths) {
            std::string format =
                "|%" + flags + width + precision + length + conversion.letter + "|";
            for (int64_t value : kSweepValues) {
              std::string host;
              std::string ours = format_both(format, length, conversion.is_signed, value, &host);
              ++checked;
              if (ours != host && failures.size() < 20) {
                failures.push_back(format + " " + std::to_string(value) + ": ours '" + ours +
                                   "' host '" + host + "'");
              }
            }
          }
        }
      }
    }
  }
  EXPECT_GT(checked, 600000u);
  for (const std::string& failure : failures) ADD_FAILURE() << failure;
}

TEST(Format, StringAndCharSweepMatchesHost) {
  const char* widths[] = {"", "1", "3", "6", "12"};
  const char* precisions[] = {"", ".", ".0", ".2", ".5", ".9"};
  const char* strings[] = {"", "a", "abcde", "hello world"};
  size_t checked = 0;
  for (const char* flags : {"", "-"}) {
    for (const char* width : widths) {
      for (const char* precision : precisions) {
        std::string format = std::string("|%") + flags + width + precision + "s|";
        for (const char* text : strings) {
          EXPECT_EQ(ours_unchecked(format.c_str(), text), host_unchecked(format.c_str(), text))
              << format << " " << text;
          ++checked;
        }
      }
      std::string format = std::string("|%") + flags + width + "c|";
      for (int c : {int{'a'}, int{' '}, int{'~'}, 0x7f, 0x80, 0xff}) {
        EXPECT_EQ(ours_unchecked(format.c_str(), c), host_unchecked(format.c_str(), c))
            << format << " " << c;
        ++checked;
      }
    }
  }
  EXPECT_EQ(checked, 2u * 5u * (6u * 4u + 6u));
}

TEST(StringLength, CountsBytesBeforeNul) {
  EXPECT_EQ(bm::string_length(""), 0u);
  EXPECT_EQ(bm::string_length("abc"), 3u);
  EXPECT_EQ(bm::string_length("ab\0cd"), 2u);
  EXPECT_EQ(bm::string_length(nullptr), 0u);
  static_assert(bm::string_length("four") == 4);
}

TEST(StringLength, BoundedStopsAtMaxWithoutReadingFurther) {
  char* bytes = new char[3]{'x', 'y', 'z'};  // no NUL: ASan flags a read of bytes[3]
  EXPECT_EQ(bm::string_length_bounded(bytes, 3), 3u);
  EXPECT_EQ(bm::string_length_bounded(bytes, 2), 2u);
  EXPECT_EQ(bm::string_length_bounded(bytes, 0), 0u);
  delete[] bytes;
  EXPECT_EQ(bm::string_length_bounded("ab", 10), 2u);
  EXPECT_EQ(bm::string_length_bounded(nullptr, 10), 0u);
  static_assert(bm::string_length_bounded("four", 2) == 2);
}

}  // namespace

TEST(StringContains, FindsNeedlesAnywhereAndRejectsMissingOnes) {
  EXPECT_TRUE(bm::string_contains("fault_demo=page_fault", "fault_demo=page_fault"));
  EXPECT_TRUE(bm::string_contains("a b fault_demo=page_fault c", "page_fault c"));
  EXPECT_TRUE(bm::string_contains("abc", ""));
  EXPECT_TRUE(bm::string_contains(nullptr, nullptr));
  EXPECT_FALSE(bm::string_contains("abc", "abcd"));  // needle longer than the rest
  EXPECT_FALSE(bm::string_contains("aab", "abb"));
  EXPECT_FALSE(bm::string_contains("", "a"));
  EXPECT_FALSE(bm::string_contains(nullptr, "a"));
  static_assert(bm::string_contains("constexpr works", "pr w"));
}

TEST(StringEqual, ComparesWholeStrings) {
  EXPECT_TRUE(bm::string_equal("init", "init"));
  EXPECT_FALSE(bm::string_equal("init", "ini"));
  EXPECT_FALSE(bm::string_equal("ini", "init"));
  EXPECT_TRUE(bm::string_equal("", nullptr));
  EXPECT_FALSE(bm::string_equal(nullptr, "x"));
  static_assert(bm::string_equal("echo", "echo"));
}

TEST(AppendDecimal, WritesDigitsAfterWhatIsThere) {
  char text[32] = {'x'};
  size_t length = bm::append_decimal(0, text, 1);
  EXPECT_EQ(std::string(text, length), "x0");
  length = bm::append_decimal(907, text, length);
  EXPECT_EQ(std::string(text, length), "x0907");
  length = bm::append_decimal(UINT64_MAX, text, 0);
  EXPECT_EQ(std::string(text, length), "18446744073709551615");
  EXPECT_EQ(length, 20u);
}
