// What every user test case can use: the grants init gave the suite, the
// control endpoint its peers talk to, message-word access, timing, and a
// handle that closes itself.
#pragma once

#include <stdint.h>

#include "lib/abi/syscalls.h"
#include "lib/core/pc_layout.h"
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
// details, not by order), the peer image and the program images (GrantKind::kModule, in the
// line's order).
constexpr uint16_t kExitPort = bm::qemu::kDebugExitPort;
constexpr uint16_t kPostPort = 0x80;   // POST diagnostics: writes are harmless
using bm::pc::kCom1Base;  // 16550, eight registers
using bm::pc::kCom1Irq;
constexpr uint64_t kPoolPages = 4;  // the manifest line's pool=4

// The programs the suite asks init to run (program_tests.cpp): boot modules its manifest line
// grants after the peer, in this order (modules=user_test_peer,hello,sleep,fault).
enum ProgramModule : uint32_t { kHelloProgram, kSleepProgram, kFaultProgram, kProgramModules };
struct ProgramImage {
  Handle image = 0;  // memory (read, map, grant): duplicate it for each run_program
  uint64_t bytes = 0;
};

struct Environment {
  Handle bootstrap = 0;  // init's endpoint, the argument of main
  Handle exit_port = 0;
  Handle post_port = 0;
  Handle com1_ports = 0;
  Handle com1_irq = 0;
  Handle peer_image = 0;
  uint64_t peer_image_bytes = 0;
  ProgramImage programs[kProgramModules];
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

// Word i of a message: user::message_word and user::set_message_word (user/ipc.h).
using user::message_word;
using user::set_message_word;

// A handle closed when the object goes out of scope, so an ASSERT that
// leaves a test early does not leak it.
using user::OwnedHandle;

}  // namespace user_tests
