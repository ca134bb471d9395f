// The memory operations of boot-module inflating (servers/init/boot_modules.h) as init's
// system calls: each object mapped at a fixed address of init's own address space.
#pragma once

#include "servers/init/boot_modules.h"

namespace init {

class SystemModuleMemory final : public ModuleMemory {
 public:
  bm::abi::Status map_image(bm::abi::Handle image, uint64_t size, const uint8_t** address) override;
  void unmap_image() override;
  bm::abi::Status create_mapped(uint64_t size, bm::abi::Handle* memory, uint8_t** address) override;
  void unmap_created() override;
  bm::abi::Status restrict_to_image_rights(bm::abi::Handle memory, bm::abi::Handle* image) override;
  void close(bm::abi::Handle handle) override;
};

}  // namespace init
