// What every user test case can use: the grants init gave the suite, the
// control endpoint its peers talk to, message-word access, timing, and a
// handle that closes itself.
#pragma once

#include <stdint.h>

#include "lib/abi/syscalls.h"
#include "lib/core/qemu_debug_exit.h"
#include "test/user/take.h"
#include "user/ipc.h"
#include "user/syscalls.h"

namespace user_tests {

using bm::abi::Handle;
using bm::abi::Status;

// The suite's manifest line gives it this priority (see test/user/meson.build):
// threads and peers may not be created above it.
constexpr uint32_t kSuitePriority = 8;
// Peers and helper threads run below the suite by default, so the suite
// always gets the CPU back as soon as it is ready.
constexpr uint32_t kPeerPriority = 7;

// Ports and the IRQ the manifest line grants (identified by kind and
// details, not by order) and the peer image (GrantKind::kModule).
constexpr uint16_t kExitPort = bm::qemu::kDebugExitPort;
constexpr uint16_t kPostPort = 0x80;   // POST diagnostics: writes are harmless
constexpr uint16_t kCom1Base = 0x3f8;  // 16550, eight registers
constexpr uint8_t kCom1Irq = 4;
constexpr uint64_t kPoolPages = 4;  // the manifest line's pool=4

struct Environment {
  Handle bootstrap = 0;  // init's endpoint, the argument of main
  Handle exit_port = 0;
  Handle post_port = 0;
  Handle com1_ports = 0;
  Handle com1_irq = 0;
  Handle peer_image = 0;
  uint64_t peer_image_bytes = 0;
  Handle pool = 0;  // GrantKind::kMemoryPool
  // Read, write, grant. Peers get badged write handles to it as bootstrap,
  // so their hellos, reports and fault reports all arrive here.
  Handle control = 0;
  uint64_t timer_hz = 0;
};

Environment& environment();

// Upper bounds on waits allow this many ticks beyond the ideal: without
// KVM a busy host can delay QEMU, which then delivers missed timer ticks in
// a burst. It stays below the 10-tick time slice, so "woken at once" and
// "woken when the slice ran out" remain distinguishable.
constexpr uint64_t kTickSlack = 3;

// Ticks covering at least `milliseconds` (at least one tick).
uint64_t ticks_for_ms(uint64_t milliseconds);

// Word i of a message: words 0-3 are in the Message, the rest in the calling
// thread's IPC buffer (where a receive put them / a send takes them from).
uint64_t message_word(const user::Message& message, uint32_t index);
void set_message_word(user::Message* message, uint32_t index, uint64_t value);

// A handle closed when the object goes out of scope, so an ASSERT that
// leaves a test early does not leak it.
using user::OwnedHandle;

}  // namespace user_tests
