// printf over lib/fmt and debug_write.
#include "user/print.h"

#include "lib/fmt/format.h"
#include "user/syscalls.h"

namespace user {
namespace {

// Text collects here and goes out when full or at the end of the call.
struct OutputBuffer {
  char text[512];
  size_t used = 0;
};

void flush(OutputBuffer* buffer) {
  if (buffer->used > 0) (void)debug_write(buffer->text, buffer->used);
  buffer->used = 0;
}

void append(void* context, const char* text, size_t length) {
  auto* buffer = static_cast<OutputBuffer*>(context);
  for (size_t i = 0; i < length; ++i) {
    if (buffer->used == sizeof(buffer->text)) flush(buffer);
    buffer->text[buffer->used++] = text[i];
  }
}

}  // namespace

size_t vprintf(const char* format, va_list arguments) {
  OutputBuffer buffer;
  size_t produced = bm::vformat(append, &buffer, format, arguments);
  flush(&buffer);
  return produced;
}

size_t printf(const char* format, ...) {
  va_list arguments;
  va_start(arguments, format);
  size_t produced = vprintf(format, arguments);
  va_end(arguments);
  return produced;
}

}  // namespace user
