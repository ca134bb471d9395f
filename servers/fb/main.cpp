// The framebuffer console server: the console protocol (ipc/console.h) on the linear
// framebuffer a UEFI boot leaves, with the 8x16 font. Interchangeable with vga: the same
// terminal logic (servers/terminal) answers every request.
#include "ipc/console.h"
#include "ipc/framebuffer_grant.h"
#include "servers/fb/framebuffer_screen.h"
#include "servers/terminal/console_names.h"
#include "servers/terminal/console_service.h"
#include "servers/terminal/terminal.h"
#include "user/heap.h"
#include "user/ipc.h"
#include "user/print.h"
#include "user/protocol_server.h"
#include "user/services.h"

namespace {

using bm::ipc::WireMessage;

// Where the server maps the framebuffer in its own address space.
constexpr uint64_t kFramebufferAddress = 0x0000400000000000;
constexpr uint8_t kGreyOnBlack = 0x07;

bm::terminal::Terminal* terminal_ptr = nullptr;

void serve_one(const WireMessage& request, uint64_t /*badge*/, WireMessage* reply) {
  (void)bm::terminal::serve_console_request(*terminal_ptr, request, reply);
}

// The framebuffer grant: its handle and the geometry packed in its words.
bool take_framebuffer(user::Handle bootstrap, user::Handle* memory,
                      bm::abi::FramebufferGeometry* geometry) {
  *memory = 0;
  for (uint64_t index = 0;; ++index) {
    user::Grant grant;
    if (user::get_grant(bootstrap, index, &grant) != user::ProtocolStatus::kOk) break;
    if (grant.kind == bm::ipc::GrantKind::kFramebuffer && *memory == 0) {
      *memory = grant.handle;
      *geometry = bm::ipc::decode_framebuffer_grant({grant.detail, grant.count});
    }
  }
  return *memory != 0;
}

}  // namespace

int main(uint64_t bootstrap_argument) {
  auto bootstrap = static_cast<user::Handle>(bootstrap_argument);
  user::Handle memory = 0;
  bm::abi::FramebufferGeometry geometry{};
  if (!take_framebuffer(bootstrap, &memory, &geometry)) {
    user::printf("fb: no framebuffer grant (manifest memory=framebuffer, and a UEFI boot)\n");
    return 1;
  }
  bm::fb::PixelFormat format{};
  auto checked = bm::fb::check_geometry(geometry, &format);
  if (!checked) {
    user::printf("fb: cannot draw on %ux%u at %u bpp: %s\n", geometry.width, geometry.height,
                 geometry.bits_per_pixel, bm::error_name(checked.error()));
    return 1;
  }
  if (!user::memory_map(bm::abi::kOwnAddressSpace, memory, kFramebufferAddress,
                        bm::abi::kMapWritable)
           .ok()) {
    user::printf("fb: cannot map the framebuffer\n");
    return 1;
  }
  bm::fb::FramebufferView view{reinterpret_cast<uint8_t*>(kFramebufferAddress), geometry.pitch,
                               geometry.width, geometry.height, format};
  const size_t cells = static_cast<size_t>(bm::fb::grid_rows(view)) * bm::fb::grid_columns(view);
  auto* cell_memory = static_cast<uint16_t*>(user::malloc(cells * sizeof(uint16_t)));
  if (cell_memory == nullptr) {
    user::printf("fb: no memory for %zu cells\n", cells);
    return 1;
  }
  static bm::fb::FramebufferScreen screen(view, cell_memory);
  static bm::terminal::Terminal terminal(screen);
  // The cells live in this server, not in the device: a new instance starts on a clean
  // screen (over GRUB's and the kernel's text, or a predecessor's).
  screen.clear_all(kGreyOnBlack);
  terminal.clear();
  user::printf("fb: %ux%u, %u bpp: %dx%d cells\n", geometry.width, geometry.height,
               geometry.bits_per_pixel, screen.columns(), screen.rows());

  auto endpoint = user::endpoint_create();
  if (!endpoint.ok()) return 1;
  user::Handle service = endpoint->get();
  if (!bm::terminal::register_console_names(bootstrap, service, "fb")) return 1;
  terminal_ptr = &terminal;
  user::serve_protocol(service, serve_one);
}
