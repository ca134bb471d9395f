// Building grant handles: port ranges are cut from init's range, the rest
// are duplicates of init's own handles.
#include "servers/init/grants.h"

#include "ipc/framebuffer_grant.h"
#include "lib/fmt/string.h"
#include "user/print.h"
#include "user/syscalls.h"

namespace init {
namespace {

using bm::abi::Status;
using bm::ipc::GrantKind;

// The list owns the handle from here on (drop_grants closes it).
bool add(GrantList* list, GrantKind kind, uint64_t detail, uint64_t count,
         user::SysResult<user::OwnedHandle> made, const char* what) {
  if (!made.ok()) {
    user::printf("init: cannot grant %s: %s\n", what, bm::abi::status_text(made.error()));
    return false;
  }
  list->grants[list->count++] = {kind, detail, count, made->release()};
  return true;
}

// Grants travel to the server in a reply, which moves the handle: that
// needs the grant right (and the server may pass the resource on).
user::SysResult<user::OwnedHandle> duplicate(bm::abi::Handle handle, uint32_t rights) {
  return user::handle_duplicate(handle, rights);
}

// The boot's framebuffer, its geometry in the grant's words. A server that asks for it on a
// machine that booted without one is not started.
bool add_framebuffer(const char* module, const bm::abi::InitBootInfo& boot, GrantList* out) {
  bm::ipc::FramebufferGrantWords words{};
  if (!bm::ipc::encode_framebuffer_grant(boot.framebuffer_geometry, &words)) {
    user::printf("init: %s: not started: a %ux%u framebuffer is too large to describe\n",
                 module, boot.framebuffer_geometry.width, boot.framebuffer_geometry.height);
    return false;
  }
  return add(out, GrantKind::kFramebuffer, words.detail, words.count,
             duplicate(boot.framebuffer,
                       bm::abi::kRightRead | bm::abi::kRightWrite | bm::abi::kRightMap |
                           bm::abi::kRightGrant),
             "the framebuffer");
}

}  // namespace

bool boot_has_screen_for(const bm::manifest::Server& server, const bm::abi::InitBootInfo& boot) {
  if (server.vga_memory && boot.screen != bm::abi::BootScreenKind::kVgaText) {
    // A UEFI boot: 0xB8000 shows nothing, and the framebuffer console takes the name.
    user::printf("init: %s: not started: the boot left no VGA text screen\n", server.module);
    return false;
  }
  if (server.framebuffer_memory && boot.screen != bm::abi::BootScreenKind::kFramebuffer) {
    user::printf("init: %s: not started: the boot gave no framebuffer\n", server.module);
    return false;
  }
  return true;
}

bool prepare_grants(const bm::manifest::Server& server, const bm::abi::InitBootInfo& boot,
                    GrantList* out) {
  out->count = 0;
  bool ok = true;
  for (size_t i = 0; ok && i < server.port_count; ++i) {
    const auto& range = server.ports[i];
    ok = add(out, GrantKind::kIoPorts, range.first, range.count,
             user::io_port_range_create(boot.io_ports, range.first, range.count),
             "an I/O port range");
  }
  for (size_t i = 0; ok && i < server.irq_count; ++i) {
    uint8_t line = server.irqs[i];
    ok = add(out, GrantKind::kIrq, line, 1,
             duplicate(boot.irqs[line], bm::abi::kRightManage | bm::abi::kRightGrant),
             "an IRQ line");
  }
  if (ok && server.vga_memory) {
    ok = add(out, GrantKind::kDeviceMemory, kVgaTextPhysical, kVgaTextBytes,
             duplicate(boot.vga_text,
                       bm::abi::kRightRead | bm::abi::kRightWrite | bm::abi::kRightMap |
                           bm::abi::kRightGrant),
             "VGA text memory");
  }
  if (ok && server.framebuffer_memory) ok = add_framebuffer(server.module, boot, out);
  for (size_t i = 0; ok && i < server.module_count; ++i) {
    const bm::abi::InitBootModule* module = nullptr;
    for (uint32_t m = 0; m < boot.module_count; ++m) {
      if (bm::string_equal(boot.modules[m].name, server.modules[i])) module = &boot.modules[m];
    }
    if (module == nullptr) {
      user::printf("init: %s: no boot module %s\n", server.module, server.modules[i]);
      ok = false;
      break;
    }
    ok = add(out, GrantKind::kModule, module->size, module->size,
             duplicate(module->image,
                       bm::abi::kRightRead | bm::abi::kRightMap | bm::abi::kRightGrant),
             "a module image");
  }
  if (ok && server.pool_pages != 0) {
    ok = add(out, GrantKind::kMemoryPool, server.pool_pages, server.pool_pages,
             user::memory_create(server.pool_pages), "a memory pool");
  }
  if (!ok) drop_grants(out);
  return ok;
}

void drop_grants(GrantList* list) {
  for (size_t i = 0; i < list->count; ++i) {
    if (list->grants[i].handle != 0) {
      (void)user::handle_close(list->grants[i].handle);
    }
  }
  list->count = 0;
}

}  // namespace init
