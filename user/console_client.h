// Writing to whatever server answers the console protocol (ipc/console.h):
// the VGA server, or a serial one.
#pragma once

#include <stddef.h>

#include "user/ipc.h"

namespace user {

// Writes `length` bytes (any length: split into protocol-sized pieces, and what a server took
// only part of is sent again). Returns once the server has taken every byte: kOk, an IPC
// status, or kInvalidArgument if the server refused a piece (kNoDevice: the device is gone).
Status console_write(Handle console, const char* text, size_t length);

}  // namespace user
