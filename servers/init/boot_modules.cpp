// Inflating compressed boot modules in init's copy of the boot information (boot_modules.h).
#include "servers/init/boot_modules.h"

#include "lib/compress/decompress.h"
#include "lib/compress/format.h"
#include "lib/core/page_size.h"

namespace init {

namespace {

using bm::abi::Handle;
using bm::abi::Status;

// The most a memory object holds; a larger recorded size cannot be inflated.
constexpr uint64_t kLargestInflatedModule = bm::abi::kMaxMemoryObjectPages * bm::kPageSize;

// Takes module `index` out of the table (closing its image), keeping the others in order.
void drop_module(bm::abi::InitBootInfo* boot, uint32_t index, ModuleMemory& memory) {
  memory.close(boot->modules[index].image);
  for (uint32_t i = index; i + 1 < boot->module_count; ++i) boot->modules[i] = boot->modules[i + 1];
  --boot->module_count;
  boot->modules[boot->module_count] = bm::abi::InitBootModule{};
}

enum class Outcome { kPlain, kInflated, kDropped };

// Inflates module `module` if it is compressed; on kDropped it has logged why.
Outcome inflate(bm::abi::InitBootModule& module, ModuleMemory& memory, ModuleLog log) {
  const uint8_t* source = nullptr;
  Status status = memory.map_image(module.image, module.size, &source);
  if (status != Status::kOk) {
    // Whether it is compressed cannot be told; whoever reads it next will meet the same error.
    log("init: %s: cannot map to check for compression: %s\n", module.name,
        bm::abi::status_text(status));
    return Outcome::kPlain;
  }
  if (!bm::compress::has_magic(source, module.size)) {
    memory.unmap_image();
    return Outcome::kPlain;
  }
  auto size = bm::compress::decompressed_size(source, module.size);
  if (!size.ok() || *size > kLargestInflatedModule) {
    log("init: %s: bad compressed module: %s\n", module.name,
        size.ok() ? "recorded size over the largest memory object"
                  : bm::compress::decode_error_text(size.error()));
    memory.unmap_image();
    return Outcome::kDropped;
  }
  Handle inflated = 0;
  uint8_t* destination = nullptr;
  status = memory.create_mapped(*size, &inflated, &destination);
  if (status != Status::kOk) {
    log("init: %s: cannot inflate (%lu bytes): %s\n", module.name, *size,
        bm::abi::status_text(status));
    memory.unmap_image();
    return Outcome::kDropped;
  }
  auto decoded = bm::compress::decompress(source, module.size, destination, *size);
  Handle image = 0;
  if (decoded.ok()) status = memory.restrict_to_image_rights(inflated, &image);
  memory.unmap_created();
  memory.unmap_image();
  memory.close(inflated);
  if (!decoded.ok()) {
    log("init: %s: bad compressed module: %s\n", module.name,
        bm::compress::decode_error_text(decoded.error()));
    return Outcome::kDropped;
  }
  if (status != Status::kOk) {
    log("init: %s: cannot inflate: %s\n", module.name, bm::abi::status_text(status));
    return Outcome::kDropped;
  }
  memory.close(module.image);
  module.image = image;
  module.size = *decoded;
  return Outcome::kInflated;
}

}  // namespace

InflateCount inflate_boot_modules(bm::abi::InitBootInfo* boot, ModuleMemory& memory,
                                  ModuleLog log) {
  InflateCount count;
  uint32_t index = 0;
  while (index < boot->module_count && index < bm::abi::kMaxBootModules) {
    switch (inflate(boot->modules[index], memory, log)) {
      case Outcome::kPlain:
        ++index;
        break;
      case Outcome::kInflated:
        ++count.inflated;
        ++index;
        break;
      case Outcome::kDropped:
        ++count.dropped;
        drop_module(boot, index, memory);  // the next module moved to `index`
        break;
    }
  }
  return count;
}

}  // namespace init
