// Every status of the file protocol a client can provoke, through the runtime's client
// (user/fs_client.h), as a program would meet them. /tmp is left empty after each case.
#include "ipc/fs.h"
#include "lib/fmt/string.h"
#include "test/fs/control.h"
#include "test/fs/fs_test.h"
#include "user/fs_client.h"

namespace {

namespace fs = user::fs;
namespace proto = bm::ipc::fs;
using bm::ipc::ProtocolStatus;

constexpr uint64_t kRead = proto::kOpenRead;
constexpr uint64_t kWrite = proto::kOpenWrite;
constexpr uint64_t kNew = proto::kOpenRead | proto::kOpenWrite | proto::kOpenCreate;
constexpr uint32_t kMaxOpenFiles = 16;  // per client (docs/protocols.md, open)

ProtocolStatus make_file(const char* path, const char* text) {
  uint32_t fd = 0;
  ProtocolStatus status = fs::open(path, kNew | proto::kOpenTruncate, &fd);
  if (status != ProtocolStatus::kOk) return status;
  status = fs::write(fd, 0, text, bm::string_length(text));
  ProtocolStatus closed = fs::close(fd);
  return status != ProtocolStatus::kOk ? status : closed;
}

}  // namespace

FS_TEST(fs_answers_stat_of_the_root_and_boot) {
  fs::FileInfo info;
  ASSERT_OK(fs::stat("/", &info));
  EXPECT_EQ(info.type, proto::NodeType::kDirectory);
  ASSERT_OK(fs::stat("/boot/motd", &info));
  EXPECT_EQ(info.type, proto::NodeType::kFile);
  EXPECT_TRUE(info.size > 0);
  fs::Entry entry;
  ASSERT_OK(fs::read_directory("/", 0, &entry));
  EXPECT_TRUE(bm::string_equal(entry.name, "boot"));
}

FS_TEST(not_found_exists_and_not_a_directory) {
  fs::FileInfo info;
  uint32_t fd = 0;
  EXPECT_STATUS(fs::stat("/tmp/none", &info), ProtocolStatus::kNotFound);
  EXPECT_STATUS(fs::open("/boot/none", kRead, &fd), ProtocolStatus::kNotFound);
  EXPECT_STATUS(fs::unlink("/tmp/none"), ProtocolStatus::kNotFound);
  EXPECT_STATUS(fs::rename("/tmp/none", "/tmp/other"), ProtocolStatus::kNotFound);
  ASSERT_OK(fs::make_directory("/tmp/d"));
  EXPECT_STATUS(fs::make_directory("/tmp/d"), ProtocolStatus::kExists);
  ASSERT_OK(make_file("/tmp/f", "file"));
  EXPECT_STATUS(fs::open("/tmp/f", kNew | proto::kOpenExclusive, &fd), ProtocolStatus::kExists);
  EXPECT_STATUS(fs::open("/tmp/f/x", kNew, &fd), ProtocolStatus::kNotADirectory);
  EXPECT_STATUS(fs::open("/boot/motd/x", kRead, &fd), ProtocolStatus::kNotADirectory);
  EXPECT_STATUS(fs::make_directory("/tmp/f/x"), ProtocolStatus::kNotADirectory);
  EXPECT_STATUS(fs::rename("/tmp/d", "/tmp/f"), ProtocolStatus::kNotADirectory);
  fs::Entry entry;
  EXPECT_STATUS(fs::read_directory("/tmp/f", 0, &entry), ProtocolStatus::kNotADirectory);
  EXPECT_OK(fs::unlink("/tmp/f"));
  EXPECT_OK(fs::unlink("/tmp/d"));
}

FS_TEST(is_a_directory_and_not_empty) {
  uint32_t fd = 0;
  ASSERT_OK(fs::make_directory("/tmp/d"));
  ASSERT_OK(make_file("/tmp/d/f", "inside"));
  ASSERT_OK(make_file("/tmp/f", "outside"));
  EXPECT_STATUS(fs::open("/tmp/d", kWrite, &fd), ProtocolStatus::kIsADirectory);
  EXPECT_STATUS(fs::open("/boot/docs", kWrite, &fd), ProtocolStatus::kIsADirectory);
  EXPECT_STATUS(fs::rename("/tmp/f", "/tmp/d"), ProtocolStatus::kIsADirectory);
  ASSERT_OK(fs::open("/tmp/d", kRead, &fd));  // a directory opens for reading (fstat)
  char byte = 0;
  uint32_t got = 0;
  EXPECT_STATUS(fs::read(fd, 0, &byte, 1, &got), ProtocolStatus::kIsADirectory);
  EXPECT_OK(fs::close(fd));
  EXPECT_STATUS(fs::unlink("/tmp/d"), ProtocolStatus::kNotEmpty);
  ASSERT_OK(fs::make_directory("/tmp/e"));
  EXPECT_STATUS(fs::rename("/tmp/e", "/tmp/d"), ProtocolStatus::kNotEmpty);
  EXPECT_STATUS(fs::rename("/tmp/d", "/tmp/d/sub"), ProtocolStatus::kBadPath);  // into itself
  EXPECT_OK(fs::unlink("/tmp/d/f"));
  EXPECT_OK(fs::unlink("/tmp/d"));
  EXPECT_OK(fs::unlink("/tmp/e"));
  EXPECT_OK(fs::unlink("/tmp/f"));
}

// /boot and / do not change; `..` never climbs out of /tmp into them, nor above /.
FS_TEST(read_only_boot_root_and_dot_dot_escapes) {
  uint32_t fd = 0;
  fs::FileInfo info;
  EXPECT_STATUS(fs::open("/boot/motd", kWrite, &fd), ProtocolStatus::kReadOnly);
  EXPECT_STATUS(fs::open("/boot/new", kNew, &fd), ProtocolStatus::kReadOnly);
  EXPECT_STATUS(fs::make_directory("/boot/dir"), ProtocolStatus::kReadOnly);
  EXPECT_STATUS(fs::unlink("/boot/motd"), ProtocolStatus::kReadOnly);
  EXPECT_STATUS(fs::make_directory("/home"), ProtocolStatus::kReadOnly);
  EXPECT_STATUS(fs::open("/tmp/../boot/x", kNew, &fd), ProtocolStatus::kReadOnly);
  EXPECT_STATUS(fs::open("/tmp/../../../x", kNew, &fd), ProtocolStatus::kReadOnly);
  EXPECT_OK(fs::stat("/tmp/../../boot/motd", &info));  // resolves to /boot/motd
  EXPECT_STATUS(fs::rename("/boot/motd", "/tmp/motd"), ProtocolStatus::kReadOnly);
  ASSERT_OK(make_file("/tmp/x", "x"));
  EXPECT_STATUS(fs::rename("/tmp/x", "/boot/x"), ProtocolStatus::kReadOnly);  // across mounts
  EXPECT_STATUS(fs::rename("/tmp/x", "/x"), ProtocolStatus::kReadOnly);
  EXPECT_OK(fs::unlink("/tmp/x"));
}

FS_TEST(no_rights_on_mounts_and_fds) {
  EXPECT_STATUS(fs::unlink("/"), ProtocolStatus::kNoRights);
  EXPECT_STATUS(fs::unlink("/tmp"), ProtocolStatus::kNoRights);
  EXPECT_STATUS(fs::unlink("/boot"), ProtocolStatus::kNoRights);
  EXPECT_STATUS(fs::rename("/tmp", "/tmp2"), ProtocolStatus::kNoRights);
  uint32_t reader = 0;
  uint32_t writer = 0;
  ASSERT_OK(make_file("/tmp/f", "text"));
  ASSERT_OK(fs::open("/tmp/f", kRead, &reader));
  ASSERT_OK(fs::open("/tmp/f", kWrite, &writer));
  EXPECT_STATUS(fs::write(reader, 0, "x", 1), ProtocolStatus::kNoRights);
  char byte = 0;
  uint32_t got = 0;
  EXPECT_STATUS(fs::read(writer, 0, &byte, 1, &got), ProtocolStatus::kNoRights);
  EXPECT_OK(fs::close(reader));
  EXPECT_OK(fs::close(writer));
  EXPECT_OK(fs::unlink("/tmp/f"));
}

FS_TEST(names_too_long_and_bad_paths) {
  char name[proto::kMaxNameLength + 7] = "/tmp/";
  for (uint32_t i = 5; i < 5 + proto::kMaxNameLength; ++i) name[i] = 'n';
  uint32_t fd = 0;
  fs::FileInfo info;
  ASSERT_OK(fs::open(name, kNew, &fd));  // 63 bytes: the longest name
  EXPECT_OK(fs::close(fd));
  EXPECT_OK(fs::unlink(name));
  name[5 + proto::kMaxNameLength] = 'n';  // 64
  EXPECT_STATUS(fs::open(name, kNew, &fd), ProtocolStatus::kNameTooLong);
  EXPECT_STATUS(fs::make_directory(name), ProtocolStatus::kNameTooLong);
  EXPECT_STATUS(fs::stat(name, &info), ProtocolStatus::kNameTooLong);
  EXPECT_STATUS(fs::open("tmp/x", kNew, &fd), ProtocolStatus::kBadPath);
  EXPECT_STATUS(fs::stat("relative", &info), ProtocolStatus::kBadPath);
  EXPECT_STATUS(fs::rename("a", "/tmp/b"), ProtocolStatus::kBadPath);
}

FS_TEST(invalid_handles) {
  char byte = 0;
  uint32_t got = 0;
  constexpr uint32_t kNeverOpened = 9;
  EXPECT_STATUS(fs::read(kNeverOpened, 0, &byte, 1, &got), ProtocolStatus::kInvalidHandle);
  EXPECT_STATUS(fs::write(kNeverOpened, 0, "x", 1), ProtocolStatus::kInvalidHandle);
  EXPECT_STATUS(fs::close(kNeverOpened), ProtocolStatus::kInvalidHandle);
  uint32_t fd = 0;
  ASSERT_OK(fs::open("/boot/motd", kRead, &fd));
  EXPECT_OK(fs::close(fd));
  EXPECT_STATUS(fs::close(fd), ProtocolStatus::kInvalidHandle);
  EXPECT_STATUS(fs::read(fd, 0, &byte, 1, &got), ProtocolStatus::kInvalidHandle);
}

FS_TEST(sixteen_open_files_per_client) {
  uint32_t fds[kMaxOpenFiles] = {};
  for (uint32_t i = 0; i < kMaxOpenFiles; ++i) {
    ASSERT_OK(fs::open("/boot/motd", kRead, &fds[i]));
    EXPECT_EQ(fds[i], i);  // the lowest free
  }
  uint32_t fd = 0;
  EXPECT_STATUS(fs::open("/boot/motd", kRead, &fd), ProtocolStatus::kTooManyOpenFiles);
  // Refused before anything is made.
  EXPECT_STATUS(fs::open("/tmp/new", kNew, &fd), ProtocolStatus::kTooManyOpenFiles);
  fs::FileInfo info;
  EXPECT_STATUS(fs::stat("/tmp/new", &info), ProtocolStatus::kNotFound);
  EXPECT_OK(fs::close(fds[3]));
  EXPECT_OK(fs::open("/boot/motd", kRead, &fd));
  EXPECT_EQ(fd, 3u);
  for (uint32_t open : fds) EXPECT_OK(fs::close(open));
}

// /tmp on this ISO holds kTmpBytes: a write past it fails whole and changes nothing; past it,
// no file or directory can be made either.
FS_TEST(no_space_at_the_tmp_limit) {
  static char bytes[fs_tests::kTmpBytes - 4 * 1024];
  for (char& c : bytes) c = 's';
  uint32_t fd = 0;
  fs::FileInfo info;
  ASSERT_OK(fs::open("/tmp/big", kNew, &fd));
  // One request (fs_client splits only what is longer than kMaxIoBytes) ending past the limit.
  EXPECT_STATUS(fs::write(fd, fs_tests::kTmpBytes - 100, bytes, proto::kMaxIoBytes),
                ProtocolStatus::kNoSpace);
  ASSERT_OK(fs::stat("/tmp/big", &info));
  EXPECT_EQ(info.size, 0u);  // nothing of it was kept
  // Most of /tmp in one file, then empty files (256 bytes each) until nothing more fits.
  EXPECT_OK(fs::write(fd, 0, bytes, sizeof bytes));
  EXPECT_OK(fs::close(fd));
  char name[] = "/tmp/e00";
  uint32_t made = 0;
  ProtocolStatus status = ProtocolStatus::kOk;
  for (; made < 100 && status == ProtocolStatus::kOk; ++made) {
    name[6] = static_cast<char>('0' + made / 10);
    name[7] = static_cast<char>('0' + made % 10);
    status = fs::open(name, kNew, &fd);
    if (status == ProtocolStatus::kOk) EXPECT_OK(fs::close(fd));
  }
  EXPECT_STATUS(status, ProtocolStatus::kNoSpace);
  EXPECT_TRUE(made > 1 && made < 100);
  EXPECT_STATUS(fs::make_directory("/tmp/dir"), ProtocolStatus::kNoSpace);
  for (uint32_t i = 0; i + 1 < made; ++i) {
    name[6] = static_cast<char>('0' + i / 10);
    name[7] = static_cast<char>('0' + i % 10);
    EXPECT_OK(fs::unlink(name));
  }
  EXPECT_OK(fs::make_directory("/tmp/dir"));
  EXPECT_OK(fs::unlink("/tmp/dir"));
  EXPECT_OK(fs::unlink("/tmp/big"));
}

// The client library refuses what it cannot encode, before anything is sent.
FS_TEST(the_client_library_refuses_bad_flags) {
  uint32_t fd = 0;
  EXPECT_STATUS(fs::open("/boot/motd", 0, &fd), ProtocolStatus::kBadValue);
  EXPECT_STATUS(fs::open("/tmp/x", proto::kOpenRead | proto::kOpenCreate, &fd),
                ProtocolStatus::kBadValue);
  EXPECT_STATUS(fs::open("/tmp/x", 64 | proto::kOpenRead, &fd), ProtocolStatus::kBadValue);
}
