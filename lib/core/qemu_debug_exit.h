// QEMU's isa-debug-exit device (-device isa-debug-exit,iobase=0xf4,iosize=0x04), how every
// in-QEMU test leaves the emulator: writing v to the port makes QEMU exit with (v << 1) | 1,
// so kSuccess gives 33 and kFailure 35 (tools/qemu.py). One definition for the test kernel
// and the ring-3 test programs; on real hardware the port write does nothing useful.
#pragma once

#include <stdint.h>

namespace bm::qemu {

constexpr uint16_t kDebugExitPort = 0xf4;
enum class ExitCode : uint8_t { kSuccess = 0x10, kFailure = 0x11 };

}  // namespace bm::qemu
