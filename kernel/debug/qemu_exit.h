// Leaving QEMU from the test kernel through the isa-debug-exit device
// (lib/core/qemu_debug_exit.h).
#pragma once

#include <stdint.h>

#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/port_io.h"
#include "lib/core/qemu_debug_exit.h"

namespace kernel {

using QemuExitCode = bm::qemu::ExitCode;
constexpr uint16_t kQemuDebugExitPort = bm::qemu::kDebugExitPort;

[[noreturn]] inline void qemu_exit(QemuExitCode code) {
  arch::out8(kQemuDebugExitPort, static_cast<uint8_t>(code));
  arch::halt_forever();  // not under QEMU: stop here
}

}  // namespace kernel
