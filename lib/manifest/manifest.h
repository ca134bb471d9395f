// The server manifest init reads at boot (docs/manifest.md): which servers to start, at which
// priority, and exactly which I/O ports, IRQ lines, device memory and module images each gets.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/core/result.h"

namespace bm::manifest {

constexpr size_t kMaxServers = 16;
constexpr size_t kMaxPortRanges = 8;
constexpr size_t kMaxIrqs = 4;
constexpr size_t kMaxModules = 4;
constexpr size_t kNameLength = 24;      // including the NUL, so names have 1..23 characters
constexpr size_t kMaxLineLength = 512;  // bytes, not counting "\n" or "\r\n"
constexpr uint8_t kMaxPriority = 15;    // init itself runs at 16, above every server
constexpr uint8_t kDefaultPriority = 8;
constexpr uint32_t kPortSpace = 65536;       // ports 0..65535
constexpr uint8_t kMaxIrqLine = 15;          // the two 8259s; 0 is the timer, 2 the cascade
constexpr size_t kMaxArgumentsLength = 127;  // bytes of an args= value
constexpr uint32_t kMaxPoolPages = 65536;    // pool= limit: 256 MiB, memory_create's limit
// frames=: the most physical frames a server may hold (its image, stacks, IPC buffers and
// memory objects; memd's pool and device memory do not count). 16 MiB unless the line says.
constexpr uint32_t kDefaultFrameLimit = 4096;
constexpr uint32_t kMaxFrameLimit = 1u << 20;  // 4 GiB
constexpr uint32_t kMinFrameLimit = 32;
constexpr uint32_t kMaxHeartbeatMs = 60000;  // heartbeat= limit: a minute between heartbeats

struct PortRange {
  uint32_t first;
  uint32_t count;  // >= 1, first + count <= kPortSpace
};

// One `server` line. Names are NUL-terminated and NUL-padded; unused slots are zero.
struct Server {
  char module[kNameLength];
  uint8_t priority;
  PortRange ports[kMaxPortRanges];
  size_t port_count;
  uint8_t irqs[kMaxIrqs];
  size_t irq_count;
  bool vga_memory;
  bool framebuffer_memory;  // the boot's framebuffer, with its geometry
  char modules[kMaxModules][kNameLength];
  size_t module_count;
  bool restart;
  // May use init's supervisor protocol (ipc/supervisor.h): list servers, kill, halt, reboot.
  bool control;
  // pool=PAGES: fresh zeroed pages init creates for the server (memd's pool); 0 when absent.
  uint32_t pool_pages;
  // frames=PAGES: the kernel's frame quota for the server's task (kDefaultFrameLimit if absent).
  uint32_t frame_limit;
  // heartbeat=MS: init checks the server's loop answers every MS milliseconds and restarts it
  // after two missed heartbeats (docs/reliability.md); 0, the default, is off.
  uint32_t heartbeat_ms;
  // The args= value as written (NUL-terminated, "" when absent): words the server reads
  // through the bootstrap call kGetArguments and interprets itself (docs/manifest.md).
  char arguments[kMaxArgumentsLength + 1];
  size_t arguments_length;
};

// Servers in file order: init starts them in this order.
struct Manifest {
  Server servers[kMaxServers];
  size_t server_count;
};

// Where parsing stopped: 1-based line (0 when no line is at fault, e.g. a null argument) and a
// static, human-readable reason such as "unknown key".
struct ParseError {
  size_t line;
  const char* reason;
};

// Parses exactly `length` bytes of `text` (need not be NUL-terminated; never read past length;
// may be null only when length is 0). Everything is validated; the first problem is reported in
// *error (which may be null) and makes the whole manifest invalid, with out->server_count = 0.
// Errors: kInvalidArgument (null out, or null text with length > 0), kMalformed (syntax:
// unknown key, missing '=', bad number, duplicates, NUL byte ...), kOutOfRange (a value or
// limit: priority 16, port range beyond 65535, 17th server, line over 512 bytes ...).
Result<void> parse(const char* text, size_t length, Manifest* out, ParseError* error);

// The entry for `module` (a NUL-terminated name), or null if it has no server line.
const Server* find(const Manifest& manifest, const char* module);

}  // namespace bm::manifest
