// The file protocol's refusals of messages the client library never sends: unknown labels,
// word counts that do not fit, length words that claim more than came, values out of range,
// paths with a NUL, a stray handle. fs answers each with its status and serves on.
#include "ipc/fs.h"
#include "test/fs/fs_test.h"
#include "test/fs/raw_fs.h"
#include "user/syscalls.h"

namespace {

namespace proto = bm::ipc::fs;
using bm::ipc::ProtocolStatus;
using fs_tests::Handle;
using fs_tests::RawRequest;
using fs_tests::raw_status;

RawRequest request(uint32_t label) {
  RawRequest made;
  made.label = label;
  return made;
}

}  // namespace

FS_TEST(raw_unknown_labels) {
  Handle fs = fs_tests::raw_fs_handle();
  ASSERT_TRUE(fs != 0);
  // Below, past and inside fs's range, memd's range, the admin label, and none at all.
  const uint32_t labels[] = {0x500, 0x50b, 0x5ff, 0x401, 0x4f1, 0x12345};
  for (uint32_t label : labels) {
    fs_tests::RawReply reply = fs_tests::raw_call(fs, request(label).add(0));
    EXPECT_STATUS(reply.status(), ProtocolStatus::kUnknownLabel);
    EXPECT_EQ(reply.label, label);  // under its own label
    EXPECT_EQ(reply.words, 1u);
  }
  (void)user::handle_close(fs);
}

FS_TEST(raw_word_counts) {
  Handle fs = fs_tests::raw_fs_handle();
  ASSERT_TRUE(fs != 0);
  EXPECT_STATUS(raw_status(fs, request(proto::kClose)), ProtocolStatus::kTooShort);
  EXPECT_STATUS(raw_status(fs, request(proto::kClose).add(0).add(0)), ProtocolStatus::kTooLong);
  EXPECT_STATUS(raw_status(fs, request(proto::kRead).add(0).add(0)), ProtocolStatus::kTooShort);
  EXPECT_STATUS(raw_status(fs, request(proto::kRead).add(0).add(0).add(1).add(0)),
                ProtocolStatus::kTooLong);
  EXPECT_STATUS(raw_status(fs, request(proto::kOpen).add(proto::kOpenRead)),
                ProtocolStatus::kTooShort);
  // The longest message there is: 512 words, one more than write allows.
  RawRequest longest = request(proto::kWrite).add(0).add(0).add(proto::kMaxIoBytes);
  while (longest.count < bm::abi::kMaxMessageWords) longest.add(0);
  EXPECT_STATUS(raw_status(fs, longest), ProtocolStatus::kTooLong);
  (void)user::handle_close(fs);
}

// A length word that claims more bytes than the message carries, or more than fit in it.
FS_TEST(raw_lengths_past_the_message) {
  Handle fs = fs_tests::raw_fs_handle();
  ASSERT_TRUE(fs != 0);
  // "/boot/motd" is 10 bytes (2 words); the length word says 100.
  EXPECT_STATUS(raw_status(fs, request(proto::kStat).add_bytes("/boot/motd", 10, 100)),
                ProtocolStatus::kTooShort);
  // ... says 3: one word too many follows.
  EXPECT_STATUS(raw_status(fs, request(proto::kStat).add_bytes("/boot/motd", 10, 3)),
                ProtocolStatus::kTooLong);
  // Past the protocol's limits: a 256-byte path; a 4065-byte write, which cannot fit in a
  // write's 511 words; an empty path, whose length word alone is too short for stat.
  char path[300];
  for (char& c : path) c = 'p';
  path[0] = '/';
  EXPECT_STATUS(raw_status(fs, request(proto::kStat).add_bytes(path, 256, 256)),
                ProtocolStatus::kBadValue);
  EXPECT_STATUS(raw_status(fs, request(proto::kStat).add_bytes("", 0, 0)),
                ProtocolStatus::kTooShort);
  RawRequest write = request(proto::kWrite).add(0).add(0).add(proto::kMaxIoBytes + 1);
  while (write.count < 3 + (proto::kMaxIoBytes + 1 + 7) / 8) write.add(0);
  EXPECT_STATUS(raw_status(fs, write), ProtocolStatus::kTooLong);
  // A write whose length word claims a full 4064 bytes but brings ten words of them.
  RawRequest short_write = request(proto::kWrite).add(0).add(0).add(proto::kMaxIoBytes);
  for (int i = 0; i < 10; ++i) short_write.add(0);
  EXPECT_STATUS(raw_status(fs, short_write), ProtocolStatus::kTooShort);
  // rename: the first path's length word past the limit; an empty first path, which leaves
  // three words, under rename's four.
  EXPECT_STATUS(
      raw_status(fs, request(proto::kRename).add_bytes("/tmp/a", 6, 300).add_bytes("/tmp/b")),
      ProtocolStatus::kBadValue);
  EXPECT_STATUS(raw_status(fs, request(proto::kRename).add_bytes("", 0, 0).add_bytes("/tmp/b")),
                ProtocolStatus::kTooShort);
  (void)user::handle_close(fs);
}

FS_TEST(raw_bad_values) {
  Handle fs = fs_tests::raw_fs_handle();
  ASSERT_TRUE(fs != 0);
  const uint64_t bad_flags[] = {0, 32, proto::kOpenRead | proto::kOpenCreate,
                                proto::kOpenWrite | proto::kOpenExclusive};
  for (uint64_t flags : bad_flags) {
    EXPECT_STATUS(raw_status(fs, request(proto::kOpen).add(flags).add_bytes("/tmp/x")),
                  ProtocolStatus::kBadValue);
  }
  EXPECT_STATUS(raw_status(fs, request(proto::kRead).add(0).add(0).add(0)),
                ProtocolStatus::kBadValue);  // max bytes 0
  EXPECT_STATUS(raw_status(fs, request(proto::kRead).add(0).add(0).add(proto::kMaxIoBytes + 1)),
                ProtocolStatus::kBadValue);
  EXPECT_STATUS(raw_status(fs, request(proto::kClose).add(1ull << 32)), ProtocolStatus::kBadValue);
  EXPECT_STATUS(raw_status(fs, request(proto::kFstat).add(~0ull)), ProtocolStatus::kBadValue);
  // Bytes after the path's end in its last word must be zero.
  RawRequest padded = request(proto::kStat).add_bytes("/boot/motd");
  padded.word[padded.count - 1] |= 0x4100'0000'0000'0000ull;
  EXPECT_STATUS(raw_status(fs, padded), ProtocolStatus::kBadValue);
  (void)user::handle_close(fs);
}

// Paths the client library cannot even say: a NUL inside, and a relative one.
FS_TEST(raw_bad_paths) {
  Handle fs = fs_tests::raw_fs_handle();
  ASSERT_TRUE(fs != 0);
  const char with_nul[] = "/tmp/a\0b";
  EXPECT_STATUS(raw_status(fs, request(proto::kOpen)
                                   .add(proto::kOpenRead | proto::kOpenWrite | proto::kOpenCreate)
                                   .add_bytes(with_nul, 8, 8)),
                ProtocolStatus::kBadPath);
  EXPECT_STATUS(raw_status(fs, request(proto::kStat).add_bytes("/boot\0", 6, 6)),
                ProtocolStatus::kBadPath);
  EXPECT_STATUS(raw_status(fs, request(proto::kMakeDirectory).add_bytes("tmp/d")),
                ProtocolStatus::kBadPath);
  EXPECT_STATUS(raw_status(fs, request(proto::kStat).add_bytes("/tmp/a")),
                ProtocolStatus::kNotFound);  // the NUL made nothing
  (void)user::handle_close(fs);
}

// A handle sent along is fs's to close: the request is answered as without it.
FS_TEST(raw_stray_handle_and_fs_serves_on) {
  Handle fs = fs_tests::raw_fs_handle();
  ASSERT_TRUE(fs != 0);
  auto stray = user::notification_create();
  ASSERT_TRUE(stray.ok());
  user::Message message;
  message.label = proto::kStat;
  message.words = 3;
  RawRequest path = request(proto::kStat).add_bytes("/boot/motd");
  for (uint32_t i = 0; i < 3; ++i) message.word[i] = path.word[i];
  message.has_handle = true;
  message.handle = stray->release();
  user::Message reply;
  ASSERT_TRUE(user::call(fs, message, &reply) == bm::abi::Status::kOk);
  EXPECT_EQ(reply.word[0], static_cast<uint64_t>(ProtocolStatus::kOk));
  EXPECT_TRUE(!reply.has_handle);
  EXPECT_STATUS(raw_status(fs, request(proto::kStat).add_bytes("/")), ProtocolStatus::kOk);
  (void)user::handle_close(fs);
}
