// Host tests for manifests that parse: every field of a multi-server manifest, defaults,
// comments, blank lines, CRLF and tabs, a missing final newline, a length cut mid-line, find().
#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "lib/manifest/manifest.h"
#include "test/host/manifest/manifest_test_support.h"

namespace bm::manifest {
namespace {

constexpr const char* kGood =
    "# BareMetal-OS servers\n"
    "\n"
    "server vga priority=12 ports=0x3d4:2 memory=vga restart=yes\n"
    "server keyboard ports=0x60:1,0x64:1 irqs=1 priority=10\n"
    "server serial priority=9 ports=0x3f8:8 irqs=4,3 restart=no   # COM1\n"
    "server shell priority=4 modules=hello,ps_tool-2 args=out:console,in:keyboard control=yes\n"
    "server memd\n";

TEST(ManifestParse, ReadsEveryFieldOfAMultiServerManifest) {
  Parsed parsed = parse_string(kGood);
  ASSERT_TRUE(parsed.result.ok()) << parsed.error.line << ": " << parsed.error.reason;
  const Manifest& m = *parsed.manifest;
  ASSERT_EQ(m.server_count, 5u);

  const Server& vga = m.servers[0];
  EXPECT_STREQ(vga.module, "vga");
  EXPECT_EQ(vga.priority, 12);
  ASSERT_EQ(vga.port_count, 1u);
  EXPECT_EQ(vga.ports[0].first, 0x3d4u);
  EXPECT_EQ(vga.ports[0].count, 2u);
  EXPECT_EQ(vga.irq_count, 0u);
  EXPECT_TRUE(vga.vga_memory);
  EXPECT_EQ(vga.module_count, 0u);
  EXPECT_TRUE(vga.restart);

  const Server& keyboard = m.servers[1];
  EXPECT_STREQ(keyboard.module, "keyboard");
  EXPECT_EQ(keyboard.priority, 10);
  ASSERT_EQ(keyboard.port_count, 2u);
  EXPECT_EQ(keyboard.ports[0].first, 0x60u);
  EXPECT_EQ(keyboard.ports[0].count, 1u);
  EXPECT_EQ(keyboard.ports[1].first, 0x64u);
  EXPECT_EQ(keyboard.ports[1].count, 1u);
  ASSERT_EQ(keyboard.irq_count, 1u);
  EXPECT_EQ(keyboard.irqs[0], 1);
  EXPECT_FALSE(keyboard.vga_memory);
  EXPECT_FALSE(keyboard.restart);

  const Server& serial = m.servers[2];
  EXPECT_STREQ(serial.module, "serial");
  EXPECT_EQ(serial.priority, 9);
  ASSERT_EQ(serial.port_count, 1u);
  EXPECT_EQ(serial.ports[0].first, 0x3f8u);
  EXPECT_EQ(serial.ports[0].count, 8u);
  ASSERT_EQ(serial.irq_count, 2u);
  EXPECT_EQ(serial.irqs[0], 4);  // file order is kept
  EXPECT_EQ(serial.irqs[1], 3);
  EXPECT_FALSE(serial.restart);

  const Server& shell = m.servers[3];
  EXPECT_STREQ(shell.module, "shell");
  EXPECT_EQ(shell.priority, 4);
  ASSERT_EQ(shell.module_count, 2u);
  EXPECT_STREQ(shell.modules[0], "hello");
  EXPECT_STREQ(shell.modules[1], "ps_tool-2");
  EXPECT_STREQ(shell.arguments, "out:console,in:keyboard");
  EXPECT_EQ(shell.port_count, 0u);
  EXPECT_TRUE(shell.control);
  EXPECT_FALSE(vga.control);
  EXPECT_FALSE(serial.control);

  EXPECT_STREQ(m.servers[4].module, "memd");
}

TEST(ManifestParse, AppliesDefaultsAndZeroesUnusedSlots) {
  Parsed parsed = parse_string("server memd\n");
  ASSERT_TRUE(parsed.result.ok());
  const Server& s = parsed.manifest->servers[0];
  EXPECT_EQ(s.priority, kDefaultPriority);
  EXPECT_EQ(s.priority, 8);
  EXPECT_EQ(s.port_count, 0u);
  EXPECT_EQ(s.irq_count, 0u);
  EXPECT_FALSE(s.vga_memory);
  EXPECT_EQ(s.module_count, 0u);
  EXPECT_FALSE(s.restart);
  EXPECT_FALSE(s.control);
  for (size_t i = 0; i < kNameLength; ++i) EXPECT_EQ(s.modules[0][i], '\0');
  for (size_t i = 4; i < kNameLength; ++i) EXPECT_EQ(s.module[i], '\0') << i;
  EXPECT_EQ(s.ports[0].first, 0u);
  EXPECT_EQ(s.ports[0].count, 0u);
  EXPECT_EQ(s.irqs[0], 0);
}

TEST(ManifestParse, OverwritesWhateverTheOutputHeldBefore) {
  auto manifest = std::make_unique<Manifest>();
  std::memset(manifest.get(), 0xa5, sizeof(Manifest));
  const std::string text = "server memd\n";
  ASSERT_TRUE(parse(text.data(), text.size(), manifest.get(), nullptr).ok());
  EXPECT_EQ(manifest->server_count, 1u);
  EXPECT_STREQ(manifest->servers[0].module, "memd");
  EXPECT_EQ(manifest->servers[0].port_count, 0u);
  EXPECT_FALSE(manifest->servers[0].restart);
  EXPECT_FALSE(manifest->servers[0].control);
}

TEST(ManifestParse, AcceptsCommentsBlankLinesCrlfAndTabs) {
  Parsed parsed = parse_string(
      "# header\r\n"
      "\r\n"
      "   \t  \n"
      "\t# indented comment\n"
      "\tserver\tvga\t\tpriority=3 \t ports=0x3d4:2\t# trailing comment with = and , and :\r\n"
      "server keyboard irqs=1 #comment right after a blank\n"
      "server serial #priority=99 unknown=key\n"
      "# last comment without newline");
  ASSERT_TRUE(parsed.result.ok()) << parsed.error.line << ": " << parsed.error.reason;
  const Manifest& m = *parsed.manifest;
  ASSERT_EQ(m.server_count, 3u);
  EXPECT_STREQ(m.servers[0].module, "vga");
  EXPECT_EQ(m.servers[0].priority, 3);
  EXPECT_EQ(m.servers[0].ports[0].first, 0x3d4u);
  EXPECT_EQ(m.servers[0].ports[0].count, 2u);
  EXPECT_EQ(m.servers[1].irqs[0], 1);
  EXPECT_STREQ(m.servers[2].module, "serial");
  EXPECT_EQ(m.servers[2].priority, 8);  // the commented-out key is ignored
}

TEST(ManifestParse, HashInsideAWordDoesNotStartAComment) {
  Parsed parsed = parse_string("server keyboard\nserver serial irqs=4#COM1\n");
  ASSERT_FALSE(parsed.result.ok());
  EXPECT_EQ(parsed.result.error(), Error::kMalformed);
  EXPECT_EQ(parsed.error.line, 2u);
  EXPECT_STREQ(parsed.error.reason, "invalid number");
}

TEST(ManifestParse, AcceptsUtf8InComments) {
  Parsed parsed = parse_string(
      "# Tastatur f\xc3\xbcr \xe2\x80\x9c"
      "de\xe2\x80\x9d\nserver kbd\n");
  ASSERT_TRUE(parsed.result.ok());
  EXPECT_EQ(parsed.manifest->server_count, 1u);
}

TEST(ManifestParse, AcceptsTextWithoutTrailingNewline) {
  Parsed parsed = parse_string("server vga\nserver keyboard irqs=1");
  ASSERT_TRUE(parsed.result.ok());
  ASSERT_EQ(parsed.manifest->server_count, 2u);
  EXPECT_EQ(parsed.manifest->servers[1].irqs[0], 1);

  Parsed crlf_last = parse_string("server vga\r\nserver keyboard irqs=1\r");
  ASSERT_TRUE(crlf_last.result.ok());
  EXPECT_EQ(crlf_last.manifest->servers[1].irq_count, 1u);
}

TEST(ManifestParse, EmptyTextIsAnEmptyManifest) {
  Parsed empty = parse_string("");
  ASSERT_TRUE(empty.result.ok());
  EXPECT_EQ(empty.manifest->server_count, 0u);

  Manifest* manifest = new Manifest;
  manifest->server_count = 7;
  EXPECT_TRUE(parse(nullptr, 0, manifest, nullptr).ok());
  EXPECT_EQ(manifest->server_count, 0u);
  delete manifest;

  Parsed comments = parse_string("# nothing yet\n\n");
  ASSERT_TRUE(comments.result.ok());
  EXPECT_EQ(comments.manifest->server_count, 0u);
}

TEST(ManifestParse, ParsesOnlyLengthBytesWhenCutMidLine) {
  const std::string full = "server vga priority=12\nserver keyboard priority=15 irqs=1\n";
  // Cut after "server keyboard priority=1": the 5 is never seen.
  const size_t cut = full.find("priority=15") + std::strlen("priority=1");
  Parsed parsed = parse_string(full.substr(0, cut));
  ASSERT_TRUE(parsed.result.ok()) << parsed.error.reason;
  ASSERT_EQ(parsed.manifest->server_count, 2u);
  EXPECT_EQ(parsed.manifest->servers[1].priority, 1);
  EXPECT_EQ(parsed.manifest->servers[1].irq_count, 0u);

  // Cut inside a key: "priority" without its '='.
  Parsed in_key = parse_string(full.substr(0, full.find("=15")));
  ASSERT_FALSE(in_key.result.ok());
  EXPECT_EQ(in_key.result.error(), Error::kMalformed);
  EXPECT_EQ(in_key.error.line, 2u);
  EXPECT_STREQ(in_key.error.reason, "key without '='");

  // Every prefix parses or fails cleanly without reading past its end.
  for (size_t length = 0; length <= full.size(); ++length) {
    Parsed prefix = parse_string(full.substr(0, length));
    if (!prefix.result.ok()) {
      EXPECT_GE(prefix.error.line, 1u);
    }
  }
}

TEST(ManifestParse, AcceptsNumbersInDecimalAndHexWithLeadingZeros) {
  Parsed parsed =
      parse_string("server a ports=0x3F8:0x8,1024:008,0x00000000000000001:1 priority=0x0f\n");
  ASSERT_TRUE(parsed.result.ok()) << parsed.error.reason;
  const Server& s = parsed.manifest->servers[0];
  EXPECT_EQ(s.priority, 15);
  ASSERT_EQ(s.port_count, 3u);
  EXPECT_EQ(s.ports[0].first, 0x3f8u);
  EXPECT_EQ(s.ports[0].count, 8u);
  EXPECT_EQ(s.ports[1].first, 1024u);
  EXPECT_EQ(s.ports[1].count, 8u);
  EXPECT_EQ(s.ports[2].first, 1u);
}

TEST(ManifestParse, AcceptsKeysInAnyOrder) {
  Parsed parsed = parse_string(
      "server x restart=yes control=no modules=a memory=vga irqs=5 ports=1:1 "
      "priority=0\n");
  ASSERT_TRUE(parsed.result.ok());
  const Server& s = parsed.manifest->servers[0];
  EXPECT_TRUE(s.restart);
  EXPECT_FALSE(s.control);
  EXPECT_EQ(s.module_count, 1u);
  EXPECT_TRUE(s.vga_memory);
  EXPECT_EQ(s.irqs[0], 5);
  EXPECT_EQ(s.ports[0].first, 1u);
  EXPECT_EQ(s.priority, 0);
}

TEST(ManifestParse, ReportsSuccessThroughTheErrorToo) {
  Parsed parsed = parse_string("server vga\n");
  ASSERT_TRUE(parsed.result.ok());
  EXPECT_EQ(parsed.error.line, 0u);
  EXPECT_STREQ(parsed.error.reason, "ok");
}

TEST(ManifestFind, FindsServersByExactModuleName) {
  Parsed parsed = parse_string(kGood);
  ASSERT_TRUE(parsed.result.ok());
  const Manifest& m = *parsed.manifest;
  EXPECT_EQ(find(m, "vga"), &m.servers[0]);
  EXPECT_EQ(find(m, "memd"), &m.servers[4]);
  EXPECT_EQ(find(m, "serial"), &m.servers[2]);
  EXPECT_EQ(find(m, "seria"), nullptr);
  EXPECT_EQ(find(m, "serial2"), nullptr);
  EXPECT_EQ(find(m, ""), nullptr);
  EXPECT_EQ(find(m, nullptr), nullptr);
  EXPECT_EQ(find(m, "hello"), nullptr);  // a granted module, not a server
}

TEST(ManifestFind, FindsNothingInAFailedManifest) {
  Parsed parsed = parse_string("server vga\nserver bad priority=99\n");
  ASSERT_FALSE(parsed.result.ok());
  EXPECT_EQ(parsed.manifest->server_count, 0u);
  EXPECT_EQ(find(*parsed.manifest, "vga"), nullptr);
}

}  // namespace
}  // namespace bm::manifest
