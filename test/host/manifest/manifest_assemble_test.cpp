// Host tests for assemble(): separate server lines checked with the manifest parser and
// written in start order (descending priority, input order among equals).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "lib/manifest/assemble.h"

namespace bm::manifest {
namespace {

struct Assembled {
  Result<size_t> result;
  std::string text;
  LineError error;
};

Assembled assemble_strings(const std::vector<std::string>& lines, size_t capacity = 4096) {
  std::vector<Text> views;
  for (const std::string& line : lines) views.push_back({line.data(), line.size()});
  std::string out(capacity, '\0');
  LineError error{12345, "untouched"};
  Result<size_t> result = assemble(views.data(), views.size(), out.data(), out.size(), &error);
  out.resize(result.ok() ? *result : 0);
  return {result, out, error};
}

void expect_rejected(const std::vector<std::string>& lines, size_t index, Error kind,
                     const char* reason) {
  Assembled assembled = assemble_strings(lines);
  ASSERT_FALSE(assembled.result.ok());
  EXPECT_EQ(assembled.result.error(), kind);
  EXPECT_EQ(assembled.error.index, index);
  EXPECT_STREQ(assembled.error.reason, reason);
}

TEST(ManifestAssemble, OrdersByDescendingPriorityKeepingInputOrderAmongEquals) {
  Assembled assembled = assemble_strings({
      "server shell priority=10 restart=yes",
      "server echo",  // the default priority, 8
      "server vga priority=12 ports=0x3d4:2 memory=vga",
      "server memd priority=13 pool=4096",
      "server serial priority=12 ports=0x3f8:8 irqs=4",
  });
  ASSERT_TRUE(assembled.result.ok()) << assembled.error.reason;
  EXPECT_EQ(assembled.text,
            "server memd priority=13 pool=4096\n"
            "server vga priority=12 ports=0x3d4:2 memory=vga\n"
            "server serial priority=12 ports=0x3f8:8 irqs=4\n"
            "server shell priority=10 restart=yes\n"
            "server echo\n");
  EXPECT_EQ(*assembled.result, assembled.text.size());
}

TEST(ManifestAssemble, NoLinesMakeAnEmptyManifest) {
  Assembled assembled = assemble_strings({});
  ASSERT_TRUE(assembled.result.ok());
  EXPECT_EQ(*assembled.result, 0u);
}

TEST(ManifestAssemble, KeepsATrailingComment) {
  Assembled assembled = assemble_strings({"server echo priority=8  # the demo server"});
  ASSERT_TRUE(assembled.result.ok()) << assembled.error.reason;
  EXPECT_EQ(assembled.text, "server echo priority=8  # the demo server\n");
}

TEST(ManifestAssemble, NamesTheLineAndTheParsersReason) {
  expect_rejected({"server echo", "server keyboard irqs=2", "server vga priority=16"}, 1,
                  Error::kOutOfRange, "irq 2 is the 8259 cascade");
  expect_rejected({"server echo", "server vga priority=16"}, 1, Error::kOutOfRange,
                  "priority above 15");
  expect_rejected({"server echo colour=red"}, 0, Error::kMalformed, "unknown key");
  expect_rejected({"sever echo"}, 0, Error::kMalformed, "line does not start with 'server'");
}

TEST(ManifestAssemble, EachEntryIsExactlyOneServerLine) {
  expect_rejected({"server echo", ""}, 1, Error::kMalformed, "not a server line");
  expect_rejected({"# only a comment"}, 0, Error::kMalformed, "not a server line");
  expect_rejected({"server echo\nserver ping"}, 0, Error::kMalformed,
                  "a server line must be a single line");
  expect_rejected({"server echo", "server ping\r"}, 1, Error::kMalformed,
                  "a server line must be a single line");
}

TEST(ManifestAssemble, RulesAcrossLinesNameTheLaterLineInStartOrder) {
  // Started first (priority 9), so its twin at priority 1 (input line 0) is the second one.
  expect_rejected({"server echo priority=1", "server ping", "server echo priority=9"}, 0,
                  Error::kMalformed, "module has two server lines");
}

TEST(ManifestAssemble, SixteenServersAtMost) {
  std::vector<std::string> lines;
  for (int i = 0; i < 16; ++i) lines.push_back("server s" + std::to_string(i));
  EXPECT_TRUE(assemble_strings(lines).result.ok());
  lines.push_back("server s16");
  expect_rejected(lines, 16, Error::kOutOfRange, "more than 16 servers");
}

TEST(ManifestAssemble, RefusesAnOutputBufferTooSmall) {
  // "server echo\n" is 12 bytes: 11 are not enough, 12 are.
  Assembled short_of_one = assemble_strings({"server echo"}, 11);
  ASSERT_FALSE(short_of_one.result.ok());
  EXPECT_EQ(short_of_one.result.error(), Error::kOutOfRange);
  EXPECT_STREQ(short_of_one.error.reason, "manifest larger than the output buffer");
  EXPECT_TRUE(assemble_strings({"server echo"}, 12).result.ok());
}

TEST(ManifestAssemble, RefusesNullArguments) {
  LineError error{};
  char out[16];
  Result<size_t> result = assemble(nullptr, 1, out, sizeof(out), &error);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error(), Error::kInvalidArgument);
  Text line{"server echo", 11};
  EXPECT_EQ(assemble(&line, 1, nullptr, 16, &error).error(), Error::kInvalidArgument);
}

}  // namespace
}  // namespace bm::manifest
