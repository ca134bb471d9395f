// Fan-out of log text to every kernel output plus the in-memory ring.
#include "kernel/debug/log.h"

#include "kernel/arch/x86_64/layout.h"
#include "kernel/arch/x86_64/port_io.h"
#include "kernel/arch/x86_64/serial_port.h"
#include "kernel/debug/framebuffer_text_console.h"
#include "kernel/debug/vga_text_console.h"
#include "lib/containers/log_ring.h"
#include "lib/core/pc_layout.h"
#include "lib/fmt/format.h"

namespace kernel {
namespace {

// QEMU/Bochs debug console: a byte written here appears on -debugcon.
constexpr uint16_t kDebugConsolePort = 0xe9;
constexpr uint8_t kPanicAttribute = 0x4f;  // white on red

arch::SerialPort com1;
VgaTextConsole screen;
FramebufferTextConsole framebuffer;
bm::LogRing<16384> recent;
bool screen_owned = true;
bool text_screen_present = true;

void write_to_outputs(void*, const char* text, size_t length) {
  com1.write(text, length);
  for (size_t i = 0; i < length; ++i) arch::out8(kDebugConsolePort, static_cast<uint8_t>(text[i]));
  if (screen_owned && text_screen_present) screen.write(text, length);
  if (screen_owned) framebuffer.write(text, length);  // nothing until log_use_framebuffer
  recent.append(text, length);
}

}  // namespace

void log_init() {
  com1.init(bm::pc::kCom1Base);
  // The boot page tables and the final ones both map low memory at the
  // direct-map base, so this pointer stays valid across the switch.
  screen.init(reinterpret_cast<volatile uint16_t*>(PHYSICAL_MAP_BASE + bm::pc::kVgaTextPhysical));
}

void log_write(const char* text, size_t length) { write_to_outputs(nullptr, text, length); }

void kvprintf(const char* format, va_list arguments) {
  bm::vformat(write_to_outputs, nullptr, format, arguments);
}

void kprintf(const char* format, ...) {
  va_list arguments;
  va_start(arguments, format);
  kvprintf(format, arguments);
  va_end(arguments);
}

size_t log_copy_recent(char* buffer, size_t size) { return recent.copy_out(buffer, size); }
size_t log_oldest_position() { return recent.oldest_position(); }
size_t log_end_position() { return recent.total_appended(); }
size_t log_read_at(size_t position, char* buffer, size_t size) {
  return recent.read_at(position, buffer, size);
}

void log_enter_panic_mode() {
  screen_owned = true;
  screen.set_colour(kPanicAttribute);
  framebuffer.set_colour(kPanicAttribute);
}

void log_release_screen() { screen_owned = false; }

void log_no_text_screen() { text_screen_present = false; }

bool log_use_framebuffer(const bm::mb2::Framebuffer& fb) {
  // The boot page tables and the final ones both map the first 4 GiB at the direct-map
  // base (kernel_paging_init maps at least that much), so this pointer stays valid.
  constexpr uint64_t kAlwaysMapped = 4ull << 30;
  if (fb.address >= kAlwaysMapped || fb.size_bytes() > kAlwaysMapped - fb.address) return false;
  framebuffer.init(reinterpret_cast<uint8_t*>(PHYSICAL_MAP_BASE + fb.address), fb);
  // What was logged before the kernel knew of the screen (the banner), from the ring.
  char chunk[256];
  for (size_t at = recent.oldest_position(); at < recent.total_appended();) {
    size_t copied = recent.read_at(at, chunk, sizeof(chunk));
    if (copied == 0) break;
    framebuffer.write(chunk, copied);
    at += copied;
  }
  return true;
}

}  // namespace kernel
