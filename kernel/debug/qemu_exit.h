// Leaving QEMU from the guest through the isa-debug-exit device
// (-device isa-debug-exit,iobase=0xf4,iosize=0x04): QEMU exits with
// (value << 1) | 1, so 0x10 gives 33 and 0x11 gives 35. Only test kernels
// use it; on real hardware the port write does nothing useful.
#pragma once

#include <stdint.h>

#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/port_io.h"

namespace kernel {

enum class QemuExitCode : uint8_t { kSuccess = 0x10, kFailure = 0x11 };
constexpr uint16_t kQemuDebugExitPort = 0xf4;

[[noreturn]] inline void qemu_exit(QemuExitCode code) {
  arch::out8(kQemuDebugExitPort, static_cast<uint8_t>(code));
  arch::halt_forever();  // not under QEMU: stop here
}

}  // namespace kernel
