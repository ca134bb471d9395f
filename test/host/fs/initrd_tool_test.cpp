// The initrd that tools/make_initrd.py writes, as the build will write /boot's, mounts with
// ArchiveFs and holds the files it was given, byte for byte: the Python tool and the C++
// reader agree on the format. The build makes the archive (test/host/fs/meson.build) and
// names it, and the source tree, in BM_TEST_INITRD and BM_SOURCE_ROOT.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "lib/fs/archive_fs.h"

namespace bm::fs {
namespace {

std::string file_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << path;
  return std::string(std::istreambuf_iterator<char>(in), {});
}

RelativePath rel(const char* text) {
  return {text, static_cast<uint32_t>(std::char_traits<char>::length(text))};
}

TEST(InitrdTool, ItsArchiveMountsAndHoldsItsFiles) {
  const char* archive_path = std::getenv("BM_TEST_INITRD");
  const char* source_root = std::getenv("BM_SOURCE_ROOT");
  if (archive_path == nullptr || source_root == nullptr) {
    GTEST_SKIP() << "run through meson test host-fs, which makes the archive";
  }
  std::string archive = file_text(archive_path);
  ArchiveFs fs;
  uint64_t where = 0;
  ASSERT_EQ(fs.mount(reinterpret_cast<const uint8_t*>(archive.data()), archive.size(), &where),
            UstarError::kOk)
      << "at offset " << where;
  struct Expected {
    const char* path;
    std::string source;
  };
  const Expected files[] = {{"motd", std::string(source_root) + "/README.md"},
                            {"docs/boot.md", std::string(source_root) + "/docs/boot.md"},
                            {"docs/protocols.md", std::string(source_root) + "/docs/protocols.md"}};
  for (const Expected& expected : files) {
    auto node = fs.lookup(rel(expected.path));
    ASSERT_TRUE(node.ok()) << expected.path;
    EXPECT_EQ(std::string(reinterpret_cast<const char*>(node->data), node->size),
              file_text(expected.source))
        << expected.path;
  }
  // Sorted, each directory before what it holds, and the empty one kept.
  std::string listing;
  for (uint64_t i = 0;; ++i) {
    auto entry = fs.read_directory(rel(""), i);
    ASSERT_TRUE(entry.ok());
    if (entry->info.type == NodeType::kNone) break;
    listing += std::string(entry->name, entry->name_length) + " ";
  }
  EXPECT_EQ(listing, "bin docs motd ");
  EXPECT_EQ(fs.stat(rel("docs"))->size, 2u);
  EXPECT_EQ(fs.stat(rel("bin"))->size, 0u);
}

}  // namespace
}  // namespace bm::fs
