// Host tests for rejected manifests: each error with its kind, line number and reason, and every
// limit exactly at and one past its maximum.
#include <gtest/gtest.h>

#include <string>

#include "lib/manifest/manifest.h"
#include "test/host/manifest/manifest_test_support.h"

namespace bm::manifest {
namespace {

struct Rejected {
  const char* text;
  size_t line;
  Error error;
  const char* reason;
};

void expect_rejected(const std::string& text, size_t line, Error error, const char* reason) {
  SCOPED_TRACE(text);
  Parsed parsed = parse_string(text);
  ASSERT_FALSE(parsed.result.ok());
  EXPECT_EQ(parsed.result.error(), error) << error_name(parsed.result.error());
  EXPECT_EQ(parsed.error.line, line);
  EXPECT_STREQ(parsed.error.reason, reason);
  EXPECT_EQ(parsed.manifest->server_count, 0u);  // no partial manifest escapes
}

void expect_all_rejected(std::initializer_list<Rejected> cases) {
  for (const Rejected& c : cases) expect_rejected(c.text, c.line, c.error, c.reason);
}

void expect_accepted(const std::string& text) {
  SCOPED_TRACE(text);
  Parsed parsed = parse_string(text);
  EXPECT_TRUE(parsed.result.ok()) << parsed.error.line << ": " << parsed.error.reason;
}

constexpr Error kMalformed = Error::kMalformed;
constexpr Error kOutOfRange = Error::kOutOfRange;

TEST(ManifestErrors, RejectsNullArguments) {
  Manifest* manifest = new Manifest;
  ParseError error{99, "untouched"};
  EXPECT_EQ(parse("server vga\n", 11, nullptr, &error).error(), Error::kInvalidArgument);
  EXPECT_EQ(error.line, 0u);
  EXPECT_STREQ(error.reason, "no output manifest");
  EXPECT_EQ(parse(nullptr, 5, manifest, &error).error(), Error::kInvalidArgument);
  EXPECT_EQ(error.line, 0u);
  EXPECT_STREQ(error.reason, "no manifest text");
  EXPECT_EQ(manifest->server_count, 0u);
  EXPECT_EQ(parse(nullptr, 5, manifest, nullptr).error(), Error::kInvalidArgument);
  delete manifest;
}

TEST(ManifestErrors, ReportsTheFirstErrorWhenNoErrorStructIsGiven) {
  Manifest* manifest = new Manifest;
  const std::string text = "server vga priority=16\n";
  EXPECT_EQ(parse(text.data(), text.size(), manifest, nullptr).error(), kOutOfRange);
  EXPECT_EQ(manifest->server_count, 0u);
  delete manifest;
}

TEST(ManifestErrors, RejectsLinesThatAreNotServerLines) {
  expect_all_rejected({
      {"# ok\nservers vga\n", 2, kMalformed, "line does not start with 'server'"},
      {"Server vga\n", 1, kMalformed, "line does not start with 'server'"},
      {"vga priority=8\n", 1, kMalformed, "line does not start with 'server'"},
      {"server vga\n\n  =\n", 3, kMalformed, "line does not start with 'server'"},
      {"server\n", 1, kMalformed, "server without a module name"},
      {"server   \t# just a comment\n", 1, kMalformed, "server without a module name"},
  });
}

TEST(ManifestErrors, RejectsBadModuleNames) {
  expect_all_rejected({
      {"server VGA\n", 1, kMalformed, "name has a character other than a-z 0-9 _ -"},
      {"server vga.elf\n", 1, kMalformed, "name has a character other than a-z 0-9 _ -"},
      {"server v\xc3\xa9ga\n", 1, kMalformed, "name has a character other than a-z 0-9 _ -"},
      {"server vga=1\n", 1, kMalformed, "name has a character other than a-z 0-9 _ -"},
      {"server vga\nserver vga priority=3\n", 2, kMalformed, "module has two server lines"},
  });
}

TEST(ManifestErrors, RejectsBadKeys) {
  expect_all_rejected({
      {"server vga colour=blue\n", 1, kMalformed, "unknown key"},
      {"server vga PRIORITY=3\n", 1, kMalformed, "unknown key"},
      {"server vga =3\n", 1, kMalformed, "unknown key"},
      {"server vga priority\n", 1, kMalformed, "key without '='"},
      {"server vga restart\n", 1, kMalformed, "key without '='"},
      {"server vga priority=\n", 1, kMalformed, "empty value"},
      {"server vga ports= irqs=1\n", 1, kMalformed, "empty value"},
      {"server vga priority = 3\n", 1, kMalformed, "key without '='"},
      {"server vga priority=3 priority=3\n", 1, kMalformed, "duplicate key"},
      {"server vga ports=1:1 irqs=1 ports=5:1\n", 1, kMalformed, "duplicate key"},
      {"server vga restart=yes restart=no\n", 1, kMalformed, "duplicate key"},
      {"server vga control=no control=yes\n", 1, kMalformed, "duplicate key"},
      {"server vga control\n", 1, kMalformed, "key without '='"},
      {"server vga control=\n", 1, kMalformed, "empty value"},
      {"server vga memory=vga memory=vga\n", 1, kMalformed, "duplicate key"},
      {"server vga modules=a modules=b\n", 1, kMalformed, "duplicate key"},
      {"server vga irqs=1 irqs=3\n", 1, kMalformed, "duplicate key"},
  });
}

TEST(ManifestErrors, RejectsBadNumbers) {
  expect_all_rejected({
      {"server vga priority=3x\n", 1, kMalformed, "invalid number"},
      {"server vga priority=x3\n", 1, kMalformed, "invalid number"},
      {"server vga priority=-1\n", 1, kMalformed, "invalid number"},
      {"server vga priority=+1\n", 1, kMalformed, "invalid number"},
      {"server vga priority=0x\n", 1, kMalformed, "invalid number"},
      {"server vga priority=0X5\n", 1, kMalformed, "invalid number"},
      {"server vga priority=0xg\n", 1, kMalformed, "invalid number"},
      {"server vga priority=1.5\n", 1, kMalformed, "invalid number"},
      {"server vga ports=0x3d4:2h\n", 1, kMalformed, "invalid number"},
      {"server vga ports=:2\n", 1, kMalformed, "invalid number"},
      {"server vga ports=5:\n", 1, kMalformed, "invalid number"},
      {"server vga ports=5:1:1\n", 1, kMalformed, "invalid number"},
      // Syntax is checked before size: garbage after a huge number is still garbage.
      {"server vga priority=99999999999999999999999999x\n", 1, kMalformed, "invalid number"},
      // Values that would overflow 32 or 64 bits are out of range, not wrapped.
      {"server vga priority=4294967312\n", 1, kOutOfRange, "priority above 15"},
      {"server vga priority=18446744073709551632\n", 1, kOutOfRange, "priority above 15"},
      {"server vga priority=0x10000000000000000f\n", 1, kOutOfRange, "priority above 15"},
      {"server vga ports=4294967296:1\n", 1, kOutOfRange, "port above 65535"},
      {"server vga ports=1:4294967297\n", 1, kOutOfRange, "port range beyond 65535"},
      {"server vga irqs=4294967297\n", 1, kOutOfRange, "irq above 15"},
  });
}

TEST(ManifestErrors, RejectsBadLists) {
  expect_all_rejected({
      {"server vga ports=1:1,\n", 1, kMalformed, "empty item in a list"},
      {"server vga ports=,1:1\n", 1, kMalformed, "empty item in a list"},
      {"server vga irqs=1,,3\n", 1, kMalformed, "empty item in a list"},
      {"server vga modules=a,\n", 1, kMalformed, "empty item in a list"},
      {"server vga memory=,vga\n", 1, kMalformed, "empty item in a list"},
      {"server vga ports=0x3d4\n", 1, kMalformed, "port range is not FIRST:COUNT"},
      {"server vga ports=1:1,2-3\n", 1, kMalformed, "port range is not FIRST:COUNT"},
      {"server vga ports=0x3d4:2,0x3d5:1\n", 1, kMalformed, "overlapping port ranges"},
      {"server vga ports=10:10,0:11\n", 1, kMalformed, "overlapping port ranges"},
      {"server vga irqs=1,3,1\n", 1, kMalformed, "duplicate irq"},
      {"server vga modules=a,b,a\n", 1, kMalformed, "duplicate module"},
      {"server vga memory=vga,vga\n", 1, kMalformed, "duplicate device memory"},
      {"server vga memory=VGA\n", 1, kOutOfRange, "unknown device memory (vga or framebuffer)"},
      {"server vga memory=vga,fb\n", 1, kOutOfRange, "unknown device memory (vga or framebuffer)"},
      {"server fb memory=framebuffer,framebuffer\n", 1, kMalformed, "duplicate device memory"},
      {"server vga restart=maybe\n", 1, kOutOfRange, "restart is neither yes nor no"},
      {"server vga restart=Yes\n", 1, kOutOfRange, "restart is neither yes nor no"},
      {"server vga restart=yes,no\n", 1, kOutOfRange, "restart is neither yes nor no"},
      {"server vga control=maybe\n", 1, kOutOfRange, "control is neither yes nor no"},
      {"server vga control=YES\n", 1, kOutOfRange, "control is neither yes nor no"},
      {"server vga control=yes,no\n", 1, kOutOfRange, "control is neither yes nor no"},
      {"server vga modules=Shell\n", 1, kMalformed, "name has a character other than a-z 0-9 _ -"},
  });
  expect_accepted("server vga ports=0:10,10:10 irqs=1,3 modules=a,b memory=vga\n");
}

TEST(ManifestErrors, RejectsEmbeddedNulBytes) {
  using namespace std::string_literals;
  expect_rejected("server vga\nserver kb\0d\n"s, 2, kMalformed, "NUL byte");
  expect_rejected("server vga\0\n"s, 1, kMalformed, "NUL byte");
  expect_rejected("# comment \0 still not allowed\n"s, 1, kMalformed, "NUL byte");
  expect_rejected("server vga\n\0"s, 2, kMalformed, "NUL byte");
}

TEST(ManifestErrors, RejectsCarriageReturnsInsideALine) {
  expect_rejected("server vga\rserver kb\n", 1, kMalformed, "carriage return inside a line");
  expect_rejected("server vga\r\r\n", 1, kMalformed, "carriage return inside a line");
  expect_rejected("server vga\n# a\rb\n", 2, kMalformed, "carriage return inside a line");
}

TEST(ManifestErrors, CountsLinesAcrossCrlfCommentsAndBlankLines) {
  expect_rejected("# one\r\n\r\n\n  # four\nserver a\r\n\t\nserver b bogus=1\r\n", 7, kMalformed,
                  "unknown key");
}

TEST(ManifestErrors, StopsAtTheFirstErrorOfTheLine) {
  expect_rejected("server vga priority=99 colour=red\n", 1, kOutOfRange, "priority above 15");
  expect_rejected("server vga colour=red priority=99\n", 1, kMalformed, "unknown key");
  expect_rejected("server vga\nserver a irqs=0\nserver b irqs=2\n", 2, kOutOfRange,
                  "irq 0 is the kernel's timer");
}

// --- limits: exactly at the maximum is fine, one past it is not ---

std::string servers(size_t count) {
  std::string text;
  for (size_t i = 0; i < count; ++i) text += "server s" + std::to_string(i) + "\n";
  return text;
}

TEST(ManifestLimits, ServerCount) {
  Parsed sixteen = parse_string(servers(kMaxServers));
  ASSERT_TRUE(sixteen.result.ok());
  EXPECT_EQ(sixteen.manifest->server_count, 16u);
  EXPECT_STREQ(sixteen.manifest->servers[15].module, "s15");
  expect_rejected(servers(kMaxServers + 1), 17, kOutOfRange, "more than 16 servers");
  // Comments do not count as servers.
  expect_accepted("# a\n" + servers(8) + "# b\n\n" + servers(16).substr(servers(8).size()));
}

TEST(ManifestLimits, PortRangeCount) {
  expect_accepted("server a ports=1:1,2:1,3:1,4:1,5:1,6:1,7:1,8:1\n");
  expect_rejected("server a ports=1:1,2:1,3:1,4:1,5:1,6:1,7:1,8:1,9:1\n", 1, kOutOfRange,
                  "more than 8 port ranges");
}

TEST(ManifestLimits, IrqCount) {
  expect_accepted("server a irqs=1,3,4,5\n");
  expect_rejected("server a irqs=1,3,4,5,6\n", 1, kOutOfRange, "more than 4 irqs");
}

TEST(ManifestLimits, ModuleCount) {
  expect_accepted("server a modules=b,c,d,e\n");
  expect_rejected("server a modules=b,c,d,e,f\n", 1, kOutOfRange, "more than 4 modules");
}

TEST(ManifestLimits, NameLength) {
  const std::string name23(23, 'n');
  const std::string name24(24, 'n');
  Parsed parsed = parse_string("server " + name23 + " modules=" + name23 + "\n");
  ASSERT_TRUE(parsed.result.ok());
  EXPECT_EQ(std::string(parsed.manifest->servers[0].module), name23);
  EXPECT_EQ(std::string(parsed.manifest->servers[0].modules[0]), name23);
  EXPECT_NE(find(*parsed.manifest, name23.c_str()), nullptr);
  EXPECT_EQ(find(*parsed.manifest, name24.c_str()), nullptr);
  expect_rejected("server " + name24 + "\n", 1, kOutOfRange, "name longer than 23 characters");
  expect_rejected("server a modules=b," + name24 + "\n", 1, kOutOfRange,
                  "name longer than 23 characters");
  expect_accepted("server a-b_9\n");
}

TEST(ManifestLimits, PortSpace) {
  expect_accepted("server a ports=65535:1\n");
  expect_accepted("server a ports=0:65536\n");
  expect_accepted("server a ports=0xffff:0x1\n");
  expect_rejected("server a ports=65535:2\n", 1, kOutOfRange, "port range beyond 65535");
  expect_rejected("server a ports=1:65536\n", 1, kOutOfRange, "port range beyond 65535");
  expect_rejected("server a ports=0:65537\n", 1, kOutOfRange, "port range beyond 65535");
  expect_rejected("server a ports=65536:1\n", 1, kOutOfRange, "port above 65535");
  expect_rejected("server a ports=0x3d4:0\n", 1, kOutOfRange, "port range of 0 ports");
}

TEST(ManifestLimits, IrqLines) {
  Parsed parsed = parse_string("server a irqs=15,1,3,0xe\n");
  ASSERT_TRUE(parsed.result.ok());
  EXPECT_EQ(parsed.manifest->servers[0].irqs[0], 15);
  EXPECT_EQ(parsed.manifest->servers[0].irqs[3], 14);
  expect_rejected("server a irqs=16\n", 1, kOutOfRange, "irq above 15");
  expect_rejected("server a irqs=2\n", 1, kOutOfRange, "irq 2 is the 8259 cascade");
  expect_rejected("server a irqs=0\n", 1, kOutOfRange, "irq 0 is the kernel's timer");
  expect_rejected("server a irqs=1,0x0\n", 1, kOutOfRange, "irq 0 is the kernel's timer");
}

TEST(ManifestLimits, Priority) {
  Parsed parsed = parse_string("server a priority=15\nserver b priority=0\n");
  ASSERT_TRUE(parsed.result.ok());
  EXPECT_EQ(parsed.manifest->servers[0].priority, 15);
  EXPECT_EQ(parsed.manifest->servers[1].priority, 0);
  expect_rejected("server a priority=16\n", 1, kOutOfRange, "priority above 15");
  expect_rejected("server a priority=0x10\n", 1, kOutOfRange, "priority above 15");
}

TEST(ManifestLimits, LineLength) {
  // 512 bytes of content, with and without a CR before the newline, is the longest line.
  std::string at = "server a";
  at += std::string(kMaxLineLength - at.size() - 1, ' ') + "#";
  ASSERT_EQ(at.size(), 512u);
  expect_accepted(at + "\n");
  expect_accepted(at + "\r\n");
  expect_accepted(at);
  std::string comment = "#" + std::string(511, 'c');
  expect_accepted(comment + "\n");
  expect_rejected("server a\n" + at + " \n", 2, kOutOfRange, "line longer than 512 bytes");
  expect_rejected(comment + "c", 1, kOutOfRange, "line longer than 512 bytes");
  expect_rejected(std::string(100000, ' '), 1, kOutOfRange, "line longer than 512 bytes");
}

TEST(ManifestLimits, Arguments) {
  const std::string longest(kMaxArgumentsLength, 'a');
  Parsed parsed = parse_string("server a args=" + longest + "\nserver b\n");
  ASSERT_TRUE(parsed.result.ok());
  EXPECT_EQ(std::string(parsed.manifest->servers[0].arguments), longest);
  EXPECT_EQ(parsed.manifest->servers[0].arguments_length, kMaxArgumentsLength);
  EXPECT_STREQ(parsed.manifest->servers[1].arguments, "");
  EXPECT_EQ(parsed.manifest->servers[1].arguments_length, 0u);
  expect_rejected("server a args=" + longest + "b\n", 1, kOutOfRange, "args longer than 127 bytes");
  expect_rejected("server a args=\n", 1, kMalformed, "empty value");
  expect_rejected("server a args=x args=y\n", 1, kMalformed, "duplicate key");
}

TEST(ManifestLimits, Pool) {
  Parsed parsed = parse_string("server memd pool=65536\nserver b pool=0x10\nserver c\n");
  ASSERT_TRUE(parsed.result.ok());
  EXPECT_EQ(parsed.manifest->servers[0].pool_pages, 65536u);
  EXPECT_EQ(parsed.manifest->servers[1].pool_pages, 16u);
  EXPECT_EQ(parsed.manifest->servers[2].pool_pages, 0u);
  expect_rejected("server a pool=65537\n", 1, kOutOfRange, "pool above 65536 pages");
  expect_rejected("server a pool=0\n", 1, kOutOfRange, "pool of 0 pages");
  expect_rejected("server a pool=1k\n", 1, kMalformed, "invalid number");
}

TEST(ManifestLimits, Frames) {
  Parsed parsed = parse_string(
      "server a frames=32\nserver b frames=1048576\nserver c\nserver d frames=0x100\n");
  ASSERT_TRUE(parsed.result.ok());
  EXPECT_EQ(parsed.manifest->servers[0].frame_limit, kMinFrameLimit);
  EXPECT_EQ(parsed.manifest->servers[1].frame_limit, kMaxFrameLimit);
  EXPECT_EQ(parsed.manifest->servers[2].frame_limit, kDefaultFrameLimit);
  EXPECT_EQ(parsed.manifest->servers[3].frame_limit, 256u);
  expect_rejected("server a frames=1048577\n", 1, kOutOfRange, "frames above 1048576");
  expect_rejected("server a frames=31\n", 1, kOutOfRange, "frames below 32");
  expect_rejected("server a frames=0\n", 1, kOutOfRange, "frames below 32");
  expect_rejected("server a frames=4G\n", 1, kMalformed, "invalid number");
  expect_rejected("server a frames=64 frames=64\n", 1, kMalformed, "duplicate key");
}

TEST(ManifestLimits, Heartbeat) {
  Parsed parsed = parse_string(
      "server vga heartbeat=60000\nserver b heartbeat=0\nserver c heartbeat=0x64\n"
      "server d\n");
  ASSERT_TRUE(parsed.result.ok());
  EXPECT_EQ(parsed.manifest->servers[0].heartbeat_ms, 60000u);
  EXPECT_EQ(parsed.manifest->servers[1].heartbeat_ms, 0u);  // 0 turns it off, as absent does
  EXPECT_EQ(parsed.manifest->servers[2].heartbeat_ms, 100u);
  EXPECT_EQ(parsed.manifest->servers[3].heartbeat_ms, 0u);
  expect_rejected("server a heartbeat=60001\n", 1, kOutOfRange, "heartbeat above 60000 ms");
  expect_rejected("server a heartbeat=-1\n", 1, kMalformed, "invalid number");
  expect_rejected("server a heartbeat=1s\n", 1, kMalformed, "invalid number");
  expect_rejected("server a heartbeat=\n", 1, kMalformed, "empty value");
  expect_rejected("server a heartbeat=5 heartbeat=5\n", 1, kMalformed, "duplicate key");
}

}  // namespace
}  // namespace bm::manifest
