// A program's arguments from init: get_arguments, then split_program_arguments.
#include "user/program_arguments.h"
#include "user/services.h"

namespace user {

bm::ipc::ProtocolStatus read_program_arguments(uint64_t bootstrap, ProgramArguments* out) {
  char text[bm::ipc::kMaxProgramArgumentsLength + 1];
  ProtocolStatus status = get_arguments(static_cast<Handle>(bootstrap), text, sizeof(text));
  if (status != ProtocolStatus::kOk) return status;
  auto split = split_program_arguments(text, sizeof(text), out);
  return split ? ProtocolStatus::kOk : ProtocolStatus::kBadValue;
}

}  // namespace user
