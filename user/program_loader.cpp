// The ring-3 program loader: map the file read-only, parse and plan it with lib/elf, create
// the task, then per range: a memory object charged to the new task, filled through a
// scratch mapping here, mapped into the task with its final rights. A mapping keeps its
// memory object alive (kernel/obj/memory_object.h), so the loader closes each handle once
// the range is mapped, and the frames go when the task's address space does.
#include "user/program_loader.h"

#include "ipc/kernel_status.h"
#include "lib/abi/syscalls.h"
#include "lib/elf/load_plan.h"

namespace user {
namespace {

using bm::ipc::ProtocolStatus;

// A mapping in the caller's own address space that goes away with this object.
class ScratchMapping {
 public:
  explicit ScratchMapping(uint64_t address) : address_(address) {}
  ~ScratchMapping() {
    if (mapped_) (void)memory_unmap(bm::abi::kOwnAddressSpace, address_);
  }
  ScratchMapping(const ScratchMapping&) = delete;
  ScratchMapping& operator=(const ScratchMapping&) = delete;

  SysResult<void> map(Handle memory, uint64_t first_page, uint64_t pages, uint64_t flags) {
    auto mapped =
        memory_map_range(bm::abi::kOwnAddressSpace, memory, address_, flags, first_page, pages);
    mapped_ = mapped.ok();
    return mapped;
  }
  uint8_t* bytes() const { return reinterpret_cast<uint8_t*>(address_); }

 private:
  uint64_t address_;
  bool mapped_ = false;
};

// A failed step: the status to return and the sentence for *reason.
struct Failure {
  ProtocolStatus status;
  const char* step;
};

constexpr Failure kLoaded = {ProtocolStatus::kOk, "ok"};

Failure refused_by_kernel(Status status, const char* step) {
  return {bm::ipc::from_kernel(status), step};
}

uint64_t map_flags(const bm::elf::LoadRange& range) {
  uint64_t flags = 0;
  if (range.writable) flags |= bm::abi::kMapWritable;
  if (range.executable) flags |= bm::abi::kMapExecutable;
  return flags;
}

// One range: zeroed frames paid by `task`, the file bytes copied in, mapped there.
Failure load_range(Handle task, const bm::elf::LoadRange& range, const uint8_t* file) {
  auto memory = memory_create(range.pages, task);
  if (!memory.ok()) return refused_by_kernel(memory.error(), "no memory for a segment");
  if (range.file_size != 0) {
    // Only the pages the file bytes go to; the rest is zero already.
    uint64_t file_pages = (range.copy_offset + range.file_size + bm::kPageSize - 1) / bm::kPageSize;
    ScratchMapping scratch(kLoaderCopyWindow);
    auto mapped = scratch.map(memory->get(), 0, file_pages, bm::abi::kMapWritable);
    if (!mapped.ok()) return refused_by_kernel(mapped.error(), "cannot map a segment to fill it");
    __builtin_memcpy(scratch.bytes() + range.copy_offset, file + range.file_offset,
                     range.file_size);
  }
  auto placed = memory_map(task, memory->get(), range.address, map_flags(range));
  if (!placed.ok()) return refused_by_kernel(placed.error(), "cannot map a segment into the task");
  return kLoaded;
}

Failure parse(const ScratchMapping& image, uint64_t bytes, bm::elf::Image* parsed) {
  const char* why = "ok";
  auto valid = bm::elf::parse_executable(
      image.bytes(), bytes, {bm::abi::kUserSpaceBase, bm::abi::kUserSpaceEnd}, parsed, &why);
  if (!valid) return {ProtocolStatus::kBadImage, why};
  return kLoaded;
}

LoadResult fail(const Failure& failure, const char** reason) {
  if (reason != nullptr) *reason = failure.step;
  return failure.status;
}

}  // namespace

LoadResult load_program(const ProgramSpec& spec, const char** reason) {
  if (spec.image_bytes == 0) return fail({ProtocolStatus::kBadImage, "empty image"}, reason);
  uint64_t image_pages = (spec.image_bytes + bm::kPageSize - 1) / bm::kPageSize;
  if (image_pages > bm::abi::kMaxMemoryObjectPages) {
    return fail({ProtocolStatus::kBadImage, "image larger than any memory object"}, reason);
  }
  // Only the pages that hold the file: an object shorter than image_bytes is refused here,
  // so the parser can never read past the mapping.
  ScratchMapping image(kLoaderImageWindow);
  auto mapped = image.map(spec.image, 0, image_pages, 0);
  if (!mapped.ok()) return fail(refused_by_kernel(mapped.error(), "cannot map the image"), reason);
  bm::elf::Image parsed;
  Failure failure = parse(image, spec.image_bytes, &parsed);
  if (failure.status != ProtocolStatus::kOk) return fail(failure, reason);
  bm::elf::LoadPlan plan = bm::elf::plan_load(parsed);

  auto created = task_create(spec.name, spec.name_length, spec.bootstrap, spec.frame_limit);
  if (!created.ok()) {
    return fail(refused_by_kernel(created.error(), "cannot create the task"), reason);
  }
  // Every read of the file below is at an offset the parse checked against image_bytes: should
  // another holder of the object change it meanwhile, only the bytes copied can differ.
  for (size_t i = 0; i < plan.range_count && failure.status == ProtocolStatus::kOk; ++i) {
    failure = load_range(created->task.get(), plan.ranges[i], image.bytes());
  }
  if (failure.status == ProtocolStatus::kOk) {
    auto thread = thread_create(created->task.get(), plan.entry, created->bootstrap, spec.priority);
    if (!thread.ok()) failure = refused_by_kernel(thread.error(), "cannot start the main thread");
  }
  if (failure.status != ProtocolStatus::kOk) {
    (void)task_kill(created->task.get());  // frees every range mapped so far
    return fail(failure, reason);
  }
  if (reason != nullptr) *reason = "ok";
  return LoadedProgram{bm::move(created->task), created->id};
}

}  // namespace user
