// Final kernel page tables: 2 MiB pages for the direct map, 4 KiB pages for
// the image so each section gets its own rights (text RX, rodata R, data RW).
#include "kernel/mm/kernel_paging.h"

#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/layout.h"
#include "kernel/debug/log.h"
#include "kernel/debug/panic.h"
#include "kernel/mm/physical_memory.h"
#include "lib/core/page_size.h"
#include "lib/core/utility.h"

extern "C" char __kernel_start[], __text_end[], __rodata_end[], __kernel_end[];
extern "C" char boot_stack_guard[], double_fault_stack_guard[], nmi_stack_guard[],
    machine_check_stack_guard[];

static_assert(PAGE_SIZE == bm::kPageSize, "layout.h's copy for the assembly must agree");

namespace kernel {
namespace {

// Page-table frames come from the frame allocator and are reached through
// the direct map. Until CR3 switches, only the boot direct map (4 GiB) exists.
class KernelPageTableEnvironment final : public bm::PageTableEnvironment {
 public:
  void set_reachable_limit(uint64_t limit) { reachable_limit_ = limit; }
  void* physical_to_virtual(bm::PhysAddr table) override {
    return kernel::physical_to_virtual(table);
  }
  bm::Result<bm::PhysAddr> allocate_table() override {
    auto table = frame_allocator().allocate_below(reachable_limit_);
    if (table) ++tables_in_use_;
    return table;
  }
  void free_table(bm::PhysAddr table) override {
    if (frame_allocator().free(table)) --tables_in_use_;
  }
  size_t tables_in_use() const { return tables_in_use_; }
  void invalidate(bm::VirtAddr page) override { arch::invalidate_page(page); }

 private:
  uint64_t reachable_limit_ = 4ull << 30;
  size_t tables_in_use_ = 0;
};

KernelPageTableEnvironment environment;
bm::PageTable page_table(environment, 0);
bool no_execute_supported;

bool is_guard_page(uint64_t virt) {
  const char* guards[] = {boot_stack_guard, double_fault_stack_guard, nmi_stack_guard,
                          machine_check_stack_guard};
  for (const char* guard : guards) {
    if (virt == reinterpret_cast<uint64_t>(guard)) return true;
  }
  return false;
}

void map_section(const char* start, const char* end, uint64_t flags, const char* name) {
  uint64_t first = reinterpret_cast<uint64_t>(start);
  uint64_t last = reinterpret_cast<uint64_t>(end);
  for (uint64_t virt = first; virt < last; virt += bm::kPageSize) {
    if (is_guard_page(virt)) continue;
    auto mapped = page_table.map(virt, virt - KERNEL_VMA, supported_page_flags(flags));
    if (!mapped) panic("mapping kernel %s at %#lx: %s", name, virt, bm::error_name(mapped.error()));
  }
}

}  // namespace

uint64_t supported_page_flags(uint64_t flags) {
  return no_execute_supported ? flags : flags & ~static_cast<uint64_t>(bm::kPageNoExecute);
}

void kernel_paging_init(bool cpu_has_no_execute) {
  no_execute_supported = cpu_has_no_execute;
  auto created = bm::PageTable::create(environment);
  if (!created) panic("no frame for the kernel PML4: %s", bm::error_name(created.error()));
  page_table = *created;

  // Direct map: all RAM, and at least the first 4 GiB so device memory below
  // 4 GiB (VGA, APIC, ...) is reachable too.
  uint64_t end = bm::align_up(bm::max<uint64_t>(physical_memory_end(), 4ull << 30), bm::kLargePageSize);
  uint64_t direct_flags = supported_page_flags(bm::kPageWritable | bm::kPageNoExecute |
                                               bm::kPageGlobal);
  auto direct = page_table.map_large_range(PHYSICAL_MAP_BASE, 0, end, direct_flags);
  if (!direct) panic("direct map of %lu MiB: %s", end >> 20, bm::error_name(direct.error()));

  map_section(__kernel_start, __text_end, bm::kPageGlobal, "text");
  map_section(__text_end, __rodata_end, bm::kPageNoExecute | bm::kPageGlobal, "rodata");
  map_section(__rodata_end, __kernel_end,
              bm::kPageWritable | bm::kPageNoExecute | bm::kPageGlobal, "data");

  // Every kernel region gets its top-level table now, before any address
  // space copies the kernel half: later mappings then appear everywhere.
  const uint64_t kernel_regions[] = {KERNEL_HEAP_BASE, KERNEL_STACKS_BASE,
                                     KERNEL_TEST_AREA_BASE};
  for (uint64_t region : kernel_regions) {
    auto prepared = page_table.prepare_top_level(region);
    if (!prepared) panic("kernel region %#lx: %s", region, bm::error_name(prepared.error()));
  }

  arch::write_cr3(page_table.root());
  environment.set_reachable_limit(end);
  kprintf("Paging: direct map %lu MiB; kernel text RX, rodata R, data RW+NX%s\n", end >> 20,
          no_execute_supported ? "" : " (no NX on this CPU)");
}

bm::PageTable& kernel_page_table() { return page_table; }
bm::PageTableEnvironment& page_table_environment() { return environment; }
size_t kernel_page_table_frames() { return environment.tables_in_use(); }

}  // namespace kernel
