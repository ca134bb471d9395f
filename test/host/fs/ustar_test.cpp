// Host tests for the ustar reader (lib/fs/ustar): good archives, and archives cut short,
// with bad checksums, bad numbers, long and hostile names, unsupported entries and random
// bytes. Every archive lies in a buffer of exactly its size, so ASan catches any read past it.
#include "lib/fs/ustar.h"

#include <gtest/gtest.h>

#include <random>
#include <set>
#include <string>

#include "test/host/fs/tar_builder.h"

namespace bm::fs {
namespace {

using testing::Bytes;
using testing::data_of;
using testing::list;
using testing::set_field;
using testing::TarBuilder;

Bytes small_archive() {
  TarBuilder tar;
  tar.file("motd", "Welcome to BareMetal-OS\n");
  tar.directory("docs/");
  tar.file("docs/boot.md", std::string(1000, 'b'));
  tar.file("docs/empty.md", "");
  return tar.finish();
}

UstarError check(const Bytes& archive, uint64_t* where = nullptr) {
  uint64_t offset = 0;
  UstarError error = check_archive(archive.data(), archive.size(), &offset);
  if (where != nullptr) *where = offset;
  return error;
}

TEST(Ustar, ReadsFilesAndDirectoriesInOrder) {
  Bytes archive = small_archive();
  testing::Listing listing = list(archive);
  ASSERT_EQ(listing.error, UstarError::kOk);
  ASSERT_EQ(listing.entries.size(), 4u);
  EXPECT_STREQ(listing.entries[0].path.text, "/motd");
  EXPECT_EQ(listing.entries[0].type, NodeType::kFile);
  EXPECT_EQ(data_of(listing.entries[0]), "Welcome to BareMetal-OS\n");
  EXPECT_EQ(listing.entries[0].header_offset, 0u);
  EXPECT_STREQ(listing.entries[1].path.text, "/docs");
  EXPECT_EQ(listing.entries[1].type, NodeType::kDirectory);
  EXPECT_EQ(listing.entries[1].size, 0u);
  EXPECT_EQ(listing.entries[1].header_offset, 1024u);
  EXPECT_STREQ(listing.entries[2].path.text, "/docs/boot.md");
  EXPECT_EQ(data_of(listing.entries[2]), std::string(1000, 'b'));
  EXPECT_EQ(listing.entries[3].size, 0u);
  EXPECT_EQ(listing.entries[3].header_offset, 1024u + 512 + 512 + 1024);
  EXPECT_EQ(check(archive), UstarError::kOk);
}

TEST(Ustar, AnEmptyArchiveIsTwoZeroBlocks) {
  Bytes archive = TarBuilder().finish();
  EXPECT_TRUE(list(archive).entries.empty());
  EXPECT_EQ(check(archive), UstarError::kOk);
  EXPECT_EQ(check(Bytes{}), UstarError::kTruncated);
}

TEST(Ustar, IgnoresWhatFollowsTheEnd) {
  Bytes archive = TarBuilder().finish(10240 - 1024);  // padded to a record, as tar does
  archive.back() = 0xff;                              // even garbage after the end
  EXPECT_EQ(check(archive), UstarError::kOk);
}

TEST(Ustar, AtTheEndItStaysAtTheEnd) {
  Bytes archive = small_archive();
  UstarReader reader(archive.data(), archive.size());
  UstarEntry entry;
  bool at_end = false;
  for (int i = 0; i < 4; ++i) ASSERT_EQ(reader.next(&entry, &at_end), UstarError::kOk);
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(reader.next(&entry, &at_end), UstarError::kOk);
    EXPECT_TRUE(at_end);
  }
}

TEST(Ustar, CutShortAnywhereIsTruncated) {
  Bytes archive = small_archive();
  for (size_t length = 0; length < archive.size(); ++length) {
    Bytes cut(archive.begin(), archive.begin() + length);
    uint64_t where = 0;
    EXPECT_EQ(check(cut, &where), UstarError::kTruncated) << length;
    EXPECT_LE(where, length);
  }
}

TEST(Ustar, AnArchiveWithoutItsEndBlocksIsTruncated) {
  TarBuilder tar;
  tar.file("motd", "hi");
  EXPECT_EQ(check(tar.unfinished()), UstarError::kTruncated);
  Bytes one_zero_block = tar.unfinished();
  one_zero_block.resize(one_zero_block.size() + kUstarBlockSize, 0);
  EXPECT_EQ(check(one_zero_block), UstarError::kTruncated);
}

TEST(Ustar, AZeroBlockThenAHeaderIsMalformed) {
  TarBuilder tar;
  tar.file("a", "1");
  Bytes archive = tar.unfinished();
  archive.resize(archive.size() + kUstarBlockSize, 0);  // one zero block
  TarBuilder second;
  second.file("b", "2");
  Bytes rest = second.finish();
  archive.insert(archive.end(), rest.begin(), rest.end());
  uint64_t where = 0;
  EXPECT_EQ(check(archive, &where), UstarError::kMalformed);
  EXPECT_EQ(where, 1024u);
}

TEST(Ustar, EveryChangedByteOfAHeaderBreaksItsChecksum) {
  Bytes archive = small_archive();
  // Bytes of the first header that do not make the checksum field itself unreadable.
  for (size_t i = 0; i < kUstarBlockSize; ++i) {
    if (i >= testing::kChecksumField && i < testing::kChecksumField + 8) continue;
    Bytes changed = archive;
    changed[i] ^= 0x01;
    EXPECT_EQ(check(changed), UstarError::kBadChecksum) << "byte " << i;
  }
}

TEST(Ustar, ABadChecksumInALaterHeaderNamesThatHeader) {
  Bytes archive = small_archive();
  archive[1024 + 3] ^= 0x20;  // the name of the directory entry
  uint64_t where = 0;
  EXPECT_EQ(check(archive, &where), UstarError::kBadChecksum);
  EXPECT_EQ(where, 1024u);
  testing::Listing listing = list(archive);
  EXPECT_EQ(listing.error, UstarError::kBadChecksum);
  EXPECT_EQ(listing.entries.size(), 1u);  // motd came before it
}

TEST(Ustar, AfterAnErrorTheReaderKeepsAnsweringIt) {
  Bytes archive = small_archive();
  archive[5] ^= 1;
  UstarReader reader(archive.data(), archive.size());
  UstarEntry entry;
  bool at_end = true;
  EXPECT_EQ(reader.next(&entry, &at_end), UstarError::kBadChecksum);
  EXPECT_FALSE(at_end);
  EXPECT_EQ(reader.next(&entry, &at_end), UstarError::kBadChecksum);
  EXPECT_EQ(reader.offset(), 0u);
}

TEST(Ustar, OctalFieldsMustBeOctal) {
  struct Case {
    size_t field;
    std::string bytes;
  };
  const Case bad[] = {
      {testing::kSizeField, std::string("0000000008\0", 11)},  // 8 is no octal digit
      {testing::kSizeField, std::string(11, '\0')},            // no digit at all
      {testing::kSizeField, std::string("  1\0 1\0", 7)},      // a digit after the end
      {testing::kSizeField, std::string("\x80\0\0\0\0\0\0\0\0\0\0\x01", 12)},  // base-256
      {testing::kSizeField, std::string("-0000000001\0", 12)},
      {testing::kModeField, std::string("0000x44\0", 8)},
      {testing::kMtimeField, std::string("0000000000z\0", 12)},
      {108, std::string("       \0", 8)},  // uid: spaces but no digit
  };
  for (const Case& test : bad) {
    Bytes archive = small_archive();
    set_field(&archive, 0, test.field, test.bytes);
    EXPECT_EQ(check(archive), UstarError::kBadNumber) << test.field << " " << test.bytes;
  }
  Bytes archive = small_archive();
  testing::put_text(&archive, testing::kChecksumField, std::string("12345x\0 ", 8));
  EXPECT_EQ(check(archive), UstarError::kBadNumber);
}

TEST(Ustar, OctalFieldsMayHaveLeadingSpacesAndNoTerminator) {
  Bytes archive = small_archive();
  set_field(&archive, 0, testing::kSizeField, std::string("        030 ", 12));  // 24 bytes
  testing::Listing listing = list(archive);
  ASSERT_EQ(listing.error, UstarError::kOk);
  EXPECT_EQ(listing.entries[0].size, 24u);
  set_field(&archive, 0, testing::kSizeField, "000000000030");  // all twelve digits
  EXPECT_EQ(list(archive).entries[0].size, 24u);
}

TEST(Ustar, SizesPastTheEndAreTruncated) {
  for (uint64_t size : {uint64_t{25}, uint64_t{513}, uint64_t{4096}, uint64_t{077777777777}}) {
    TarBuilder tar;
    tar.file("motd", std::string(24, 'm'));
    Bytes archive = tar.unfinished();  // the data block but no end: any more is past it
    set_field(&archive, 0, testing::kSizeField, testing::octal(size, 11));
    EXPECT_EQ(check(archive), UstarError::kTruncated) << size;
  }
  // A size that swallows the end blocks but stays inside the archive: the end is missing.
  TarBuilder tar;
  tar.file("motd", std::string(24, 'm'));
  Bytes archive = tar.finish();
  ASSERT_EQ(archive.size(), 4 * kUstarBlockSize);
  set_field(&archive, 0, testing::kSizeField, testing::octal(3 * kUstarBlockSize, 11));
  EXPECT_EQ(check(archive), UstarError::kTruncated);
}

TEST(Ustar, OnlyThePosixMagic) {
  for (const std::string& magic : {std::string("ustar  \0", 8),
                                   std::string("ustar\0"
                                               "01",
                                               8),
                                   std::string(8, '\0'),
                                   std::string("USTAR\0"
                                               "00",
                                               8)}) {
    Bytes archive = small_archive();
    set_field(&archive, 0, testing::kMagicField, magic);
    EXPECT_EQ(check(archive), UstarError::kBadMagic);
  }
}

TEST(Ustar, OnlyFilesAndDirectories) {
  for (char type : {'1', '2', '3', '4', '6', '7', 'x', 'g', 'L', 'K'}) {
    TarBuilder tar;
    tar.entry(type, "odd");
    EXPECT_EQ(check(tar.finish()), UstarError::kUnsupportedType) << type;
  }
  TarBuilder old;
  old.entry('\0', "old-style-file", "data");
  Bytes old_archive = old.finish();
  testing::Listing listing = list(old_archive);
  ASSERT_EQ(listing.error, UstarError::kOk);
  EXPECT_EQ(listing.entries[0].type, NodeType::kFile);
}

TEST(Ustar, ADirectoryWithDataIsMalformed) {
  TarBuilder tar;
  tar.entry('5', "dir/", "data");
  EXPECT_EQ(check(tar.finish()), UstarError::kMalformed);
}

TEST(Ustar, LongNamesUseThePrefixField) {
  const std::string prefix = "boot/" + std::string(60, 'p') + "/" + std::string(60, 'q');
  const std::string name = std::string(60, 'n') + "/" + std::string(39, 'f');  // 100 bytes
  ASSERT_EQ(name.size(), 100u);
  TarBuilder tar;
  tar.file(name, "long", prefix);
  Bytes archive = tar.finish();
  testing::Listing listing = list(archive);
  ASSERT_EQ(listing.error, UstarError::kOk);
  EXPECT_EQ(std::string(listing.entries[0].path.text), "/" + prefix + "/" + name);
  EXPECT_EQ(data_of(listing.entries[0]), "long");
}

TEST(Ustar, NamesOverTheLimitsAreRefused) {
  TarBuilder long_component;
  long_component.file(std::string(kMaxNameLength + 1, 'c'), "x");
  EXPECT_EQ(check(long_component.finish()), UstarError::kNameTooLong);
  TarBuilder long_path;  // 155 + 1 + 100 bytes of short names
  std::string prefix, name;
  while (prefix.size() + 10 <= 155) prefix += std::string(9, 'p') + "/";
  prefix += std::string(155 - prefix.size(), 'x');
  while (name.size() + 10 <= 100) name += std::string(9, 'n') + "/";
  name += std::string(100 - name.size(), 'y');
  long_path.file(name, "x", prefix);
  EXPECT_EQ(check(long_path.finish()), UstarError::kNameTooLong);
  TarBuilder longest;
  longest.file(std::string(kMaxNameLength, 'c'), "x");
  EXPECT_EQ(check(longest.finish()), UstarError::kOk);
}

TEST(Ustar, NamesMayNotLeaveTheArchive) {
  for (const char* name :
       {"../etc/passwd", "a/../../b", "a/..", "..", "docs/../motd", "/etc/passwd", "/", ""}) {
    TarBuilder tar;
    tar.file(name, "x");
    EXPECT_EQ(check(tar.finish()), UstarError::kBadName) << name;
  }
  TarBuilder in_prefix;
  in_prefix.file("motd", "x", "..");
  EXPECT_EQ(check(in_prefix.finish()), UstarError::kBadName);
  TarBuilder absolute_prefix;
  absolute_prefix.file("motd", "x", "/boot");
  EXPECT_EQ(check(absolute_prefix.finish()), UstarError::kBadName);
}

TEST(Ustar, DotSlashNamesAreNormalisedAndTheRootIsSkipped) {
  TarBuilder tar;
  tar.directory("./");
  tar.file("./motd", "hi");
  tar.directory(".//docs//");
  tar.file("docs/./a.md", "a");
  Bytes archive = tar.finish();
  testing::Listing listing = list(archive);
  ASSERT_EQ(listing.error, UstarError::kOk);
  ASSERT_EQ(listing.entries.size(), 3u);
  EXPECT_STREQ(listing.entries[0].path.text, "/motd");
  EXPECT_STREQ(listing.entries[1].path.text, "/docs");
  EXPECT_STREQ(listing.entries[2].path.text, "/docs/a.md");
  TarBuilder root_file;
  root_file.file("./", "x");
  EXPECT_EQ(check(root_file.finish()), UstarError::kBadName);
}

TEST(Ustar, EveryErrorHasItsOwnText) {
  std::set<std::string> texts;
  for (int error = 0; error <= static_cast<int>(UstarError::kTooManyEntries); ++error) {
    texts.insert(ustar_error_text(static_cast<UstarError>(error)));
  }
  EXPECT_EQ(texts.size(), static_cast<size_t>(UstarError::kTooManyEntries) + 1);
  EXPECT_STREQ(ustar_error_text(static_cast<UstarError>(99)), "unknown archive error");
}

// Whatever the reader accepts from hostile bytes must lie inside the archive.
void expect_sane(const Bytes& archive) {
  testing::Listing listing = list(archive);
  for (const UstarEntry& entry : listing.entries) {
    ASSERT_GE(entry.data, archive.data());
    ASSERT_LE(entry.data + entry.size, archive.data() + archive.size());
    ASSERT_LE(entry.path.length, kMaxPathLength);
    ASSERT_EQ(entry.path.text[0], '/');
    ASSERT_TRUE(entry.type == NodeType::kFile || entry.type == NodeType::kDirectory);
  }
}

TEST(UstarRandom, RandomBytesNeverCrashTheReader) {
  std::mt19937 random(14);
  for (int round = 0; round < 3000; ++round) {
    Bytes archive(random() % 3000);
    for (uint8_t& byte : archive) byte = static_cast<uint8_t>(random());
    expect_sane(archive);
    uint64_t where = 0;
    EXPECT_NE(check_archive(archive.data(), archive.size(), &where), UstarError::kOk);
  }
}

TEST(UstarRandom, MutatedArchivesNeverCrashTheReader) {
  std::mt19937 random(1414);
  const Bytes good = small_archive();
  const char interesting[] = "0123456789 /.\0ustar\x80\xff";
  for (int round = 0; round < 10000; ++round) {
    Bytes archive = good;
    int changes = 1 + static_cast<int>(random() % 8);
    for (int i = 0; i < changes; ++i) {
      size_t at = random() % archive.size();
      archive[at] = static_cast<uint8_t>(interesting[random() % (sizeof(interesting) - 1)]);
    }
    // Usually with a right checksum, so the mutation reaches the checks behind it.
    if (random() % 4 != 0) {
      for (size_t header : {size_t{0}, size_t{1024}, size_t{1536}, size_t{3072}}) {
        testing::fix_checksum(&archive, header);
      }
    }
    if (random() % 3 == 0) archive.resize(random() % archive.size());
    expect_sane(archive);
  }
}

}  // namespace
}  // namespace bm::fs
