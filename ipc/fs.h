// The file protocol (labels 0x501..): one namespace of files and directories, "/boot" read
// only from the initrd and "/tmp" in memory. Paths are absolute and travel as byte strings;
// an open file is a small number per client (not a kernel handle); reads and writes name
// their offset, so a repeated request does the same again. docs/protocols.md describes every
// message.
#pragma once

#include <stdint.h>

#include "ipc/wire_codec.h"
#include "lib/fs/node_info.h"
#include "lib/fs/path.h"

namespace bm::ipc::fs {

using ipc::decode;  // the codecs of ipc/wire_codec.h
using ipc::encode;

// A path is 1..kMaxPathLength bytes, each of its names 1..kMaxNameLength (lib/fs/path.h).
constexpr uint32_t kMaxPathLength = bm::fs::kMaxPathLength;
constexpr uint32_t kMaxNameLength = bm::fs::kMaxNameLength;
constexpr uint32_t kPathWords = 1 + words_for_bytes(kMaxPathLength);  // length word + bytes
// The most bytes one read or write moves: what fits in one message with its other words.
constexpr uint32_t kMaxIoBytes = 4064;
constexpr uint32_t kMaxWriteWords = 3 + words_for_bytes(kMaxIoBytes);      // fd, offset, length
constexpr uint32_t kMaxReadReplyWords = 2 + words_for_bytes(kMaxIoBytes);  // status, length
constexpr uint32_t kReadDirReplyWords = 4 + words_for_bytes(kMaxNameLength);
static_assert(kMaxWriteWords <= abi::kMaxMessageWords);
static_assert(kMaxReadReplyWords <= abi::kMaxMessageWords);

// What a path names (lib/fs/node_info.h): kFile 1, kDirectory 2; kNone 0 only in a readdir
// reply past the last entry.
using NodeType = bm::fs::NodeType;
constexpr bool is_node_type(uint64_t value) { return value <= 2; }
constexpr bool is_file_or_directory(uint64_t value) { return value == 1 || value == 2; }

// open's flags: read, write or both; create and truncate need write, exclusive needs create.
constexpr uint64_t kOpenRead = 1;
constexpr uint64_t kOpenWrite = 2;
constexpr uint64_t kOpenCreate = 4;      // make the file if the name is free
constexpr uint64_t kOpenTruncate = 8;    // an existing file becomes empty
constexpr uint64_t kOpenExclusive = 16;  // with create: kExists if the name is taken
constexpr uint64_t kOpenFlagBits = 31;
constexpr bool valid_open_flags(uint64_t flags) {
  if ((flags & ~kOpenFlagBits) != 0) return false;
  if ((flags & (kOpenRead | kOpenWrite)) == 0) return false;
  if ((flags & (kOpenCreate | kOpenTruncate)) != 0 && (flags & kOpenWrite) == 0) return false;
  return (flags & kOpenExclusive) == 0 || (flags & kOpenCreate) != 0;
}

// X(Name, label, "name", request words min, max, kOk reply words min, max)
#define BM_FS_MESSAGES(X)                                                \
  X(Open, 0x501, "open", 3, 1 + kPathWords, 2, 2)                        \
  X(Read, 0x502, "read", 3, 3, 2, kMaxReadReplyWords)                    \
  X(Write, 0x503, "write", 3, kMaxWriteWords, 2, 2)                      \
  X(Close, 0x504, "close", 1, 1, 1, 1)                                   \
  X(Stat, 0x505, "stat", 2, kPathWords, 3, 3)                            \
  X(Fstat, 0x506, "fstat", 1, 1, 3, 3)                                   \
  X(ReadDir, 0x507, "readdir", 3, 1 + kPathWords, 4, kReadDirReplyWords) \
  X(MakeDirectory, 0x508, "mkdir", 2, kPathWords, 1, 1)                  \
  X(Unlink, 0x509, "unlink", 2, kPathWords, 1, 1)                        \
  X(Rename, 0x50a, "rename", 4, 2 * kPathWords, 1, 1)

BM_DEFINE_MESSAGES(BM_FS_MESSAGES, Label, kMessages)

// Requests a client may send again to a restarted server: those that change nothing, and
// read and write, which name their offset. A restarted server has no open files, so a
// repeated read or write gets kInvalidHandle rather than reaching another file.
constexpr uint32_t kIdempotent[] = {kRead, kWrite, kStat, kFstat, kReadDir};

// A path on the wire: 1..kMaxPathLength bytes. The decoder checks only the length; the
// server resolves the rest (kBadPath, kNameTooLong).
template <auto kMember>
using PathBytes = Bytes<kMember, kMaxPathLength, 1>;

// open: the file or directory at `path`; the reply's fd names it in later requests of this
// client (0, 1, ...: the lowest free). A directory opens only for reading (fstat).
struct OpenRequest {
  uint64_t flags = kOpenRead;
  ByteView path{};
  using Wire = Request<kOpenSpec, Checked<&OpenRequest::flags, valid_open_flags>,
                       PathBytes<&OpenRequest::path>>;
};
struct OpenReply {
  ProtocolStatus status = ProtocolStatus::kOk;
  uint32_t fd = 0;
  using Wire = Reply<kOpenSpec, Bounded<&OpenReply::fd, 0, 0xffff'ffff>>;
};

// read: up to max_bytes from `offset` (pread); fewer at the end of the file, none past it.
struct ReadRequest {
  uint32_t fd = 0;
  uint64_t offset = 0;
  uint32_t max_bytes = kMaxIoBytes;  // 1..kMaxIoBytes
  using Wire =
      Request<kReadSpec, Bounded<&ReadRequest::fd, 0, 0xffff'ffff>, Word<&ReadRequest::offset>,
              Bounded<&ReadRequest::max_bytes, 1, kMaxIoBytes>>;
};
struct ReadReply {
  ProtocolStatus status = ProtocolStatus::kOk;
  ByteView bytes{};  // 0..max_bytes; 0 at or past the end of the file
  using Wire = Reply<kReadSpec, Bytes<&ReadReply::bytes, kMaxIoBytes>>;
};

// write: the bytes at `offset` (pwrite); past the end the file grows and the gap reads as
// zeroes. All of them or none: `written` is the length, or the reply an error.
struct WriteRequest {
  uint32_t fd = 0;
  uint64_t offset = 0;
  ByteView bytes{};
  using Wire = Request<kWriteSpec, Bounded<&WriteRequest::fd, 0, 0xffff'ffff>,
                       Word<&WriteRequest::offset>, Bytes<&WriteRequest::bytes, kMaxIoBytes>>;
};
struct WriteReply {
  ProtocolStatus status = ProtocolStatus::kOk;
  uint32_t written = 0;
  using Wire = Reply<kWriteSpec, Bounded<&WriteReply::written, 0, kMaxIoBytes>>;
};

// close: the fd is free for the next open. A removed file's data goes with its last close.
struct CloseRequest {
  uint32_t fd = 0;
  using Wire = Request<kCloseSpec, Bounded<&CloseRequest::fd, 0, 0xffff'ffff>>;
};
using CloseReply = StatusReply<kCloseSpec>;

// What stat and fstat answer: a file's size in bytes, a directory's in entries.
struct FileInfo {
  NodeType type = NodeType::kFile;
  uint64_t size = 0;
  using Wire = Fields<Checked<&FileInfo::type, is_file_or_directory>, Word<&FileInfo::size>>;
};

struct StatRequest {
  ByteView path{};
  using Wire = Request<kStatSpec, PathBytes<&StatRequest::path>>;
};
struct StatReply {
  ProtocolStatus status = ProtocolStatus::kOk;
  FileInfo info{};
  using Wire = Reply<kStatSpec, Nested<&StatReply::info>>;
};

struct FstatRequest {
  uint32_t fd = 0;
  using Wire = Request<kFstatSpec, Bounded<&FstatRequest::fd, 0, 0xffff'ffff>>;
};
struct FstatReply {
  ProtocolStatus status = ProtocolStatus::kOk;
  FileInfo info{};
  using Wire = Reply<kFstatSpec, Nested<&FstatReply::info>>;
};

// readdir: entry `index` (0, 1, ...) of the directory at `path`, one per request; an index
// past the last answers kOk with type kNone and no name. The order is the directory's own
// (archive order in /boot, creation order in /tmp); an entry made or removed between two
// requests may shift the ones after it.
struct ReadDirRequest {
  uint64_t index = 0;
  ByteView path{};
  using Wire =
      Request<kReadDirSpec, Word<&ReadDirRequest::index>, PathBytes<&ReadDirRequest::path>>;
};
struct ReadDirReply;
constexpr bool valid_entry(const ReadDirReply& reply);
struct ReadDirReply {
  ProtocolStatus status = ProtocolStatus::kOk;
  NodeType type = NodeType::kNone;
  uint64_t size = 0;  // as stat's
  ByteView name{};    // a Name (1..kMaxNameLength bytes, no '/' or NUL, not . or ..); none
                      // with kNone
  using Wire =
      Reply<kReadDirSpec, Checked<&ReadDirReply::type, is_node_type>, Word<&ReadDirReply::size>,
            Bytes<&ReadDirReply::name, kMaxNameLength>, Rule<valid_entry>>;
};
constexpr bool valid_entry(const ReadDirReply& reply) {
  if (reply.type == NodeType::kNone) return reply.size == 0 && reply.name.length == 0;
  return bm::fs::is_name(reply.name.data, reply.name.length);
}

// mkdir: a new empty directory (kExists if the name is taken).
struct MakeDirectoryRequest {
  ByteView path{};
  using Wire = Request<kMakeDirectorySpec, PathBytes<&MakeDirectoryRequest::path>>;
};
using MakeDirectoryReply = StatusReply<kMakeDirectorySpec>;

// unlink: removes a file, or an empty directory (kNotEmpty otherwise). A file still open
// stays readable and writable through its fds until the last close.
struct UnlinkRequest {
  ByteView path{};
  using Wire = Request<kUnlinkSpec, PathBytes<&UnlinkRequest::path>>;
};
using UnlinkReply = StatusReply<kUnlinkSpec>;

// rename: moves `from` to `to` in the same file system, replacing a file by a file or an
// empty directory by a directory there.
struct RenameRequest {
  ByteView from{};
  ByteView to{};
  using Wire = Request<kRenameSpec, EmbeddedBytes<&RenameRequest::from, kMaxPathLength, 1>,
                       PathBytes<&RenameRequest::to>>;
};
using RenameReply = StatusReply<kRenameSpec>;

}  // namespace bm::ipc::fs
