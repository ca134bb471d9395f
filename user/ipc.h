// Messages for ring-3 programs on top of the IPC system calls of user/syscalls.h.
#pragma once

#include <stdint.h>

#include "lib/abi/message.h"
#include "user/syscalls.h"

namespace user {

using bm::abi::Handle;

struct Message {
  uint32_t label = 0;
  uint32_t words = 0;               // total words, up to kMaxMessageWords
  uint64_t word[4] = {};            // words 0-3; the rest live in the IPC buffer
  bool has_handle = false;
  Handle handle = 0;                // handle to send / the handle received
  uint64_t badge = 0;               // received: the badge of the sender's handle
};

// This thread's IPC buffer (message words 4..511 and the handle slot), a
// page the kernel maps for each thread (system_info kIpcBuffer).
bm::abi::IpcBuffer* ipc_buffer();

uint64_t encode(const Message& message, bool non_blocking = false);
void decode(const ReceivedRegisters& registers, Message* out);

// call: send `request`, wait for the reply into `reply`.
Status call(Handle endpoint, const Message& request, Message* reply);
Status send(Handle endpoint, const Message& message, bool non_blocking = false);
// timeout: ticks, or bm::abi::kWaitForever / kDontWait.
Status receive(Handle endpoint, Message* message, uint64_t timeout = bm::abi::kWaitForever);
Status reply_receive(Handle endpoint, const Message& reply, Message* next);

// What a server loop wants: reply, then wait for the next message. If the
// reply cannot be delivered (its handle cannot move, say), the caller still
// gets an answer, a one-word reply holding the failure status, so it never
// waits forever; then the next message is received.
Status answer_and_receive(Handle endpoint, const Message& reply, Message* next);

}  // namespace user
