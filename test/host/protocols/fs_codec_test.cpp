// Host tests for the file protocol's encode/decode (ipc/fs.h): round trips of every request
// and reply at the edges of its fields, the documented word layout, and what each decoder
// refuses. The generic cuts, stretches and relabellings are in rejection_test.cpp.
#include "ipc/fs.h"
#include "test/host/protocols/wire_test_support.h"

namespace bm::ipc::fs {
namespace {

using testing::bytes_string;
using testing::decode_as;
using testing::make_message;
using testing::pattern;
using testing::poisoned;
using testing::round_trip;
using testing::view_of;

constexpr uint64_t word_of(const char* text) {
  uint64_t word = 0;
  for (int i = 0; i < 8 && text[i] != '\0'; ++i) word |= static_cast<uint64_t>(text[i]) << (8 * i);
  return word;
}

TEST(FsProtocol, LabelsAndLimits) {
  EXPECT_EQ(kOpen, kFsLabelBase + 1);
  EXPECT_EQ(kRename, 0x50au);
  EXPECT_EQ(kMaxPathLength, 255u);
  EXPECT_EQ(kMaxNameLength, 63u);
  EXPECT_EQ(kPathWords, 33u);
  EXPECT_EQ(kMaxWriteWords, 511u);
  EXPECT_EQ(kMaxReadReplyWords, 510u);
  EXPECT_EQ(kReadDirReplyWords, 12u);
}

TEST(FsOpen, WordLayoutIsFlagsThenPath) {
  WireMessage message;
  OpenRequest out = round_trip(
      OpenRequest{kOpenRead | kOpenWrite | kOpenCreate, view_of("/tmp/notes")}, &message);
  EXPECT_EQ(message.label, kOpen);
  ASSERT_EQ(message.words, 4u);
  EXPECT_EQ(message.word[0], 7u);
  EXPECT_EQ(message.word[1], 10u);
  EXPECT_EQ(message.word[2], word_of("/tmp/not"));
  EXPECT_EQ(message.word[3], word_of("es"));
  EXPECT_EQ(out.flags, 7u);
  EXPECT_EQ(bytes_string(out.path), "/tmp/notes");
}

TEST(FsOpen, AcceptsEveryValidFlagCombination) {
  int valid = 0;
  for (uint64_t flags = 0; flags <= kOpenFlagBits; ++flags) {
    bool readable_or_writable = (flags & (kOpenRead | kOpenWrite)) != 0;
    bool changes = (flags & (kOpenCreate | kOpenTruncate)) != 0;
    bool expected = readable_or_writable && (!changes || (flags & kOpenWrite) != 0) &&
                    ((flags & kOpenExclusive) == 0 || (flags & kOpenCreate) != 0);
    EXPECT_EQ(valid_open_flags(flags), expected) << flags;
    OpenRequest out;
    EXPECT_EQ(decode(make_message(kOpen, {flags, 1, '/'}), &out),
              expected ? ProtocolStatus::kOk : ProtocolStatus::kBadValue)
        << flags;
    valid += expected;
  }
  EXPECT_EQ(valid, 13);  // r, w, rw; and w or rw with each of c, t, ct, cx, ctx
  for (uint64_t flags : {uint64_t{32}, uint64_t{1} << 63, ~uint64_t{0}}) {
    EXPECT_FALSE(valid_open_flags(flags | kOpenRead));
  }
  WireMessage message = poisoned();
  EXPECT_FALSE(encode(OpenRequest{kOpenCreate, view_of("/x")}, &message));
  EXPECT_FALSE(encode(OpenRequest{0, view_of("/x")}, &message));
}

TEST(FsOpen, PathsFromOneTo255Bytes) {
  const std::string longest(kMaxPathLength, 'a');
  for (uint32_t length : {1u, 7u, 8u, 9u, 255u}) {
    WireMessage message;
    OpenRequest out =
        round_trip(OpenRequest{kOpenRead, view_of(longest.substr(0, length))}, &message);
    EXPECT_EQ(out.path.length, length);
    EXPECT_EQ(message.words, 2 + (length + 7) / 8);
  }
  WireMessage message = poisoned();
  EXPECT_FALSE(encode(OpenRequest{kOpenRead, view_of("")}, &message));
  EXPECT_FALSE(encode(OpenRequest{kOpenRead, view_of(longest + "a")}, &message));
  OpenRequest out;
  EXPECT_EQ(decode(make_message(kOpen, {kOpenRead, 0, 0}), &out), ProtocolStatus::kBadValue);
  EXPECT_EQ(decode(make_message(kOpen, {kOpenRead, 256, 0}), &out), ProtocolStatus::kBadValue);
  EXPECT_EQ(decode(make_message(kOpen, {kOpenRead, 9, 0}), &out), ProtocolStatus::kTooShort);
  EXPECT_EQ(decode(make_message(kOpen, {kOpenRead, 1, 0x2f00 | '/'}), &out),
            ProtocolStatus::kBadValue);  // a non-zero byte past the length
}

TEST(FsOpenReply, CarriesTheFd) {
  WireMessage message;
  EXPECT_EQ(round_trip(OpenReply{ProtocolStatus::kOk, 0}, &message).fd, 0u);
  EXPECT_EQ(round_trip(OpenReply{ProtocolStatus::kOk, 0xffff'ffff}, &message).fd, 0xffff'ffffu);
  OpenReply out = round_trip(OpenReply{ProtocolStatus::kTooManyOpenFiles, 4}, &message);
  EXPECT_EQ(message.words, 1u);
  EXPECT_EQ(out.status, ProtocolStatus::kTooManyOpenFiles);
  EXPECT_EQ(out.fd, 0u);
  EXPECT_EQ(decode(make_message(kOpen, {0, 1ull << 32}), &out), ProtocolStatus::kBadValue);
}

TEST(FsRead, RoundTripsAndRefusesZeroOrTooManyBytes) {
  WireMessage message;
  ReadRequest out = round_trip(ReadRequest{7, 1ull << 40, 1}, &message);
  EXPECT_EQ(message.words, 3u);
  EXPECT_EQ(message.word[0], 7u);
  EXPECT_EQ(message.word[1], 1ull << 40);
  EXPECT_EQ(message.word[2], 1u);
  EXPECT_EQ(out.offset, 1ull << 40);
  EXPECT_EQ(round_trip(ReadRequest{0, ~0ull, kMaxIoBytes}, &message).max_bytes, kMaxIoBytes);
  message = poisoned();
  EXPECT_FALSE(encode(ReadRequest{0, 0, 0}, &message));
  EXPECT_FALSE(encode(ReadRequest{0, 0, kMaxIoBytes + 1}, &message));
  for (uint64_t bad : {uint64_t{0}, uint64_t{kMaxIoBytes} + 1, uint64_t{1} << 32 | 1}) {
    EXPECT_EQ(decode(make_message(kRead, {0, 0, bad}), &out), ProtocolStatus::kBadValue) << bad;
  }
  EXPECT_EQ(decode(make_message(kRead, {1ull << 32, 0, 1}), &out), ProtocolStatus::kBadValue);
}

TEST(FsReadReply, ZeroTo4064Bytes) {
  const std::string text = pattern(kMaxIoBytes);
  for (uint32_t length : {0u, 1u, 8u, 9u, 4063u, 4064u}) {
    WireMessage message;
    ReadReply out =
        round_trip(ReadReply{ProtocolStatus::kOk, view_of(text.substr(0, length))}, &message);
    EXPECT_EQ(bytes_string(out.bytes), text.substr(0, length));
    EXPECT_EQ(message.words, 2 + (length + 7) / 8);
  }
  WireMessage message = poisoned();
  EXPECT_FALSE(encode(ReadReply{ProtocolStatus::kOk, view_of(pattern(4065))}, &message));
  ReadReply out;
  EXPECT_EQ(decode(make_message(kRead, {0, 4065}), &out), ProtocolStatus::kBadValue);
}

TEST(FsWrite, WordLayoutIsFdOffsetBytes) {
  WireMessage message;
  WriteRequest out = round_trip(WriteRequest{2, 100, view_of("hello, world")}, &message);
  ASSERT_EQ(message.words, 5u);
  EXPECT_EQ(message.word[0], 2u);
  EXPECT_EQ(message.word[1], 100u);
  EXPECT_EQ(message.word[2], 12u);
  EXPECT_EQ(message.word[3], word_of("hello, w"));
  EXPECT_EQ(message.word[4], word_of("orld"));
  EXPECT_EQ(bytes_string(out.bytes), "hello, world");
  const std::string most = pattern(kMaxIoBytes);
  EXPECT_EQ(bytes_string(round_trip(WriteRequest{0, 0, view_of(most)}, &message).bytes), most);
  EXPECT_EQ(message.words, kMaxWriteWords);
  message = poisoned();
  EXPECT_FALSE(encode(WriteRequest{0, 0, view_of(most + "x")}, &message));
  EXPECT_EQ(decode_as<WriteRequest>(make_message(kWrite, {0, 0, 4065})), ProtocolStatus::kBadValue);
}

TEST(FsWriteReply, CountUpTo4064) {
  WireMessage message;
  EXPECT_EQ(round_trip(WriteReply{ProtocolStatus::kOk, 4064}, &message).written, 4064u);
  EXPECT_FALSE(encode(WriteReply{ProtocolStatus::kOk, 4065}, &message));
  EXPECT_EQ(decode_as<WriteReply>(make_message(kWrite, {0, 4065})), ProtocolStatus::kBadValue);
}

TEST(FsCloseAndFstat, OneWordFd) {
  WireMessage message;
  EXPECT_EQ(round_trip(CloseRequest{9}, &message).fd, 9u);
  EXPECT_EQ(message.words, 1u);
  EXPECT_EQ(round_trip(FstatRequest{0xffff'ffff}, &message).fd, 0xffff'ffffu);
  EXPECT_EQ(decode_as<CloseRequest>(make_message(kClose, {1ull << 32})), ProtocolStatus::kBadValue);
  EXPECT_EQ(decode_as<FstatRequest>(make_message(kFstat, {~0ull})), ProtocolStatus::kBadValue);
}

TEST(FsStat, ReplyIsTypeThenSize) {
  WireMessage message;
  StatReply out = round_trip(StatReply{ProtocolStatus::kOk, {NodeType::kDirectory, 3}}, &message);
  ASSERT_EQ(message.words, 3u);
  EXPECT_EQ(message.word[1], 2u);
  EXPECT_EQ(message.word[2], 3u);
  EXPECT_EQ(out.info.type, NodeType::kDirectory);
  EXPECT_EQ(
      round_trip(FstatReply{ProtocolStatus::kOk, {NodeType::kFile, ~0ull}}, &message).info.size,
      ~0ull);
  // A stat always names a file or a directory: kNone or anything else is refused.
  for (uint64_t type : {0ull, 3ull, ~0ull}) {
    EXPECT_EQ(decode_as<StatReply>(make_message(kStat, {0, type, 0})), ProtocolStatus::kBadValue);
    EXPECT_EQ(decode_as<FstatReply>(make_message(kFstat, {0, type, 0})), ProtocolStatus::kBadValue);
  }
  EXPECT_FALSE(encode(StatReply{ProtocolStatus::kOk, {NodeType::kNone, 0}}, &message));
  EXPECT_EQ(round_trip(StatRequest{view_of("/boot/motd")}, &message).path.length, 10u);
}

TEST(FsReadDir, RequestIsIndexThenPath) {
  WireMessage message;
  ReadDirRequest out = round_trip(ReadDirRequest{~0ull, view_of("/")}, &message);
  ASSERT_EQ(message.words, 3u);
  EXPECT_EQ(message.word[0], ~0ull);
  EXPECT_EQ(message.word[1], 1u);
  EXPECT_EQ(message.word[2], uint64_t{'/'});
  EXPECT_EQ(out.index, ~0ull);
  EXPECT_EQ(bytes_string(out.path), "/");
}

TEST(FsReadDirReply, AnEntryOrThePastTheLastMark) {
  WireMessage message;
  const std::string longest(kMaxNameLength, 'z');
  ReadDirReply out = round_trip(
      ReadDirReply{ProtocolStatus::kOk, NodeType::kFile, 42, view_of(longest)}, &message);
  EXPECT_EQ(message.words, kReadDirReplyWords);
  EXPECT_EQ(out.type, NodeType::kFile);
  EXPECT_EQ(out.size, 42u);
  EXPECT_EQ(bytes_string(out.name), longest);
  out = round_trip(ReadDirReply{ProtocolStatus::kOk, NodeType::kNone, 0, {}}, &message);
  EXPECT_EQ(message.words, 4u);
  EXPECT_EQ(out.type, NodeType::kNone);
}

TEST(FsReadDirReply, RefusesNamesThatCannotBeEntries) {
  WireMessage message = poisoned();
  for (const char* bad : {"", ".", "..", "a/b", "/"}) {
    EXPECT_FALSE(
        encode(ReadDirReply{ProtocolStatus::kOk, NodeType::kFile, 0, view_of(bad)}, &message))
        << bad;
  }
  const std::string with_nul("a\0b", 3);
  EXPECT_FALSE(
      encode(ReadDirReply{ProtocolStatus::kOk, NodeType::kFile, 0, view_of(with_nul)}, &message));
  EXPECT_FALSE(encode(ReadDirReply{ProtocolStatus::kOk, NodeType::kFile, 0,
                                   view_of(std::string(kMaxNameLength + 1, 'z'))},
                      &message));
  // The end mark has neither a name nor a size.
  EXPECT_FALSE(
      encode(ReadDirReply{ProtocolStatus::kOk, NodeType::kNone, 0, view_of("x")}, &message));
  EXPECT_FALSE(encode(ReadDirReply{ProtocolStatus::kOk, NodeType::kNone, 1, {}}, &message));
  EXPECT_EQ(decode_as<ReadDirReply>(make_message(kReadDir, {0, 1, 0, 1, '.'})),
            ProtocolStatus::kBadValue);
  EXPECT_EQ(decode_as<ReadDirReply>(make_message(kReadDir, {0, 3, 0, 1, 'x'})),
            ProtocolStatus::kBadValue);
  EXPECT_EQ(decode_as<ReadDirReply>(make_message(kReadDir, {0, 0, 0, 1, 'x'})),
            ProtocolStatus::kBadValue);
  EXPECT_EQ(decode_as<ReadDirReply>(make_message(kReadDir, {0, 2, 0, 64, 0, 0, 0, 0, 0, 0, 0, 0})),
            ProtocolStatus::kBadValue);
  EXPECT_EQ(decode_as<ReadDirReply>(make_message(kReadDir, {0, 2, 5, 1, 'd'})),
            ProtocolStatus::kOk);
}

TEST(FsPathRequests, MkdirUnlinkCarryOnePath) {
  WireMessage message;
  EXPECT_EQ(bytes_string(round_trip(MakeDirectoryRequest{view_of("/tmp/d")}, &message).path),
            "/tmp/d");
  EXPECT_EQ(message.label, kMakeDirectory);
  EXPECT_EQ(bytes_string(round_trip(UnlinkRequest{view_of("/tmp/d")}, &message).path), "/tmp/d");
  EXPECT_EQ(message.label, kUnlink);
  EXPECT_EQ(decode_as<UnlinkRequest>(make_message(kUnlink, {0, 0})), ProtocolStatus::kBadValue);
  EXPECT_EQ(decode_as<UnlinkRequest>(make_message(kUnlink, {1})), ProtocolStatus::kTooShort);
  EXPECT_EQ(decode_as<MakeDirectoryRequest>(make_message(kMakeDirectory, {300, 0})),
            ProtocolStatus::kBadValue);
}

TEST(FsRename, TwoPathsOneAfterTheOther) {
  WireMessage message;
  RenameRequest out =
      round_trip(RenameRequest{view_of("/tmp/a-long-name"), view_of("/tmp/b")}, &message);
  ASSERT_EQ(message.words, 1 + 2 + 1 + 1u);
  EXPECT_EQ(message.word[0], 16u);
  EXPECT_EQ(message.word[1], word_of("/tmp/a-l"));
  EXPECT_EQ(message.word[2], word_of("ong-name"));
  EXPECT_EQ(message.word[3], 6u);
  EXPECT_EQ(message.word[4], word_of("/tmp/b"));
  EXPECT_EQ(bytes_string(out.from), "/tmp/a-long-name");
  EXPECT_EQ(bytes_string(out.to), "/tmp/b");
  const std::string longest(kMaxPathLength, 'r');
  out = round_trip(RenameRequest{view_of(longest), view_of(longest)}, &message);
  EXPECT_EQ(message.words, 2 * kPathWords);
  EXPECT_EQ(bytes_string(out.from), longest);
  EXPECT_EQ(bytes_string(out.to), longest);
}

TEST(FsRename, RefusesBadLengthsAndPaddingInEitherPath) {
  WireMessage message = poisoned();
  EXPECT_FALSE(encode(RenameRequest{view_of(""), view_of("/b")}, &message));
  EXPECT_FALSE(encode(RenameRequest{view_of("/a"), view_of("")}, &message));
  EXPECT_FALSE(encode(RenameRequest{view_of(std::string(256, 'a')), view_of("/b")}, &message));
  auto status = [](std::initializer_list<uint64_t> words) {
    return decode_as<RenameRequest>(make_message(kRename, words));
  };
  EXPECT_EQ(status({2, word_of("/a"), 2, word_of("/b")}), ProtocolStatus::kOk);
  EXPECT_EQ(status({0, 0, 2, word_of("/b")}), ProtocolStatus::kBadValue);    // from empty
  EXPECT_EQ(status({256, 0, 2, word_of("/b")}), ProtocolStatus::kBadValue);  // from too long
  EXPECT_EQ(status({2, word_of("/a") | 1ull << 40, 2, word_of("/b")}),
            ProtocolStatus::kBadValue);                                    // from padding
  EXPECT_EQ(status({2, word_of("/a"), 0, 0}), ProtocolStatus::kBadValue);  // to empty
  EXPECT_EQ(status({2, word_of("/a"), 2, word_of("/b") | 1ull << 40}),
            ProtocolStatus::kBadValue);                                          // to padding
  EXPECT_EQ(status({9, word_of("/aaaaaaa"), 0, 2}), ProtocolStatus::kTooShort);  // from's end
  EXPECT_EQ(status({2, word_of("/a"), 9, word_of("/b")}), ProtocolStatus::kTooShort);
  EXPECT_EQ(status({2, word_of("/a"), 2, word_of("/b"), 0}), ProtocolStatus::kTooLong);
}

}  // namespace
}  // namespace bm::ipc::fs
