// Asking init to start programs, wait for them, end them and list them (ipc/programs.h). init
// answers only servers whose manifest line says control=yes; everyone else gets kNoRights.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "ipc/programs.h"
#include "user/ipc.h"
#include "user/protocol_client.h"

namespace user {

// Starts the ELF file in memory object `image` (map right; `image_bytes` long) as a program
// named `name` with `arguments` (up to bm::ipc::kMaxProgramArgumentsLength bytes, the text
// its get_arguments returns): *program gets its id. The image handle is consumed whatever
// the outcome. kBadImage, kNoSlots, kBadValue, ... as ipc/programs.h says.
ProtocolStatus run_program(Handle bootstrap, Handle image, uint64_t image_bytes, const char* name,
                           const char* arguments, size_t arguments_length, uint64_t* program);
// Waits until program `program` (started by this server) ends: how, in *out.
ProtocolStatus wait_program(Handle bootstrap, uint64_t program, bm::ipc::WaitProgramReply* out);
// Ends program `program` (started by this server) at once.
ProtocolStatus kill_program(Handle bootstrap, uint64_t program);
// Program number `index` of init's table (running, or ended and not yet waited for); kBadValue
// past the last.
ProtocolStatus list_program(Handle bootstrap, uint64_t index, bm::ipc::ListProgramsReply* out);

}  // namespace user
