// What init hands each server: the resources its manifest line names, made
// into handles init can transfer one by one when the server asks.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "ipc/bootstrap.h"
#include "lib/abi/init_boot_info.h"
#include "lib/core/pc_layout.h"
#include "lib/manifest/manifest.h"

namespace init {

// The VGA text buffer a memory=vga line grants.
using bm::pc::kVgaTextBytes;
using bm::pc::kVgaTextPhysical;

struct Grant {
  bm::ipc::GrantKind kind;
  uint64_t detail;       // first port, IRQ line, physical address or image size
  uint64_t count;        // ports or bytes
  bm::abi::Handle handle;  // init's handle, moved to the server when it asks
};

constexpr size_t kMaxGrants = bm::manifest::kMaxPortRanges + bm::manifest::kMaxIrqs +
                              bm::manifest::kMaxModules + 3;  // + VGA, framebuffer, pool

struct GrantList {
  Grant grants[kMaxGrants];
  size_t count = 0;
};

// Whether the boot gave the screen a screen driver's line asks for (VGA text memory, the
// framebuffer); false with a log line if not. Checked before the server's module is looked
// up: GRUB loads each screen driver only on the platform that has its screen.
bool boot_has_screen_for(const bm::manifest::Server& server, const bm::abi::InitBootInfo& boot);

// Creates the handles for one server's grants. False (with a log line) if a
// resource cannot be made: the server is then not started.
bool prepare_grants(const bm::manifest::Server& server, const bm::abi::InitBootInfo& boot,
                    GrantList* out);

// Closes grants the server never fetched (it exited or is being restarted).
void drop_grants(GrantList* list);

}  // namespace init
