// Starting a program: the ring-3 loader every task that starts others uses (init for the
// servers, the test suite for its peers, the fuzzer for its children). The kernel only
// creates the empty task and maps what the loader prepared; parsing and laying out the ELF
// happen here, in the caller's address space and on the new task's frame quota.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "ipc/protocol.h"
#include "lib/core/page_size.h"
#include "lib/core/result.h"
#include "user/syscalls.h"

namespace user {

struct ProgramSpec {
  Handle image;          // memory (map) holding the ELF file: a boot module or any object
  uint64_t image_bytes;  // the file's length; the object may be longer (it is whole pages)
  const char* name;      // the task's name, up to bm::abi::kMaxTaskNameLength bytes
  size_t name_length;
  uint64_t priority;         // the main thread's; not above the caller's
  Handle bootstrap = 0;      // task_create's bootstrap; main gets its number in the new task
  uint64_t frame_limit = 0;  // task_create's: 0 = the caller's own limit
};

struct LoadedProgram {
  OwnedHandle task;  // all rights
  uint32_t id;       // the task's id (system_info kCurrentTask, thread_list)
};

using LoadResult = bm::Result<LoadedProgram, bm::ipc::ProtocolStatus>;

// Where the loader maps the image, and then the file pages of each range it fills, in the
// caller's own address space while it works; both are unmapped again before it returns. One
// load at a time per task. Each window is as large as a memory object can be, and both lie in
// one 1 GiB page-directory span: the page tables the first load makes stay (as after any
// unmap) and later loads of images no larger reuse them, so only the first load costs the
// caller a few frames.
constexpr uint64_t kLoaderImageWindow = 0x0000500000000000;
constexpr uint64_t kLoaderCopyWindow =
    kLoaderImageWindow + bm::abi::kMaxMemoryObjectPages * bm::kPageSize;

// Creates a task (task_create), builds its image from `spec.image` as lib/elf/load_plan.h
// lays it out (each range a memory object paid by the new task, filled here, then mapped
// there with its own rights, W^X kept) and starts its main thread at the ELF entry.
// Any failure ends the half-built task and returns:
//   kBadImage   the file is not a static x86_64 executable this system runs (*reason: lib/elf's
//               sentence, e.g. "bad magic")
//   otherwise   the kernel's refusal of the failing step, mapped by ipc/kernel_status.h (bad
//               name, bootstrap without grant, frame limit over the caller's, priority over
//               the caller's, image handle of the wrong type or without map, out of memory or
//               over the new task's frame limit); *reason names the step.
// `reason`, if not null, receives a static string ("ok" on success).
LoadResult load_program(const ProgramSpec& spec, const char** reason = nullptr);

}  // namespace user
