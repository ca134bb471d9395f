// One file-protocol request in, one reply out (ipc/fs.h): decodes, resolves the path, asks
// the namespace, and keeps each client's open files. The server's loop feeds it what it
// receives with the caller's badge; host tests feed it directly.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "ipc/fs.h"
#include "ipc/protocol.h"
#include "servers/fs/fs_namespace.h"
#include "servers/fs/open_file_table.h"

namespace bm::fs {

class FsService {
 public:
  // `memory` backs /tmp, which may hold `tmp_byte_limit` bytes (Tmpfs's accounting).
  FsService(FsMemory& memory, uint64_t tmp_byte_limit) : namespace_(memory, tmp_byte_limit) {}
  // Going away frees all of /tmp, files still open included (Tmpfs's destructor).

  // Mounts the initrd at /boot. On an error /boot stays empty and the caller logs the error
  // (ustar_error_text) with the offset of the header at fault.
  UstarError mount_boot(const uint8_t* archive, size_t size, uint64_t* failed_offset) {
    return namespace_.mount_boot(archive, size, failed_offset);
  }

  // Answers `request` from the client with `badge`. Paths must be absolute (kBadPath).
  void serve(uint64_t badge, const ipc::WireMessage& request, ipc::WireMessage* reply);

  // The client is gone (exited or killed): its files are closed. A removed file whose last
  // open it held is freed now.
  void client_ended(uint64_t badge);

  uint32_t open_files(uint64_t badge) const { return files_.open_count(badge); }
  uint32_t clients() const { return files_.client_count(); }
  const Tmpfs& tmp() const { return namespace_.tmp(); }

 private:
  ipc::fs::OpenReply open(uint64_t badge, const ipc::fs::OpenRequest& request);
  ipc::fs::ReadReply read(uint64_t badge, const ipc::fs::ReadRequest& request);
  ipc::fs::WriteReply write(uint64_t badge, const ipc::fs::WriteRequest& request);
  ipc::ProtocolStatus close(uint64_t badge, uint32_t fd);
  ipc::fs::ReadDirReply read_directory(const ipc::fs::ReadDirRequest& request);

  FsNamespace namespace_;
  OpenFileTable files_;
  // What read and readdir replies point to until they are encoded.
  uint8_t read_buffer_[ipc::fs::kMaxIoBytes] = {};
  DirEntry entry_{};
};

}  // namespace bm::fs
