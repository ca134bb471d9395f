// vga: the console server for the VGA text screen. It owns only the text
// buffer at 0xB8000 and the CRTC ports 0x3D4/0x3D5 (its manifest grants),
// registers "console" (or the names its manifest args list) and answers the console protocol
// (ipc/console.h).
#include "ipc/console.h"
#include "ipc/names.h"
#include "lib/abi/system_info.h"
#include "lib/core/pc_layout.h"
#include "servers/terminal/console_names.h"
#include "servers/terminal/console_service.h"
#include "servers/vga/resume_position.h"
#include "servers/terminal/terminal.h"
#include "servers/vga/vga_screen.h"
#include "user/ipc.h"
#include "user/print.h"
#include "user/protocol_server.h"
#include "user/services.h"
#include "user/tsc.h"

namespace {

using bm::ipc::WireMessage;

// Where the server maps the text buffer in its own address space.
constexpr uint64_t kTextBufferAddress = 0x0000400000000000;
using bm::pc::kVgaTextPhysical;
constexpr uint16_t kCrtcFirstPort = bm::pc::kVgaCrtcIndexPort;  // the grant starts at the index port

bm::terminal::Terminal* terminal_ptr = nullptr;

// The latency probe (args word probe=LINE, used by tools/bench): after the first write that
// puts text on the screen after IRQ LINE reached the kernel, log how many TSC ticks (guest
// instructions under -icount) lay between the two.
int probe_line = -1;
uint64_t probe_last_irq = 0;

void probe_after_write() {
  if (probe_line < 0) return;
  uint64_t now = user::read_tsc();
  auto irq = user::system_info(bm::abi::SystemInfo::kLastIrqTsc, static_cast<uint64_t>(probe_line));
  if (!irq.ok() || *irq == 0 || *irq == probe_last_irq) return;
  probe_last_irq = *irq;
  user::printf("vga: irq %d to screen: %lu TSC ticks\n", probe_line, now - *irq);
}

// One request of the server's loop: the console protocol, then the latency probe.
void serve_one(const WireMessage& request, uint64_t /*badge*/, WireMessage* reply) {
  if (bm::terminal::serve_console_request(*terminal_ptr, request, reply)) probe_after_write();
}

// vga's one option: probe=LINE (an IRQ line, 0-15) turns on the latency probe.
bm::terminal::ArgumentKind parse_probe_option(const char* word, size_t length) {
  size_t digits = 0;
  const char* value = user::argument_value(word, length, "probe=", &digits);
  if (value == nullptr) return bm::terminal::ArgumentKind::kName;
  int line = digits == 0 ? 99 : 0;
  for (size_t i = 0; i < digits; ++i) {
    if (value[i] < '0' || value[i] > '9' || line > 15)
      line = 99;
    else
      line = line * 10 + (value[i] - '0');
  }
  if (line > 15) return bm::terminal::ArgumentKind::kBadOption;
  probe_line = line;
  return bm::terminal::ArgumentKind::kOption;
}

// Fetches this server's grants: the text buffer and the CRTC ports.
bool take_grants(user::Handle bootstrap, user::Handle* text_memory) {
  bool have_ports = false;
  *text_memory = 0;
  for (uint64_t index = 0;; ++index) {
    user::Grant grant;
    if (user::get_grant(bootstrap, index, &grant) != user::ProtocolStatus::kOk) break;
    if (grant.kind == bm::ipc::GrantKind::kDeviceMemory && grant.detail == kVgaTextPhysical) {
      *text_memory = grant.handle;
    } else if (grant.kind == bm::ipc::GrantKind::kIoPorts && grant.detail == kCrtcFirstPort &&
               grant.count >= bm::pc::kVgaCrtcPortCount) {
      have_ports = true;
    }
  }
  return have_ports && *text_memory != 0;
}

}  // namespace

int main(uint64_t bootstrap_argument) {
  auto bootstrap = static_cast<user::Handle>(bootstrap_argument);
  user::Handle text_memory = 0;
  if (!take_grants(bootstrap, &text_memory)) {
    user::printf("vga: missing grants (text memory 0xb8000 and ports 0x3d4:2)\n");
    return 1;
  }
  if (!user::memory_map(bm::abi::kOwnAddressSpace, text_memory, kTextBufferAddress,
                        bm::abi::kMapWritable)
           .ok()) {
    user::printf("vga: cannot map the text buffer\n");
    return 1;
  }
  static bm::vga::VgaScreen screen(reinterpret_cast<volatile uint16_t*>(kTextBufferAddress));
  static bm::terminal::Terminal terminal(screen);
  // Never cleared: after a restart the screen and the cursor are the console's state
  // (servers/vga/resume_position.h); at boot, continue below the kernel's log.
  int cursor_row = 0;
  int cursor_column = 0;
  screen.cursor(&cursor_row, &cursor_column);
  bm::vga::ScreenPosition start =
      bm::vga::resume_position(cursor_row, cursor_column, screen.first_free_row());
  screen.init_cursor();
  (void)terminal.move_cursor(start.row, start.column);
  if (start.scroll_first) terminal.write("\n", 1);

  auto endpoint = user::endpoint_create();
  if (!endpoint.ok()) return 1;
  user::Handle service = endpoint->get();
  if (!bm::terminal::register_console_names(bootstrap, service, "vga", parse_probe_option)) {
    return 1;
  }
  terminal_ptr = &terminal;
  user::serve_protocol(service, serve_one);
}
