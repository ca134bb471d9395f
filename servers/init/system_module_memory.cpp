// Boot-module inflating's memory operations through init's system calls.
#include "servers/init/system_module_memory.h"

#include "lib/core/page_size.h"
#include "user/syscalls.h"

namespace init {

namespace {

using bm::abi::Handle;
using bm::abi::Status;

// Where the compressed image and the inflated copy are mapped while one module inflates:
// below the manifest's place (main.cpp) and far from code, heap and stacks; each window
// holds the largest memory object (256 MiB).
constexpr uint64_t kImageAddress = 0x0000500000000000;
constexpr uint64_t kInflatedAddress = 0x0000540000000000;

}  // namespace

Status SystemModuleMemory::map_image(Handle image, uint64_t, const uint8_t** address) {
  Status status = user::memory_map(bm::abi::kOwnAddressSpace, image, kImageAddress, 0).error();
  if (status == Status::kOk) *address = reinterpret_cast<const uint8_t*>(kImageAddress);
  return status;
}

void SystemModuleMemory::unmap_image() {
  (void)user::memory_unmap(bm::abi::kOwnAddressSpace, kImageAddress);
}

Status SystemModuleMemory::create_mapped(uint64_t size, Handle* memory, uint8_t** address) {
  uint64_t pages = size == 0 ? 1 : (size + bm::kPageSize - 1) / bm::kPageSize;
  auto created = user::memory_create(pages);
  if (!created.ok()) return created.error();
  Status status = user::memory_map(bm::abi::kOwnAddressSpace, created->get(), kInflatedAddress,
                                   bm::abi::kMapWritable)
                      .error();
  if (status != Status::kOk) return status;  // `created` closes itself
  *memory = created->release();
  *address = reinterpret_cast<uint8_t*>(kInflatedAddress);
  return Status::kOk;
}

void SystemModuleMemory::unmap_created() {
  (void)user::memory_unmap(bm::abi::kOwnAddressSpace, kInflatedAddress);
}

Status SystemModuleMemory::restrict_to_image_rights(Handle memory, Handle* image) {
  auto copy = user::handle_duplicate(
      memory, bm::abi::kRightRead | bm::abi::kRightMap | bm::abi::kRightGrant);
  if (!copy.ok()) return copy.error();
  *image = copy->release();
  return Status::kOk;
}

void SystemModuleMemory::close(Handle handle) { (void)user::handle_close(handle); }

}  // namespace init
