// Which requests of the driver protocols a client may repeat to a restarted server: the
// union of each protocol's kIdempotent list, so the lists stay in their protocol's header.
#pragma once

#include <stdint.h>

#include "ipc/console.h"
#include "ipc/fs.h"
#include "ipc/heartbeat.h"
#include "ipc/keyboard.h"
#include "ipc/memd.h"
#include "ipc/serial.h"

namespace bm::ipc {

template <size_t kCount>
constexpr bool label_listed(const uint32_t (&labels)[kCount], uint32_t label) {
  for (uint32_t listed : labels) {
    if (listed == label) return true;
  }
  return false;
}

constexpr bool is_idempotent(uint32_t label) {
  return label_listed(console::kIdempotent, label) || label_listed(keyboard::kIdempotent, label) ||
         label_listed(serial::kIdempotent, label) || label_listed(memd::kIdempotent, label) ||
         label_listed(fs::kIdempotent, label) || label_listed(heartbeat::kIdempotent, label);
}

}  // namespace bm::ipc
