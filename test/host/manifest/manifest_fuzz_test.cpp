// Randomised robustness test: 10 000 mutations of a good manifest. The parser must never crash
// or read past the text (ASan), and whatever it accepts must lie within every documented limit.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "lib/manifest/manifest.h"
#include "test/host/manifest/manifest_test_support.h"

namespace bm::manifest {
namespace {

constexpr const char* kSeed =
    "# servers\n"
    "server vga priority=12 ports=0x3d4:2 memory=vga restart=yes\r\n"
    "server keyboard ports=0x60:1,0x64:1 irqs=1 priority=10\n"
    "\n"
    "server serial priority=9 ports=0x3f8:8 irqs=4,3 restart=no   # COM1\n"
    "\tserver shell priority=4 modules=hello,ps,ls,cat\n"
    "server memd ports=65535:1,0:1 irqs=15,14,13,12\n";

// Bytes that matter to the grammar, so mutations often produce near-valid text.
constexpr char kInteresting[] =
    "0123456789abcfxyz_-=,:# \t\r\n\0\xff"
    "AZ.";

bool valid_name(const char (&name)[kNameLength]) {
  size_t length = 0;
  while (length < kNameLength && name[length] != '\0') {
    char c = name[length];
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) return false;
    ++length;
  }
  return length >= 1 && length < kNameLength;
}

void expect_within_limits(const Manifest& m) {
  ASSERT_LE(m.server_count, kMaxServers);
  for (size_t s = 0; s < m.server_count; ++s) {
    const Server& server = m.servers[s];
    EXPECT_TRUE(valid_name(server.module));
    EXPECT_LE(server.priority, kMaxPriority);
    ASSERT_LE(server.port_count, kMaxPortRanges);
    for (size_t i = 0; i < server.port_count; ++i) {
      EXPECT_GE(server.ports[i].count, 1u);
      EXPECT_LE(server.ports[i].first, 65535u);
      EXPECT_LE(uint64_t{server.ports[i].first} + server.ports[i].count, 65536u);
    }
    ASSERT_LE(server.irq_count, kMaxIrqs);
    for (size_t i = 0; i < server.irq_count; ++i) {
      EXPECT_GE(server.irqs[i], 1);
      EXPECT_LE(server.irqs[i], 15);
      EXPECT_NE(server.irqs[i], 2);
    }
    ASSERT_LE(server.module_count, kMaxModules);
    for (size_t i = 0; i < server.module_count; ++i) EXPECT_TRUE(valid_name(server.modules[i]));
    for (size_t other = 0; other < s; ++other) {
      EXPECT_STRNE(m.servers[other].module, server.module);
    }
    EXPECT_EQ(find(m, server.module), &server);
  }
}

std::string mutate(std::string text, std::mt19937& random) {
  auto pick = [&random](size_t bound) {  // 0..bound-1; bound 0 gives 0
    return bound == 0 ? size_t{0} : std::uniform_int_distribution<size_t>(0, bound - 1)(random);
  };
  auto any_byte = [&]() {
    return pick(4) == 0 ? static_cast<char>(pick(256))
                        : kInteresting[pick(sizeof(kInteresting) - 1)];
  };
  size_t mutations = 1 + pick(4);
  for (size_t n = 0; n < mutations; ++n) {
    switch (pick(6)) {
      case 0:  // replace a byte
        if (!text.empty()) text[pick(text.size())] = any_byte();
        break;
      case 1:  // insert a byte
        text.insert(text.begin() + static_cast<ptrdiff_t>(pick(text.size() + 1)), any_byte());
        break;
      case 2:  // delete a run of bytes
        if (!text.empty()) {
          size_t at = pick(text.size());
          text.erase(at, 1 + pick(8));
        }
        break;
      case 3: {  // duplicate a span somewhere else (repeats keys, lines and list items)
        if (text.empty()) break;
        size_t at = pick(text.size());
        std::string span = text.substr(at, 1 + pick(80));
        text.insert(pick(text.size() + 1), span);
        break;
      }
      case 4:  // cut the text short
        text.resize(pick(text.size() + 1));
        break;
      default: {  // splice in a long digit string (overflow) or a long word (length limits)
        std::string run(1 + pick(40), pick(2) == 0 ? '9' : 'a');
        text.insert(pick(text.size() + 1), run);
        break;
      }
    }
  }
  return text;
}

TEST(ManifestFuzz, MutatedManifestsNeverCrashAndStayWithinLimits) {
  ASSERT_TRUE(parse_string(kSeed).result.ok());
  std::mt19937 random(20240601);
  size_t accepted = 0;
  for (int iteration = 0; iteration < 10000; ++iteration) {
    std::string text = mutate(kSeed, random);
    Parsed parsed = parse_string(text);
    if (parsed.result.ok()) {
      ++accepted;
      expect_within_limits(*parsed.manifest);
    } else {
      Error e = parsed.result.error();
      EXPECT_TRUE(e == Error::kMalformed || e == Error::kOutOfRange) << error_name(e);
      EXPECT_GE(parsed.error.line, 1u);
      size_t lines = 1;
      for (char c : text) lines += c == '\n';
      EXPECT_LE(parsed.error.line, lines);
      ASSERT_NE(parsed.error.reason, nullptr);
      EXPECT_NE(parsed.error.reason[0], '\0');
      EXPECT_EQ(parsed.manifest->server_count, 0u);
    }
    if (testing::Test::HasFailure()) {
      ADD_FAILURE() << "iteration " << iteration << " text:\n" << text;
      break;
    }
  }
  // Both outcomes must actually be exercised for the test to mean anything.
  EXPECT_GT(accepted, 100u);
  EXPECT_LT(accepted, 9900u);
}

}  // namespace
}  // namespace bm::manifest
