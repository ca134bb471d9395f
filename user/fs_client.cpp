// File-protocol client: each call encodes with ipc/fs.h's codecs and goes through
// call_service, which looks "fs" up again after a restart.
#include "user/fs_client.h"

#include "lib/fmt/string.h"

namespace user::fs {
namespace {

namespace proto = bm::ipc::fs;
using bm::ipc::ByteView;

bm::ipc::ServiceConnection connection{"fs"};
bm::ipc::WireMessage request_wire;
bm::ipc::WireMessage reply_wire;

ByteView view(const char* text) {
  return {reinterpret_cast<const uint8_t*>(text), static_cast<uint32_t>(bm::string_length(text))};
}

// Encode, call, decode. A request that met a dead fs is sent once more to the new one even
// when it is not idempotent: a restarted fs starts from the initrd and an empty /tmp, so
// nothing the dead one may have done survives to be done twice.
template <typename Request, typename Reply>
ProtocolStatus call(const Request& request, Reply* out) {
  if (!encode(request, &request_wire)) return ProtocolStatus::kBadValue;
  ProtocolStatus status = call_service(&connection, request_wire, &reply_wire);
  if (status == ProtocolStatus::kPeerGone && connection.handle != 0) {
    status = call_service(&connection, request_wire, &reply_wire);
  }
  if (status != ProtocolStatus::kOk) return status;
  if (decode(reply_wire, out) != ProtocolStatus::kOk) {
    if (reply_wire.has_handle) (void)handle_close(reply_wire.handle);
    return ProtocolStatus::kBadValue;
  }
  return out->status;
}

}  // namespace

ProtocolStatus open(const char* path, uint64_t flags, uint32_t* fd) {
  proto::OpenReply reply;
  ProtocolStatus status = call(proto::OpenRequest{flags, view(path)}, &reply);
  if (status == ProtocolStatus::kOk) *fd = reply.fd;
  return status;
}

ProtocolStatus read(uint32_t fd, uint64_t offset, char* buffer, uint32_t capacity, uint32_t* got) {
  if (capacity > proto::kMaxIoBytes) capacity = proto::kMaxIoBytes;
  proto::ReadReply reply;
  ProtocolStatus status = call(proto::ReadRequest{fd, offset, capacity}, &reply);
  *got = 0;
  if (status != ProtocolStatus::kOk) return status;
  uint32_t length = reply.bytes.length < capacity ? reply.bytes.length : capacity;
  for (uint32_t i = 0; i < length; ++i) buffer[i] = static_cast<char>(reply.bytes.data[i]);
  *got = length;
  return ProtocolStatus::kOk;
}

ProtocolStatus write(uint32_t fd, uint64_t offset, const char* bytes, size_t length) {
  size_t done = 0;
  while (done < length) {
    size_t chunk = length - done;
    if (chunk > proto::kMaxIoBytes) chunk = proto::kMaxIoBytes;
    proto::WriteRequest request{
        fd,
        offset + done,
        {reinterpret_cast<const uint8_t*>(bytes + done), static_cast<uint32_t>(chunk)}};
    proto::WriteReply reply;
    ProtocolStatus status = call(request, &reply);
    if (status != ProtocolStatus::kOk) return status;
    done += chunk;
  }
  return ProtocolStatus::kOk;
}

ProtocolStatus close(uint32_t fd) {
  proto::CloseReply reply;
  return call(proto::CloseRequest{fd}, &reply);
}

ProtocolStatus stat(const char* path, FileInfo* out) {
  proto::StatReply reply;
  ProtocolStatus status = call(proto::StatRequest{view(path)}, &reply);
  if (status == ProtocolStatus::kOk) *out = reply.info;
  return status;
}

ProtocolStatus read_directory(const char* path, uint64_t index, Entry* out) {
  proto::ReadDirReply reply;
  ProtocolStatus status = call(proto::ReadDirRequest{index, view(path)}, &reply);
  if (status != ProtocolStatus::kOk) return status;
  out->type = reply.type;
  out->size = reply.size;
  uint32_t length = reply.name.length;
  if (length > proto::kMaxNameLength) length = proto::kMaxNameLength;
  for (uint32_t i = 0; i < length; ++i) out->name[i] = static_cast<char>(reply.name.data[i]);
  out->name[length] = '\0';
  return ProtocolStatus::kOk;
}

ProtocolStatus make_directory(const char* path) {
  proto::MakeDirectoryReply reply;
  return call(proto::MakeDirectoryRequest{view(path)}, &reply);
}

ProtocolStatus unlink(const char* path) {
  proto::UnlinkReply reply;
  return call(proto::UnlinkRequest{view(path)}, &reply);
}

ProtocolStatus rename(const char* from, const char* to) {
  proto::RenameReply reply;
  return call(proto::RenameRequest{view(from), view(to)}, &reply);
}

const char* status_text(ProtocolStatus status) {
  switch (status) {
    case ProtocolStatus::kNotFound:
      return "not found";
    case ProtocolStatus::kExists:
      return "already exists";
    case ProtocolStatus::kNotADirectory:
      return "not a directory";
    case ProtocolStatus::kIsADirectory:
      return "is a directory";
    case ProtocolStatus::kReadOnly:
      return "read-only file system";
    case ProtocolStatus::kNoSpace:
      return "no space left in /tmp";
    case ProtocolStatus::kNameTooLong:
      return "name too long";
    case ProtocolStatus::kBadPath:
      return "bad path";
    case ProtocolStatus::kNotEmpty:
      return "directory not empty";
    case ProtocolStatus::kNoRights:
      return "not permitted";
    case ProtocolStatus::kPeerGone:
      return "the file server is not running";
    default:
      return bm::ipc::protocol_status_text(status);
  }
}

}  // namespace user::fs
