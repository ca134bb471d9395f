// The shared failure report of the ring-3 test suites (see case_list.h).
#include "test/ring3/case_list.h"

#include <stdarg.h>

#include "lib/fmt/format.h"

namespace ring3_tests {

void TestContextBase::fail(const char* file, int line, const char* format, ...) {
  count_failure();
  char text[256];
  va_list arguments;
  va_start(arguments, format);
  bm::vsnprintf(text, sizeof(text), format, arguments);
  va_end(arguments);
  user::printf("  check failed: %s (%s:%d)\n", text, file, line);
}

}  // namespace ring3_tests
