// The actions of system_power (its rdi argument). Only the root task may
// call it.
#pragma once

#include <stdint.h>

namespace bm::abi {

enum class PowerAction : uint64_t {
  kHalt = 0,    // log "System halted.", stop the CPU for good
  kReboot = 1,  // reset the machine
};

}  // namespace bm::abi
