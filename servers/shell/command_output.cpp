// The commands' output helpers (see command_output.h).
#include "servers/shell/command_output.h"

#include <stdarg.h>

#include "lib/fmt/format.h"
#include "lib/fmt/string.h"
#include "user/fs_client.h"

namespace shell {

using bm::ipc::ProtocolStatus;

void print(const bm::shell::Output& out, const char* format, ...) {
  char line[320];
  va_list arguments;
  va_start(arguments, format);
  size_t length = bm::vsnprintf(line, sizeof(line), format, arguments);
  va_end(arguments);
  out.write(line, length < sizeof(line) ? length : sizeof(line) - 1);
}

const char* reason(ProtocolStatus status) { return user::fs::status_text(status); }

void fail(const bm::shell::Invocation& invocation, const char* word, ProtocolStatus status) {
  print(invocation.out, "%s: %s: %s\n", invocation.argv[0], word, reason(status));
}

bool resolve(const bm::shell::Invocation& invocation, const char* word, bm::fs::Path* out) {
  bm::fs::FsError error = bm::fs::resolve_path(word, static_cast<uint32_t>(bm::string_length(word)),
                                               &state(invocation).cwd, out);
  if (error == bm::fs::FsError::kOk) return true;
  fail(invocation, word,
       error == bm::fs::FsError::kNameTooLong ? ProtocolStatus::kNameTooLong
                                              : ProtocolStatus::kBadPath);
  return false;
}

}  // namespace shell
