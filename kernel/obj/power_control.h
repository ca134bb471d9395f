// The right to halt or reboot the machine, as an object: system_power needs a
// handle to it. The kernel makes one, for init, which passes it to nobody.
#pragma once

#include "kernel/obj/kernel_object.h"

namespace kernel {

class PowerControl final : public KernelObject {
 public:
  static constexpr bm::abi::ObjectType kType = bm::abi::ObjectType::kPowerControl;

  // Null without memory.
  static PowerControl* create() { return new PowerControl(); }

 private:
  PowerControl() : KernelObject(kType) {}
};

}  // namespace kernel
