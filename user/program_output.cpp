// A program's output: see program_output.h.
#include "user/program_output.h"

#include <stdarg.h>

#include "lib/fmt/format.h"
#include "user/console_client.h"
#include "user/print.h"
#include "user/services.h"

namespace user {

ProgramOutput::ProgramOutput(Handle bootstrap) {
  for (bm::ipc::ServiceConnection& console : consoles_) {
    Handle found = 0;
    if (lookup_service(bootstrap, console.name, 0, &found) == ProtocolStatus::kOk) {
      console.handle = found;
    }
  }
}

void ProgramOutput::write(const char* text, size_t length) {
  bool written = false;
  for (bm::ipc::ServiceConnection& console : consoles_) {
    if (console.handle != 0)
      written |= console_write(&console, text, length) == ProtocolStatus::kOk;
  }
  if (!written) user::printf("%.*s", static_cast<int>(length), text);
}

void ProgramOutput::printf(const char* format, ...) {
  char line[256];
  va_list arguments;
  va_start(arguments, format);
  size_t length = bm::vsnprintf(line, sizeof(line), format, arguments);
  va_end(arguments);
  write(line, length < sizeof(line) ? length : sizeof(line) - 1);
}

}  // namespace user
