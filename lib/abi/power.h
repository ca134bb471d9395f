// The actions of system_power (its rsi argument). The call needs the power
// control handle the kernel gives init alone (InitBootInfo::power).
#pragma once

#include <stdint.h>

namespace bm::abi {

enum class PowerAction : uint64_t {
  kHalt = 0,    // log "System halted.", stop the CPU for good
  kReboot = 1,  // reset the machine
};

}  // namespace bm::abi
