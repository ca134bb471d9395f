// A program's ELF file, read through the file server (user/fs_client.h) into a fresh memory
// object: the image init's run_program takes (ipc/programs.h). `run` and bare program names.
#pragma once

#include <stdint.h>

#include "ipc/protocol.h"
#include "user/handle.h"

namespace shell {

// The largest program file the shell reads: 4 MiB. The image's frames count against the
// shell's own frame quota (16 MiB, docs/manifest.md) until init has loaded it, so the limit
// keeps one `run` of a huge file from starving the shell; /boot/bin's programs are tens of KiB.
constexpr uint64_t kMaxProgramFileBytes = 4ull << 20;

struct ProgramImage {
  user::OwnedHandle memory;  // read, write, map, grant: what run_program moves to init
  uint64_t bytes = 0;        // the file's length, 1..kMaxProgramFileBytes
};

// Reads the file at `path` (absolute) into *out. kOk; the file server's answer (kNotFound,
// kIsADirectory for a directory, ...); kBadImage for an empty file; kBadSize for one over
// kMaxProgramFileBytes; a kernel refusal (kOutOfMemory, ...) through from_kernel.
bm::ipc::ProtocolStatus read_program_image(const char* path, ProgramImage* out);

}  // namespace shell
