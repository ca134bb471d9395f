// The kernel log keeps its recent text in a ring that dmesg will read.
#include "kernel/debug/kernel_test.h"
#include "kernel/debug/log.h"
#include "lib/fmt/string.h"

namespace {

char recent[16384];

}  // namespace

KERNEL_TEST(log_ring_holds_boot_banner_and_new_lines) {
  kernel::kprintf("log ring probe %d %s %#x\n", -42, "text", 0xbeefu);
  size_t length = kernel::log_copy_recent(recent, sizeof(recent));
  KASSERT(length > 0 && length < sizeof(recent));
  KEXPECT(recent[length] == '\0');
  KEXPECT(bm::string_contains(recent, "BareMetal-OS ready."));
  KEXPECT(bm::string_contains(recent, "log ring probe -42 text 0xbeef\n"));
}

KERNEL_TEST(log_copy_into_small_buffer_is_terminated) {
  char small[8];
  size_t length = kernel::log_copy_recent(small, sizeof(small));
  KEXPECT(length < sizeof(small));
  KEXPECT(small[length] == '\0');
}
