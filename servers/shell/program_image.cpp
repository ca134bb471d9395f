// Reading a program file into memory (see program_image.h). The memory object is mapped into
// the shell only while it is filled, at an address nothing else of the shell's uses.
#include "servers/shell/program_image.h"

#include "ipc/kernel_status.h"
#include "lib/core/page_size.h"
#include "lib/core/utility.h"
#include "user/fs_client.h"
#include "user/syscalls.h"

namespace shell {
namespace {

using bm::ipc::ProtocolStatus;

// Above the heap (user/memd_heap, user/local_heap: 0x1000'0000'0000 + at most 1 GiB).
constexpr uint64_t kStagingAddress = 0x0000'2000'0000'0000;

// Reads the whole file into `buffer` (`bytes` long, its size when stat answered): the bytes
// read, which may be fewer if it shrank meanwhile; a file that grew is read up to `bytes`.
ProtocolStatus read_file(uint32_t fd, char* buffer, uint64_t bytes, uint64_t* read) {
  uint64_t offset = 0;
  while (offset < bytes) {
    uint64_t want = bytes - offset;
    if (want > bm::ipc::fs::kMaxIoBytes) want = bm::ipc::fs::kMaxIoBytes;
    uint32_t got = 0;
    ProtocolStatus status =
        user::fs::read(fd, offset, buffer + offset, static_cast<uint32_t>(want), &got);
    if (status != ProtocolStatus::kOk) return status;
    if (got == 0) break;
    offset += got;
  }
  *read = offset;
  return ProtocolStatus::kOk;
}

}  // namespace

ProtocolStatus read_program_image(const char* path, ProgramImage* out) {
  user::fs::FileInfo info;
  ProtocolStatus status = user::fs::stat(path, &info);
  if (status != ProtocolStatus::kOk) return status;
  if (info.type == bm::ipc::fs::NodeType::kDirectory) return ProtocolStatus::kIsADirectory;
  if (info.size == 0) return ProtocolStatus::kBadImage;
  if (info.size > kMaxProgramFileBytes) return ProtocolStatus::kBadSize;
  uint32_t fd = 0;
  status = user::fs::open(path, bm::ipc::fs::kOpenRead, &fd);
  if (status != ProtocolStatus::kOk) return status;
  uint64_t pages = (info.size + bm::kPageSize - 1) / bm::kPageSize;
  auto memory = user::memory_create(pages);
  if (!memory.ok()) {
    (void)user::fs::close(fd);
    return bm::ipc::from_kernel(memory.error());
  }
  auto mapped = user::memory_map(bm::abi::kOwnAddressSpace, memory->get(), kStagingAddress,
                                 bm::abi::kMapWritable);
  if (!mapped.ok()) {
    (void)user::fs::close(fd);
    return bm::ipc::from_kernel(mapped.error());
  }
  uint64_t read = 0;
  status = read_file(fd, reinterpret_cast<char*>(kStagingAddress), info.size, &read);
  (void)user::memory_unmap(bm::abi::kOwnAddressSpace, kStagingAddress);
  (void)user::fs::close(fd);
  if (status != ProtocolStatus::kOk) return status;
  if (read == 0) return ProtocolStatus::kBadImage;
  out->memory = bm::move(*memory);
  out->bytes = read;
  return ProtocolStatus::kOk;
}

}  // namespace shell
