// Host tests for tmpfs (lib/fs/tmpfs): every operation and its errors, the byte limit, files
// removed while open, rename's cases, and that every byte of memory comes back.
#include "lib/fs/tmpfs.h"

#include <gtest/gtest.h>

#include <string>

#include "test/host/fs/checked_memory.h"

namespace bm::fs {
namespace {

RelativePath rel(const char* text) {
  return {text, static_cast<uint32_t>(std::char_traits<char>::length(text))};
}

class TmpfsTest : public ::testing::Test {
 protected:
  // Declared first, so it outlives the tmpfs and checks what the tmpfs gave back.
  testing::CheckedMemory memory;
  Tmpfs fs{memory, 1 << 20};

  TmpNode* open(const char* path, OpenOptions options = {}) {
    auto node = fs.open(rel(path), options);
    EXPECT_TRUE(node.ok()) << path << ": " << fs_error_text(node.error());
    return node.ok() ? *node : nullptr;
  }
  TmpNode* create(const char* path) { return open(path, {true, false, false}); }
  FsError open_error(const char* path, OpenOptions options = {}) {
    auto node = fs.open(rel(path), options);
    if (node.ok()) fs.close(*node);
    return node.error();
  }
  void write(TmpNode* node, uint64_t offset, const std::string& bytes) {
    auto written = fs.write(node, offset, reinterpret_cast<const uint8_t*>(bytes.data()),
                            static_cast<uint32_t>(bytes.size()));
    ASSERT_TRUE(written.ok()) << fs_error_text(written.error());
    EXPECT_EQ(*written, bytes.size());
  }
  std::string read(const TmpNode* node, uint64_t offset, uint32_t length) {
    std::string out(length, '?');
    auto count = fs.read(node, offset, reinterpret_cast<uint8_t*>(out.data()), length);
    EXPECT_TRUE(count.ok());
    out.resize(count.value_or(0));
    return out;
  }
  void make_file(const char* path, const std::string& contents) {
    TmpNode* node = create(path);
    ASSERT_NE(node, nullptr);
    write(node, 0, contents);
    fs.close(node);
  }
  std::string contents(const char* path) {
    TmpNode* node = open(path);
    if (node == nullptr) return "<missing>";
    std::string text = read(node, 0, 1 << 16);
    fs.close(node);
    return text;
  }
  std::string names(const char* path) {
    std::string listing;
    for (uint64_t i = 0;; ++i) {
      auto entry = fs.read_directory(rel(path), i);
      if (!entry.ok()) return std::string("error: ") + fs_error_text(entry.error());
      if (entry->info.type == NodeType::kNone) return listing;
      if (!listing.empty()) listing += " ";
      listing += std::string(entry->name, entry->name_length);
      if (entry->info.type == NodeType::kDirectory) listing += "/";
    }
  }
};

TEST_F(TmpfsTest, StartsAsAnEmptyRootUsingNothing) {
  EXPECT_EQ(names(""), "");
  EXPECT_EQ(fs.stat(rel(""))->type, NodeType::kDirectory);
  EXPECT_EQ(fs.used_bytes(), 0u);
  EXPECT_EQ(fs.byte_limit(), 1u << 20);
  EXPECT_EQ(memory.blocks_out(), 0u);
}

TEST_F(TmpfsTest, CreateWriteReadBack) {
  TmpNode* node = create("notes");
  write(node, 0, "hello");
  write(node, 5, ", world");
  EXPECT_EQ(read(node, 0, 100), "hello, world");
  EXPECT_EQ(read(node, 7, 3), "wor");
  EXPECT_EQ(read(node, 12, 10), "");
  EXPECT_EQ(read(node, 1000, 10), "");
  EXPECT_EQ(fs.info(node).size, 12u);
  write(node, 0, "J");
  EXPECT_EQ(read(node, 0, 5), "Jello");
  fs.close(node);
  EXPECT_EQ(contents("notes"), "Jello, world");
  EXPECT_EQ(fs.stat(rel("notes"))->size, 12u);
}

TEST_F(TmpfsTest, WritingPastTheEndLeavesZeroes) {
  TmpNode* node = create("sparse");
  write(node, 10, "x");
  EXPECT_EQ(read(node, 0, 20), std::string(10, '\0') + "x");
  write(node, 5000, "y");  // a new buffer: the copy and the gap are right
  std::string all = read(node, 0, 6000);
  ASSERT_EQ(all.size(), 5001u);
  EXPECT_EQ(all, std::string(10, '\0') + "x" + std::string(4989, '\0') + "y");
  fs.close(node);
}

TEST_F(TmpfsTest, AWriteOfNothingChangesNothing) {
  TmpNode* node = create("empty");
  auto written = fs.write(node, 100, nullptr, 0);
  ASSERT_TRUE(written.ok());
  EXPECT_EQ(*written, 0u);
  EXPECT_EQ(fs.info(node).size, 0u);
  fs.close(node);
}

TEST_F(TmpfsTest, OpenOptions) {
  EXPECT_EQ(open_error("missing"), FsError::kNotFound);
  make_file("file", "content");
  EXPECT_EQ(open_error("file", {true, true, false}), FsError::kExists);
  EXPECT_EQ(open_error("file", {true, false, false}), FsError::kOk);  // create opens it too
  EXPECT_EQ(contents("file"), "content");
  TmpNode* truncated = open("file", {false, false, true});
  EXPECT_EQ(fs.info(truncated).size, 0u);
  fs.close(truncated);
  EXPECT_EQ(contents("file"), "");
  EXPECT_EQ(open_error("new", {true, true, true}), FsError::kOk);
  EXPECT_EQ(names(""), "file new");
}

TEST_F(TmpfsTest, DirectoriesOpenButNotAsFiles) {
  ASSERT_TRUE(fs.make_directory(rel("dir")).ok());
  TmpNode* dir = open("dir");
  EXPECT_EQ(fs.info(dir).type, NodeType::kDirectory);
  uint8_t byte = 0;
  EXPECT_EQ(fs.read(dir, 0, &byte, 1).error(), FsError::kIsADirectory);
  EXPECT_EQ(fs.write(dir, 0, &byte, 1).error(), FsError::kIsADirectory);
  fs.close(dir);
  EXPECT_EQ(open_error("dir", {true, false, false}), FsError::kIsADirectory);
  EXPECT_EQ(open_error("dir", {false, false, true}), FsError::kIsADirectory);
  EXPECT_EQ(open_error("", {true, false, false}), FsError::kIsADirectory);
  TmpNode* root = open("");
  EXPECT_EQ(fs.info(root).size, 1u);
  fs.close(root);
}

TEST_F(TmpfsTest, PathsThroughFilesAndMissingDirectories) {
  make_file("file", "x");
  EXPECT_EQ(open_error("file/x"), FsError::kNotADirectory);
  EXPECT_EQ(open_error("file/x", {true, false, false}), FsError::kNotADirectory);
  EXPECT_EQ(open_error("nodir/x", {true, false, false}), FsError::kNotFound);
  EXPECT_EQ(fs.make_directory(rel("file/d")).error(), FsError::kNotADirectory);
  EXPECT_EQ(fs.make_directory(rel("nodir/d")).error(), FsError::kNotFound);
  EXPECT_EQ(fs.stat(rel("file/x")).error(), FsError::kNotADirectory);
  EXPECT_EQ(fs.read_directory(rel("file"), 0).error(), FsError::kNotADirectory);
  EXPECT_EQ(fs.read_directory(rel("nodir"), 0).error(), FsError::kNotFound);
}

TEST_F(TmpfsTest, MakeDirectories) {
  ASSERT_TRUE(fs.make_directory(rel("a")).ok());
  ASSERT_TRUE(fs.make_directory(rel("a/b")).ok());
  ASSERT_TRUE(fs.make_directory(rel("a/b/c")).ok());
  make_file("a/b/c/f", "deep");
  EXPECT_EQ(contents("a/b/c/f"), "deep");
  EXPECT_EQ(fs.make_directory(rel("a")).error(), FsError::kExists);
  EXPECT_EQ(fs.make_directory(rel("a/b/c/f")).error(), FsError::kExists);
  EXPECT_EQ(fs.make_directory(rel("")).error(), FsError::kExists);
  EXPECT_EQ(names("a"), "b/");
  EXPECT_EQ(fs.stat(rel("a/b"))->size, 1u);
}

TEST_F(TmpfsTest, ListsInTheOrderEntriesCameIn) {
  make_file("c", "");
  ASSERT_TRUE(fs.make_directory(rel("a")).ok());
  make_file("b", "bb");
  EXPECT_EQ(names(""), "c a/ b");
  auto entry = fs.read_directory(rel(""), 2);
  EXPECT_EQ(entry->info.type, NodeType::kFile);
  EXPECT_EQ(entry->info.size, 2u);
  EXPECT_EQ(fs.read_directory(rel(""), 3)->info.type, NodeType::kNone);
  EXPECT_EQ(fs.read_directory(rel(""), ~0ull)->info.type, NodeType::kNone);
  ASSERT_TRUE(fs.remove(rel("c")).ok());
  EXPECT_EQ(names(""), "a/ b");
  ASSERT_TRUE(fs.rename(rel("a"), rel("z")).ok());
  EXPECT_EQ(names(""), "b z/");  // moved in last
}

TEST_F(TmpfsTest, RemoveFilesAndEmptyDirectories) {
  make_file("f", "data");
  ASSERT_TRUE(fs.make_directory(rel("d")).ok());
  make_file("d/inner", "x");
  EXPECT_EQ(fs.remove(rel("d")).error(), FsError::kNotEmpty);
  ASSERT_TRUE(fs.remove(rel("d/inner")).ok());
  ASSERT_TRUE(fs.remove(rel("d")).ok());
  ASSERT_TRUE(fs.remove(rel("f")).ok());
  EXPECT_EQ(fs.remove(rel("f")).error(), FsError::kNotFound);
  EXPECT_EQ(fs.remove(rel("")).error(), FsError::kNotPermitted);
  EXPECT_EQ(fs.remove(rel("x/y")).error(), FsError::kNotFound);
  EXPECT_EQ(names(""), "");
  EXPECT_EQ(fs.used_bytes(), 0u);
  EXPECT_EQ(memory.blocks_out(), 0u);
}

TEST_F(TmpfsTest, ARemovedFileLivesUntilItsLastClose) {
  TmpNode* writer = create("log");
  write(writer, 0, "first");
  TmpNode* reader = open("log");
  ASSERT_TRUE(fs.remove(rel("log")).ok());
  EXPECT_EQ(fs.stat(rel("log")).error(), FsError::kNotFound);
  EXPECT_EQ(names(""), "");
  // Both opens still reach the data, and writing goes on.
  write(writer, 5, " second");
  EXPECT_EQ(read(reader, 0, 100), "first second");
  EXPECT_GT(fs.used_bytes(), Tmpfs::kNodeCost);  // still counted
  // A new file of the same name is another file.
  make_file("log", "new");
  EXPECT_EQ(read(reader, 0, 100), "first second");
  fs.close(writer);
  EXPECT_EQ(read(reader, 0, 5), "first");
  uint64_t used = fs.used_bytes();
  size_t blocks = memory.blocks_out();
  fs.close(reader);
  EXPECT_EQ(memory.blocks_out(), blocks - 2);  // its node and its buffer
  EXPECT_LT(fs.used_bytes(), used);
  EXPECT_EQ(contents("log"), "new");
}

TEST_F(TmpfsTest, ARemovedEmptyDirectoryLivesUntilItsLastCloseToo) {
  ASSERT_TRUE(fs.make_directory(rel("d")).ok());
  TmpNode* dir = open("d");
  ASSERT_TRUE(fs.remove(rel("d")).ok());
  EXPECT_EQ(fs.info(dir).type, NodeType::kDirectory);
  EXPECT_EQ(fs.used_bytes(), Tmpfs::kNodeCost);
  fs.close(dir);
  EXPECT_EQ(fs.used_bytes(), 0u);
}

TEST_F(TmpfsTest, RenameFilesWithinAndAcrossDirectories) {
  make_file("a", "A");
  ASSERT_TRUE(fs.make_directory(rel("d")).ok());
  ASSERT_TRUE(fs.rename(rel("a"), rel("b")).ok());
  EXPECT_EQ(contents("b"), "A");
  EXPECT_EQ(fs.stat(rel("a")).error(), FsError::kNotFound);
  ASSERT_TRUE(fs.rename(rel("b"), rel("d/c")).ok());
  EXPECT_EQ(contents("d/c"), "A");
  EXPECT_EQ(names(""), "d/");
  ASSERT_TRUE(fs.rename(rel("d/c"), rel("d/c")).ok());  // onto itself: nothing happens
  EXPECT_EQ(contents("d/c"), "A");
}

TEST_F(TmpfsTest, RenameReplacesAFileAndKeepsItAliveForItsOpens) {
  make_file("old", "old data");
  make_file("new", "new data");
  TmpNode* held = open("old");
  ASSERT_TRUE(fs.rename(rel("new"), rel("old")).ok());
  EXPECT_EQ(contents("old"), "new data");
  EXPECT_EQ(fs.stat(rel("new")).error(), FsError::kNotFound);
  EXPECT_EQ(read(held, 0, 100), "old data");
  fs.close(held);
  EXPECT_EQ(names(""), "old");
}

TEST_F(TmpfsTest, RenameDirectories) {
  ASSERT_TRUE(fs.make_directory(rel("src")).ok());
  make_file("src/f", "f");
  ASSERT_TRUE(fs.make_directory(rel("empty")).ok());
  ASSERT_TRUE(fs.make_directory(rel("full")).ok());
  make_file("full/x", "x");
  EXPECT_EQ(fs.rename(rel("src"), rel("full")).error(), FsError::kNotEmpty);
  ASSERT_TRUE(fs.rename(rel("src"), rel("empty")).ok());  // replaces the empty one
  EXPECT_EQ(contents("empty/f"), "f");
  EXPECT_EQ(names(""), "full/ empty/");
  ASSERT_TRUE(fs.rename(rel("empty"), rel("full/moved")).ok());
  EXPECT_EQ(contents("full/moved/f"), "f");
}

TEST_F(TmpfsTest, RenameRefusesWhatPosixRefuses) {
  ASSERT_TRUE(fs.make_directory(rel("d")).ok());
  ASSERT_TRUE(fs.make_directory(rel("d/sub")).ok());
  make_file("f", "f");
  EXPECT_EQ(fs.rename(rel("d"), rel("d/sub/inside")).error(), FsError::kBadPath);
  EXPECT_EQ(fs.rename(rel("d"), rel("d/x")).error(), FsError::kBadPath);
  EXPECT_EQ(fs.rename(rel("f"), rel("d")).error(), FsError::kIsADirectory);
  EXPECT_EQ(fs.rename(rel("d/sub"), rel("f")).error(), FsError::kNotADirectory);
  EXPECT_EQ(fs.rename(rel("missing"), rel("x")).error(), FsError::kNotFound);
  EXPECT_EQ(fs.rename(rel("f"), rel("nodir/x")).error(), FsError::kNotFound);
  EXPECT_EQ(fs.rename(rel("f"), rel("f/x")).error(), FsError::kNotADirectory);
  EXPECT_EQ(fs.rename(rel(""), rel("x")).error(), FsError::kNotPermitted);
  EXPECT_EQ(fs.rename(rel("f"), rel("")).error(), FsError::kNotPermitted);
  // "d2" starts like "d" but is not inside it.
  ASSERT_TRUE(fs.rename(rel("d"), rel("d2")).ok());
  EXPECT_EQ(names(""), "f d2/");
  EXPECT_EQ(contents("f"), "f");  // nothing refused changed anything
}

TEST_F(TmpfsTest, AnOpenNodeFollowsARename) {
  TmpNode* node = create("a");
  write(node, 0, "moving");
  ASSERT_TRUE(fs.rename(rel("a"), rel("b")).ok());
  write(node, 6, "!");
  fs.close(node);
  EXPECT_EQ(contents("b"), "moving!");
}

TEST(TmpfsLimit, NodesAndDataCountAgainstTheLimit) {
  testing::CheckedMemory memory;
  Tmpfs fs(memory, 4 * Tmpfs::kNodeCost + 1024);
  auto made = fs.open(rel("f"), {true, false, false});
  ASSERT_TRUE(made.ok());
  TmpNode* file = *made;
  EXPECT_EQ(fs.used_bytes(), Tmpfs::kNodeCost);
  std::string kilobyte(1024, 'k');
  auto bytes = reinterpret_cast<const uint8_t*>(kilobyte.data());
  ASSERT_TRUE(fs.write(file, 0, bytes, 1024).ok());
  EXPECT_EQ(fs.used_bytes(), Tmpfs::kNodeCost + 1024);
  EXPECT_TRUE(fs.make_directory(rel("d1")).ok());
  EXPECT_TRUE(fs.make_directory(rel("d2")).ok());
  EXPECT_TRUE(fs.make_directory(rel("d3")).ok());
  EXPECT_EQ(fs.used_bytes(), fs.byte_limit());
  EXPECT_EQ(fs.make_directory(rel("d4")).error(), FsError::kNoSpace);
  EXPECT_EQ(fs.open(rel("g"), {true, false, false}).error(), FsError::kNoSpace);
  EXPECT_EQ(fs.write(file, 1024, bytes, 1).error(), FsError::kNoSpace);
  EXPECT_EQ(fs.info(file).size, 1024u);  // a refused write changes nothing
  // Writing over what is there needs no room.
  ASSERT_TRUE(fs.write(file, 0, bytes, 1024).ok());
  // Freeing makes room again.
  ASSERT_TRUE(fs.remove(rel("d1")).ok());
  EXPECT_TRUE(fs.make_directory(rel("d4")).ok());
  fs.close(file);
}

TEST(TmpfsLimit, GrowthFallsBackFromDoublingToWhatFits) {
  testing::CheckedMemory memory;
  Tmpfs fs(memory, Tmpfs::kNodeCost + 3000);
  TmpNode* file = *fs.open(rel("f"), {true, false, false});
  std::string bytes(2000, 'b');
  auto data = reinterpret_cast<const uint8_t*>(bytes.data());
  ASSERT_TRUE(fs.write(file, 0, data, 2000).ok());
  // Doubling 2048 would pass the limit; 2944 (46 granules) fits.
  ASSERT_TRUE(fs.write(file, 2000, data, 900).ok());
  EXPECT_EQ(fs.info(file).size, 2900u);
  EXPECT_LE(fs.used_bytes(), fs.byte_limit());
  EXPECT_EQ(fs.write(file, 2900, data, 100).error(), FsError::kNoSpace);
  ASSERT_TRUE(fs.write(file, 2900, data, 44).ok());  // the last granule's room
  fs.close(file);
}

TEST(TmpfsLimit, HugeOffsetsAreNoSpaceNotOverflow) {
  testing::CheckedMemory memory;
  Tmpfs fs(memory, 1 << 20);
  TmpNode* file = *fs.open(rel("f"), {true, false, false});
  uint8_t byte = 1;
  EXPECT_EQ(fs.write(file, ~0ull, &byte, 1).error(), FsError::kNoSpace);
  uint8_t two[2] = {1, 2};
  EXPECT_EQ(fs.write(file, (1 << 20) - 1, two, 2).error(), FsError::kNoSpace);
  EXPECT_EQ(fs.write(file, 1 << 20, &byte, 1).error(), FsError::kNoSpace);
  EXPECT_EQ(fs.info(file).size, 0u);
  uint8_t out = 0;
  EXPECT_EQ(*fs.read(file, ~0ull, &out, 1), 0u);
  fs.close(file);
}

TEST(TmpfsLimit, MemoryRunningOutIsNoSpaceAndChangesNothing) {
  testing::CheckedMemory memory;
  Tmpfs fs(memory, 1 << 20);
  TmpNode* file = *fs.open(rel("f"), {true, false, false});
  uint64_t used = fs.used_bytes();
  memory.fail_from_now(true);
  uint8_t byte = 1;
  EXPECT_EQ(fs.write(file, 0, &byte, 1).error(), FsError::kNoSpace);
  EXPECT_EQ(fs.make_directory(rel("d")).error(), FsError::kNoSpace);
  EXPECT_EQ(fs.open(rel("g"), {true, false, false}).error(), FsError::kNoSpace);
  EXPECT_EQ(fs.used_bytes(), used);
  EXPECT_EQ(fs.stat(rel("d")).error(), FsError::kNotFound);
  memory.fail_from_now(false);
  EXPECT_TRUE(fs.write(file, 0, &byte, 1).ok());
  fs.close(file);
}

TEST(TmpfsLifetime, DestroyingFreesEverythingEvenWhatIsStillOpen) {
  testing::CheckedMemory memory;
  {
    Tmpfs fs(memory, 1 << 20);
    ASSERT_TRUE(fs.make_directory(rel("a")).ok());
    ASSERT_TRUE(fs.make_directory(rel("a/b")).ok());
    TmpNode* open_file = *fs.open(rel("a/b/f"), {true, false, false});
    uint8_t byte = 7;
    ASSERT_TRUE(fs.write(open_file, 100, &byte, 1).ok());
    TmpNode* removed = *fs.open(rel("gone"), {true, false, false});
    ASSERT_TRUE(fs.write(removed, 0, &byte, 1).ok());
    ASSERT_TRUE(fs.remove(rel("gone")).ok());
    EXPECT_GT(memory.blocks_out(), 0u);
  }
  EXPECT_EQ(memory.blocks_out(), 0u);
}

}  // namespace
}  // namespace bm::fs
