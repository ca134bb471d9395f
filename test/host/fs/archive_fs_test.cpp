// Host tests for ArchiveFs (lib/fs/archive_fs): the read-only tree over an initrd, and the
// tree checks of mount().
#include "lib/fs/archive_fs.h"

#include <gtest/gtest.h>

#include <string>

#include "test/host/fs/tar_builder.h"

namespace bm::fs {
namespace {

using testing::Bytes;
using testing::TarBuilder;

RelativePath rel(const char* text) {
  return {text, static_cast<uint32_t>(std::char_traits<char>::length(text))};
}

Bytes initrd() {
  TarBuilder tar;
  tar.file("motd", "Welcome\n");
  tar.directory("docs/");
  tar.file("docs/a.md", "alpha");
  tar.directory("docs/deep/");
  tar.file("docs/deep/z.txt", std::string(5000, 'z'));
  tar.file("docs/b.md", "beta");
  tar.directory("bin/");
  return tar.finish();
}

class ArchiveFsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    uint64_t where = 0;
    ASSERT_EQ(fs.mount(archive.data(), archive.size(), &where), UstarError::kOk);
  }
  std::string entry_name(const char* path, uint64_t index) {
    auto entry = fs.read_directory(rel(path), index);
    EXPECT_TRUE(entry.ok());
    if (!entry.ok() || entry->info.type == NodeType::kNone) return "<end>";
    return std::string(entry->name, entry->name_length);
  }

  Bytes archive = initrd();
  ArchiveFs fs;
};

TEST_F(ArchiveFsTest, LooksUpFilesAndDirectories) {
  auto motd = fs.lookup(rel("motd"));
  ASSERT_TRUE(motd.ok());
  EXPECT_EQ(motd->type, NodeType::kFile);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(motd->data), motd->size), "Welcome\n");
  auto deep = fs.lookup(rel("docs/deep/z.txt"));
  ASSERT_TRUE(deep.ok());
  EXPECT_EQ(deep->size, 5000u);
  EXPECT_EQ(fs.lookup(rel("docs"))->type, NodeType::kDirectory);
  EXPECT_EQ(fs.lookup(rel(""))->type, NodeType::kDirectory);
}

TEST_F(ArchiveFsTest, MissingAndThroughAFile) {
  EXPECT_EQ(fs.lookup(rel("nope")).error(), FsError::kNotFound);
  EXPECT_EQ(fs.lookup(rel("docs/nope")).error(), FsError::kNotFound);
  EXPECT_EQ(fs.lookup(rel("nope/deeper")).error(), FsError::kNotFound);
  EXPECT_EQ(fs.lookup(rel("motd/x")).error(), FsError::kNotADirectory);
  EXPECT_EQ(fs.lookup(rel("docs/a.md/x/y")).error(), FsError::kNotADirectory);
  EXPECT_EQ(fs.lookup(rel("doc")).error(), FsError::kNotFound);  // a prefix of a name
}

TEST_F(ArchiveFsTest, ListsEachDirectoryInArchiveOrder) {
  EXPECT_EQ(entry_name("", 0), "motd");
  EXPECT_EQ(entry_name("", 1), "docs");
  EXPECT_EQ(entry_name("", 2), "bin");
  EXPECT_EQ(entry_name("", 3), "<end>");
  EXPECT_EQ(entry_name("docs", 0), "a.md");
  EXPECT_EQ(entry_name("docs", 1), "deep");
  EXPECT_EQ(entry_name("docs", 2), "b.md");
  EXPECT_EQ(entry_name("docs", 3), "<end>");
  EXPECT_EQ(entry_name("docs/deep", 0), "z.txt");
  EXPECT_EQ(entry_name("bin", 0), "<end>");
  EXPECT_EQ(entry_name("", ~0ull), "<end>");
}

TEST_F(ArchiveFsTest, EntriesCarryTypeAndSize) {
  auto docs = fs.read_directory(rel(""), 1);
  ASSERT_TRUE(docs.ok());
  EXPECT_EQ(docs->info.type, NodeType::kDirectory);
  EXPECT_EQ(docs->info.size, 3u);  // a directory's size: its entries
  auto motd = fs.read_directory(rel(""), 0);
  EXPECT_EQ(motd->info.type, NodeType::kFile);
  EXPECT_EQ(motd->info.size, 8u);
  EXPECT_EQ(fs.read_directory(rel("motd"), 0).error(), FsError::kNotADirectory);
  EXPECT_EQ(fs.read_directory(rel("nope"), 0).error(), FsError::kNotFound);
}

TEST_F(ArchiveFsTest, StatGivesFileBytesAndDirectoryEntries) {
  EXPECT_EQ(fs.stat(rel(""))->size, 3u);
  EXPECT_EQ(fs.stat(rel("docs/deep"))->size, 1u);
  EXPECT_EQ(fs.stat(rel("docs/deep/z.txt"))->size, 5000u);
  EXPECT_EQ(fs.stat(rel("bin"))->type, NodeType::kDirectory);
  EXPECT_EQ(fs.stat(rel("zzz")).error(), FsError::kNotFound);
}

UstarError mount(const Bytes& archive, uint64_t* where = nullptr) {
  ArchiveFs fs;
  uint64_t offset = 0;
  UstarError error = fs.mount(archive.data(), archive.size(), &offset);
  if (where != nullptr) *where = offset;
  return error;
}

TEST(ArchiveFsMount, EveryDirectoryComesBeforeWhatItHolds) {
  TarBuilder missing;
  missing.file("docs/a.md", "a");
  uint64_t where = 1;
  EXPECT_EQ(mount(missing.finish(), &where), UstarError::kMalformed);
  EXPECT_EQ(where, 0u);
  TarBuilder late;
  late.file("motd", "m");
  size_t header = late.file("docs/a.md", "a");
  late.directory("docs/");
  EXPECT_EQ(mount(late.finish(), &where), UstarError::kMalformed);
  EXPECT_EQ(where, header);
  TarBuilder under_a_file;
  under_a_file.file("motd", "m");
  under_a_file.file("motd/x", "x");
  EXPECT_EQ(mount(under_a_file.finish()), UstarError::kMalformed);
}

TEST(ArchiveFsMount, NoPathTwice) {
  TarBuilder twice;
  twice.file("motd", "1");
  twice.file("./motd", "2");
  EXPECT_EQ(mount(twice.finish()), UstarError::kMalformed);
  TarBuilder dir_twice;
  dir_twice.directory("d/");
  dir_twice.directory("d");
  EXPECT_EQ(mount(dir_twice.finish()), UstarError::kMalformed);
}

// The tree check remembers kMaxEntries entries: one more is refused at its own header, and
// a full archive still finds every file and catches a late duplicate.
TEST(ArchiveFsMount, AsManyEntriesAsItCanCheckAndNoMore) {
  TarBuilder full;
  full.directory("d/");
  for (size_t i = 1; i < ArchiveFs::kMaxEntries; ++i) {
    full.file(("d/f" + std::to_string(i)).c_str(), std::to_string(i));
  }
  Bytes archive = full.finish();
  ArchiveFs fs;
  uint64_t where = 0;
  ASSERT_EQ(fs.mount(archive.data(), archive.size(), &where), UstarError::kOk);
  EXPECT_EQ(fs.stat(rel("d"))->size, ArchiveFs::kMaxEntries - 1);
  auto last = fs.lookup(rel("d/f1023"));
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(last->data), last->size), "1023");

  TarBuilder over;
  over.directory("d/");
  for (size_t i = 1; i < ArchiveFs::kMaxEntries; ++i) {
    over.file(("d/f" + std::to_string(i)).c_str(), "x");
  }
  size_t extra = over.file("d/one-too-many", "x");
  EXPECT_EQ(mount(over.finish(), &where), UstarError::kTooManyEntries);
  EXPECT_EQ(where, extra);

  TarBuilder late_twin;
  late_twin.directory("d/");
  for (size_t i = 1; i < 600; ++i) late_twin.file(("d/f" + std::to_string(i)).c_str(), "x");
  size_t twin = late_twin.file("d/f7", "again");
  EXPECT_EQ(mount(late_twin.finish(), &where), UstarError::kMalformed);
  EXPECT_EQ(where, twin);
}

TEST(ArchiveFsMount, AFailedMountIsAnEmptyRoot) {
  Bytes archive = initrd();
  archive[3] ^= 1;  // motd's checksum
  ArchiveFs fs;
  uint64_t where = 99;
  EXPECT_EQ(fs.mount(archive.data(), archive.size(), &where), UstarError::kBadChecksum);
  EXPECT_EQ(where, 0u);
  EXPECT_EQ(fs.lookup(rel("motd")).error(), FsError::kNotFound);
  EXPECT_EQ(fs.stat(rel(""))->size, 0u);
  EXPECT_EQ(fs.read_directory(rel(""), 0)->info.type, NodeType::kNone);
}

TEST(ArchiveFsMount, NothingMountedIsAnEmptyRootToo) {
  ArchiveFs fs;
  EXPECT_EQ(fs.stat(rel(""))->type, NodeType::kDirectory);
  EXPECT_EQ(fs.lookup(rel("x")).error(), FsError::kNotFound);
}

}  // namespace
}  // namespace bm::fs
