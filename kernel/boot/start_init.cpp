// The kernel's last act of policy: hand every delegable resource to init.
#include "kernel/boot/start_init.h"

#include "kernel/arch/x86_64/pic.h"
#include "kernel/boot/init_image.h"
#include "kernel/debug/log.h"
#include "kernel/debug/panic.h"
#include "kernel/mm/physical_memory.h"
#include "kernel/task/handles.h"
#include "kernel/obj/io_port_range.h"
#include "kernel/task/irq.h"
#include "kernel/obj/memory_object.h"
#include "kernel/obj/power_control.h"
#include "kernel/sched/scheduler.h"
#include "lib/abi/init_boot_info.h"
#include "lib/core/pc_layout.h"
#include "lib/fmt/string.h"

namespace kernel {
namespace {

using bm::abi::InitBootInfo;

constexpr const char* kInitName = "init";
// init outranks everything it starts, so it can always manage them.
constexpr unsigned kInitPriority = 16;

bool is_named(const bm::mb2::Module& module, const char* name) {
  const char* text = module.command_line;
  size_t i = 0;
  for (; name[i] != '\0'; ++i) {
    if (text[i] != name[i]) return false;
  }
  return text[i] == '\0' || text[i] == ' ';
}

bm::abi::Handle give(Task* init, KernelObject* object, uint32_t rights) {
  if (object == nullptr) panic("out of memory while preparing init");
  auto created = RefPtr<KernelObject>::retain(object);  // init's handle keeps it once installed
  auto handle = install_handle(init, created.get(), rights);
  if (!handle) panic("init's handle table is full");
  return *handle;
}

// The boot loader's framebuffer as init sees it: device memory and its geometry.
void give_framebuffer(Task* init, const bm::mb2::BootScreen& screen, InitBootInfo* info) {
  if (screen.kind == bm::mb2::ScreenKind::kVgaText) {
    info->screen = bm::abi::BootScreenKind::kVgaText;
  }
  if (screen.kind != bm::mb2::ScreenKind::kFramebuffer) return;
  const bm::mb2::Framebuffer& fb = screen.framebuffer;
  MemoryObject* memory =
      MemoryObject::create_fixed(bm::abi::ObjectType::kDeviceMemory, fb.address, fb.size_bytes());
  if (memory != nullptr) memory->set_first_map_hook(log_release_screen);
  info->framebuffer =
      give(init, memory,
           bm::abi::kRightRead | bm::abi::kRightWrite | bm::abi::kRightMap | bm::abi::kRightGrant);
  info->screen = bm::abi::BootScreenKind::kFramebuffer;
  bm::abi::FramebufferGeometry& geometry = info->framebuffer_geometry;
  geometry.physical = fb.address;
  geometry.size = fb.size_bytes();
  geometry.pitch = fb.pitch;
  geometry.width = fb.width;
  geometry.height = fb.height;
  geometry.bits_per_pixel = fb.bpp;
  geometry.red_shift = fb.red.shift;
  geometry.red_bits = fb.red.bits;
  geometry.green_shift = fb.green.shift;
  geometry.green_bits = fb.green.bits;
  geometry.blue_shift = fb.blue.shift;
  geometry.blue_bits = fb.blue.bits;
}

}  // namespace

void start_init(const bm::mb2::BootInfo& boot_info, const bm::mb2::BootScreen& screen) {
  const bm::mb2::Module* init_module = nullptr;
  for (size_t i = 0; i < boot_info.module_count; ++i) {
    if (is_named(boot_info.modules[i], kInitName)) init_module = &boot_info.modules[i];
  }
  if (init_module == nullptr) panic("no boot module named \"init\" (see boot/grub.cfg)");
  auto created = Task::create(kInitName);  // no frame limit: init sets everyone else's
  if (!created) panic("no memory for init's task");
  Task* init = *created;
  const char* reason = "";
  auto entry = load_init_image(init->address_space, physical_to_virtual(init_module->start),
                               init_module->end - init_module->start, &reason);
  if (!entry) panic("init cannot be loaded: %s (%s)", reason, bm::error_name(entry.error()));

  InitBootInfo info{};
  info.magic = bm::abi::kInitBootInfoMagic;
  info.io_ports = give(init, IoPortRange::create(0, IoPortRange::kPortCount),
                       bm::abi::kRightManage | bm::abi::kRightGrant);
  // Device memory reaches ring 3 only through this grant. The kernel's log
  // stops drawing on the screen once a console server maps it.
  MemoryObject* vga_text = MemoryObject::create_fixed(
      bm::abi::ObjectType::kDeviceMemory, bm::pc::kVgaTextPhysical, bm::pc::kVgaTextBytes);
  if (vga_text != nullptr) vga_text->set_first_map_hook(log_release_screen);
  info.vga_text = give(init, vga_text,
                       bm::abi::kRightRead | bm::abi::kRightWrite | bm::abi::kRightMap |
                           bm::abi::kRightGrant);
  give_framebuffer(init, screen, &info);
  // Power is init's alone: without the grant right it cannot pass it on.
  info.power = give(init, PowerControl::create(), bm::abi::kRightManage);
  for (uint8_t line = 0; line < bm::abi::kIrqLineCount; ++line) {
    if (line == arch::kIrqTimer || line == arch::kIrqCascade) continue;
    info.irqs[line] = give(init, Irq::create(line), bm::abi::kRightManage | bm::abi::kRightGrant);
  }
  for (size_t i = 0; i < boot_info.module_count; ++i) {
    const bm::mb2::Module& module = boot_info.modules[i];
    if (&module == init_module) continue;
    if (info.module_count == bm::abi::kMaxBootModules) {
      kprintf("boot: more than %u modules, ignoring %s\n", bm::abi::kMaxBootModules,
              module.command_line);
      continue;
    }
    bm::abi::InitBootModule& entry = info.modules[info.module_count++];
    entry.size = module.end - module.start;
    entry.image = give(init,
                       MemoryObject::create_fixed(bm::abi::ObjectType::kMemory, module.start,
                                                  entry.size),
                       bm::abi::kRightRead | bm::abi::kRightMap | bm::abi::kRightGrant);
    size_t n = 0;
    for (; module.command_line[n] != '\0' && module.command_line[n] != ' ' &&
           n + 1 < bm::abi::kModuleNameLength;
         ++n) {
      entry.name[n] = module.command_line[n];
    }
    entry.name[n] = '\0';
  }

  // The description page: written while writable, then made read-only.
  AddressSpace& space = init->address_space;
  auto mapped = space.map_fresh(bm::abi::kInitBootInfoAddress, bm::kPageSize,
                                bm::kPageWritable | bm::kPageNoExecute);
  if (!mapped || !space.copy_to_user(bm::abi::kInitBootInfoAddress, &info, sizeof(info)) ||
      !space.table().protect(bm::abi::kInitBootInfoAddress,
                             supported_page_flags(bm::kPageUser | bm::kPageNoExecute |
                                                  bm::kPageOwned))) {
    panic("cannot map init's boot information");
  }
  auto thread = init->spawn_thread(*entry, bm::abi::kInitBootInfoAddress, kInitPriority);
  if (!thread) panic("init has no main thread: %s", bm::error_name(thread.error()));
  kprintf("Started init (task %u) with %u module(s), 1 port range, %u IRQ lines, VGA memory, "
          "%spower control\n",
          init->id(), info.module_count, bm::abi::kIrqLineCount - 2,
          info.framebuffer != 0 ? "the framebuffer, " : "");
}

}  // namespace kernel
