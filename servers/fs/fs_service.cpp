// FsService: the file protocol on top of FsNamespace and OpenFileTable.
#include "servers/fs/fs_service.h"

#include "ipc/dispatch.h"
#include "servers/fs/fs_status.h"

namespace bm::fs {

namespace {

using ipc::ProtocolStatus;
namespace protocol = ipc::fs;

// The client's path, resolved; clients send absolute paths (they resolve their own working
// directory with resolve_path).
FsError resolve(const ipc::ByteView& bytes, Path* out) {
  return resolve_path(reinterpret_cast<const char*>(bytes.data), bytes.length, nullptr, out);
}

protocol::FileInfo file_info(NodeInfo info) { return {info.type, info.size}; }

}  // namespace

protocol::OpenReply FsService::open(uint64_t badge, const protocol::OpenRequest& request) {
  Path path;
  FsError resolved = resolve(request.path, &path);
  if (resolved != FsError::kOk) return {fs_status(resolved)};
  // Refused before the namespace may create the file.
  ProtocolStatus room = files_.can_add(badge);
  if (room != ProtocolStatus::kOk) return {room};
  OpenMode mode;
  mode.read = (request.flags & protocol::kOpenRead) != 0;
  mode.write = (request.flags & protocol::kOpenWrite) != 0;
  mode.options.create = (request.flags & protocol::kOpenCreate) != 0;
  mode.options.truncate = (request.flags & protocol::kOpenTruncate) != 0;
  mode.options.exclusive = (request.flags & protocol::kOpenExclusive) != 0;
  auto target = namespace_.open(path, mode);
  if (!target.ok()) return {fs_status(target.error())};
  auto fd = files_.add(badge, OpenFile{*target, mode.read, mode.write});
  if (!fd.ok()) {  // never after can_add; if it were, the target must not stay open
    namespace_.close(*target);
    return {fd.error()};
  }
  return {ProtocolStatus::kOk, *fd};
}

protocol::ReadReply FsService::read(uint64_t badge, const protocol::ReadRequest& request) {
  OpenFile* file = files_.find(badge, request.fd);
  if (file == nullptr) return {ProtocolStatus::kInvalidHandle};
  if (file->target.type == NodeType::kDirectory) return {ProtocolStatus::kIsADirectory};
  if (!file->readable) return {ProtocolStatus::kNoRights};
  auto count = namespace_.read(file->target, request.offset, read_buffer_, request.max_bytes);
  if (!count.ok()) return {fs_status(count.error())};
  return {ProtocolStatus::kOk, {read_buffer_, *count}};
}

protocol::WriteReply FsService::write(uint64_t badge, const protocol::WriteRequest& request) {
  OpenFile* file = files_.find(badge, request.fd);
  if (file == nullptr) return {ProtocolStatus::kInvalidHandle};
  if (!file->writable) return {ProtocolStatus::kNoRights};
  auto count =
      namespace_.write(file->target, request.offset, request.bytes.data, request.bytes.length);
  if (!count.ok()) return {fs_status(count.error())};
  return {ProtocolStatus::kOk, *count};
}

ProtocolStatus FsService::close(uint64_t badge, uint32_t fd) {
  OpenFile* file = files_.find(badge, fd);
  if (file == nullptr) return ProtocolStatus::kInvalidHandle;
  namespace_.close(file->target);
  files_.remove(badge, fd);
  return ProtocolStatus::kOk;
}

protocol::ReadDirReply FsService::read_directory(const protocol::ReadDirRequest& request) {
  Path path;
  FsError resolved = resolve(request.path, &path);
  if (resolved != FsError::kOk) return {fs_status(resolved)};
  auto entry = namespace_.read_directory(path, request.index);
  if (!entry.ok()) return {fs_status(entry.error())};
  entry_ = *entry;
  protocol::ReadDirReply reply{ProtocolStatus::kOk, entry_.info.type, entry_.info.size, {}};
  reply.name = {reinterpret_cast<const uint8_t*>(entry_.name), entry_.name_length};
  return reply;
}

void FsService::serve(uint64_t badge, const ipc::WireMessage& request, ipc::WireMessage* reply) {
  ipc::dispatch(
      request, reply,
      [&](const protocol::OpenRequest& open_request) { return open(badge, open_request); },
      [&](const protocol::ReadRequest& read_request) { return read(badge, read_request); },
      [&](const protocol::WriteRequest& write_request) { return write(badge, write_request); },
      [&](const protocol::CloseRequest& close_request) { return close(badge, close_request.fd); },
      [&](const protocol::StatRequest& stat) {
        Path path;
        FsError resolved = resolve(stat.path, &path);
        if (resolved != FsError::kOk) return protocol::StatReply{fs_status(resolved)};
        auto info = namespace_.stat(path);
        if (!info.ok()) return protocol::StatReply{fs_status(info.error())};
        return protocol::StatReply{ProtocolStatus::kOk, file_info(*info)};
      },
      [&](const protocol::FstatRequest& fstat) {
        OpenFile* file = files_.find(badge, fstat.fd);
        if (file == nullptr) return protocol::FstatReply{ProtocolStatus::kInvalidHandle};
        return protocol::FstatReply{ProtocolStatus::kOk, file_info(namespace_.info(file->target))};
      },
      [&](const protocol::ReadDirRequest& read_dir) { return read_directory(read_dir); },
      [&](const protocol::MakeDirectoryRequest& mkdir) {
        Path path;
        FsError resolved = resolve(mkdir.path, &path);
        if (resolved != FsError::kOk) return fs_status(resolved);
        return fs_status(namespace_.make_directory(path).error());
      },
      [&](const protocol::UnlinkRequest& unlink) {
        Path path;
        FsError resolved = resolve(unlink.path, &path);
        if (resolved != FsError::kOk) return fs_status(resolved);
        return fs_status(namespace_.remove(path).error());
      },
      [&](const protocol::RenameRequest& rename) {
        Path from, to;
        FsError resolved = resolve(rename.from, &from);
        if (resolved == FsError::kOk) resolved = resolve(rename.to, &to);
        if (resolved != FsError::kOk) return fs_status(resolved);
        return fs_status(namespace_.rename(from, to).error());
      });
}

void FsService::client_ended(uint64_t badge) {
  files_.remove_all(badge, [&](const OpenFile& file) { namespace_.close(file.target); });
}

}  // namespace bm::fs
