// Host tests for lib/fs/path: resolving what clients write into normalised paths, the limits,
// and taking normalised paths apart.
#include "lib/fs/path.h"

#include <gtest/gtest.h>

#include <string>

namespace bm::fs {
namespace {

// The resolved text, or "error: <text>".
std::string resolved(const std::string& path, const std::string& base = "") {
  Path base_path;
  const Path* base_pointer = nullptr;
  if (!base.empty()) {
    EXPECT_EQ(resolve_path(base.data(), static_cast<uint32_t>(base.size()), nullptr, &base_path),
              FsError::kOk);
    base_pointer = &base_path;
  }
  Path out;
  FsError error = resolve_path(path.data(), static_cast<uint32_t>(path.size()), base_pointer, &out);
  if (error != FsError::kOk) return std::string("error: ") + fs_error_text(error);
  EXPECT_EQ(out.text[out.length], '\0');
  EXPECT_EQ(std::string(out.text), std::string(out.text, out.length));
  return std::string(out.text, out.length);
}

std::string text(RelativePath path) { return std::string(path.data, path.length); }
std::string text(Name name) { return std::string(name.data, name.length); }

TEST(ResolvePath, KeepsNormalPathsAsTheyAre) {
  EXPECT_EQ(resolved("/"), "/");
  EXPECT_EQ(resolved("/boot"), "/boot");
  EXPECT_EQ(resolved("/boot/docs/protocols.md"), "/boot/docs/protocols.md");
}

TEST(ResolvePath, DropsRepeatedAndTrailingSlashesAndDots) {
  EXPECT_EQ(resolved("//"), "/");
  EXPECT_EQ(resolved("///tmp//a///b//"), "/tmp/a/b");
  EXPECT_EQ(resolved("/tmp/"), "/tmp");
  EXPECT_EQ(resolved("/./tmp/./a/."), "/tmp/a");
  EXPECT_EQ(resolved("/."), "/");
}

TEST(ResolvePath, DotDotClimbsButNeverAboveTheRoot) {
  EXPECT_EQ(resolved("/tmp/a/.."), "/tmp");
  EXPECT_EQ(resolved("/tmp/a/../b"), "/tmp/b");
  EXPECT_EQ(resolved("/.."), "/");
  EXPECT_EQ(resolved("/../../.."), "/");
  EXPECT_EQ(resolved("/../tmp"), "/tmp");
  EXPECT_EQ(resolved("/tmp/../../boot/motd"), "/boot/motd");
  EXPECT_EQ(resolved("/a/b/c/../../../../../d"), "/d");
}

TEST(ResolvePath, NamesThatOnlyLookLikeDots) {
  EXPECT_EQ(resolved("/..."), "/...");
  EXPECT_EQ(resolved("/.hidden/..a/a.."), "/.hidden/..a/a..");
}

TEST(ResolvePath, RelativePathsNeedABase) {
  EXPECT_EQ(resolved("motd"), "error: bad path");
  EXPECT_EQ(resolved("motd", "/boot"), "/boot/motd");
  EXPECT_EQ(resolved("./docs/../motd", "/boot"), "/boot/motd");
  EXPECT_EQ(resolved("..", "/boot"), "/");
  EXPECT_EQ(resolved("../../..", "/boot/docs"), "/");
  EXPECT_EQ(resolved("a", "/"), "/a");
  EXPECT_EQ(resolved(".", "/tmp"), "/tmp");
  EXPECT_EQ(resolved("/tmp/x", "/boot"), "/tmp/x");  // absolute: the base does not matter
}

TEST(ResolvePath, RefusesEmptyPathsAndNulBytes) {
  EXPECT_EQ(resolved(""), "error: bad path");
  EXPECT_EQ(resolved(std::string("/tmp/a\0b", 8)), "error: bad path");
  EXPECT_EQ(resolved(std::string("\0", 1)), "error: bad path");
  EXPECT_EQ(resolved(std::string("/tmp/\0", 6)), "error: bad path");
}

TEST(ResolvePath, NamesUpTo63Bytes) {
  const std::string longest(kMaxNameLength, 'n');
  EXPECT_EQ(resolved("/tmp/" + longest), "/tmp/" + longest);
  EXPECT_EQ(resolved("/tmp/" + longest + "n"), "error: name too long");
  // Even a name that a later ".." would drop.
  EXPECT_EQ(resolved("/tmp/" + longest + "n/.."), "error: name too long");
}

TEST(ResolvePath, PathsUpTo255Bytes) {
  std::string path;
  while (path.size() + 11 <= kMaxPathLength) path += "/" + std::string(9, 'p');
  path += "/" + std::string(kMaxPathLength - path.size() - 1, 'q');
  ASSERT_EQ(path.size(), kMaxPathLength);
  EXPECT_EQ(resolved(path), path);
  EXPECT_EQ(resolved(path + "q"), "error: name too long");
  EXPECT_EQ(resolved(std::string(kMaxPathLength + 1, '/')), "error: name too long");
  // 255 bytes of input that resolve to something short are fine.
  EXPECT_EQ(resolved("/a" + std::string(kMaxPathLength - 2, '/')), "/a");
}

TEST(ResolvePath, TheResultMustFitEvenIfTheInputDoes) {
  std::string base;
  while (base.size() + 11 <= kMaxPathLength) base += "/" + std::string(9, 'b');
  std::string tail(60, 't');
  EXPECT_EQ(resolved(tail, base), "error: name too long");
  // A long base and a path that climbs out of it first: only the result counts.
  ASSERT_EQ(base.size(), 250u);
  EXPECT_EQ(resolved("../../../../../../" + tail, base).size(), 250u - 60 + 61);
}

TEST(ResolvePath, LeavesTheOutputAloneOnFailure) {
  Path out;
  out.text[0] = 'x';
  EXPECT_EQ(resolve_path("", 0, nullptr, &out), FsError::kBadPath);
  EXPECT_EQ(resolve_path("rel", 3, nullptr, &out), FsError::kBadPath);
  EXPECT_EQ(out.text[0], 'x');
}

TEST(NamesEqual, ComparesBytesAndLengths) {
  EXPECT_TRUE(names_equal({"tmp", 3}, {"tmpfs", 3}));
  EXPECT_FALSE(names_equal({"tmp", 3}, {"tmpfs", 5}));
  EXPECT_FALSE(names_equal({"tmp", 3}, {"tmq", 3}));
}

TEST(IsName, RefusesDotsSlashesNulsAndEmpty) {
  EXPECT_TRUE(is_name("motd", 4));
  EXPECT_TRUE(is_name("...", 3));
  EXPECT_FALSE(is_name("", 0));
  EXPECT_FALSE(is_name(".", 1));
  EXPECT_FALSE(is_name("..", 2));
  EXPECT_FALSE(is_name("a/b", 3));
  EXPECT_FALSE(is_name("a\0b", 3));
}

TEST(SplitFirst, TakesNamesFromTheFront) {
  Name first;
  RelativePath rest;
  ASSERT_TRUE(split_first({"boot/docs/a.md", 14}, &first, &rest));
  EXPECT_EQ(text(first), "boot");
  EXPECT_EQ(text(rest), "docs/a.md");
  ASSERT_TRUE(split_first(rest, &first, &rest));
  ASSERT_TRUE(split_first(rest, &first, &rest));
  EXPECT_EQ(text(first), "a.md");
  EXPECT_TRUE(rest.empty());
  EXPECT_FALSE(split_first(rest, &first, &rest));
}

TEST(SplitLast, TakesTheLastName) {
  RelativePath parent;
  Name last;
  ASSERT_TRUE(split_last({"a/b/c", 5}, &parent, &last));
  EXPECT_EQ(text(parent), "a/b");
  EXPECT_EQ(text(last), "c");
  ASSERT_TRUE(split_last({"c", 1}, &parent, &last));
  EXPECT_TRUE(parent.empty());
  EXPECT_EQ(text(last), "c");
  EXPECT_FALSE(split_last({}, &parent, &last));
}

TEST(IsWithin, WholeNamesOnly) {
  EXPECT_TRUE(is_within({"a/b", 3}, {"a", 1}));
  EXPECT_TRUE(is_within({"a", 1}, {"a", 1}));
  EXPECT_TRUE(is_within({"a", 1}, {}));
  EXPECT_FALSE(is_within({"ab", 2}, {"a", 1}));
  EXPECT_FALSE(is_within({"a", 1}, {"a/b", 3}));
  EXPECT_FALSE(is_within({"b/a", 3}, {"a", 1}));
}

TEST(Path, RootAndRelativeView) {
  Path root;
  EXPECT_TRUE(root.is_root());
  EXPECT_TRUE(root.relative().empty());
  Path path;
  ASSERT_EQ(resolve_path("/tmp/x", 6, nullptr, &path), FsError::kOk);
  EXPECT_FALSE(path.is_root());
  EXPECT_EQ(text(path.relative()), "tmp/x");
}

}  // namespace
}  // namespace bm::fs
