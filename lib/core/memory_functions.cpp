// memcpy/memset/memmove/memcmp for freestanding targets. The compiler emits
// calls to these for struct copies and zeroing loops even without a libc.
#include <stddef.h>
#include <stdint.h>

extern "C" {

void* memcpy(void* destination, const void* source, size_t count) {
  auto* d = static_cast<unsigned char*>(destination);
  const auto* s = static_cast<const unsigned char*>(source);
  // rep movsb is fast on every CPU with ERMSB and short enough to read.
  asm volatile("rep movsb" : "+D"(d), "+S"(s), "+c"(count) : : "memory");
  return destination;
}

void* memset(void* destination, int value, size_t count) {
  auto* d = static_cast<unsigned char*>(destination);
  asm volatile("rep stosb" : "+D"(d), "+c"(count) : "a"(value) : "memory");
  return destination;
}

void* memmove(void* destination, const void* source, size_t count) {
  auto* d = static_cast<unsigned char*>(destination);
  const auto* s = static_cast<const unsigned char*>(source);
  if (d <= s || d >= s + count) return memcpy(destination, source, count);
  // Overlapping with the destination above the source: copy backwards with
  // the direction flag set (a plain loop could be turned back into memmove).
  d += count - 1;
  s += count - 1;
  asm volatile("std\n\trep movsb\n\tcld" : "+D"(d), "+S"(s), "+c"(count) : : "memory");
  return destination;
}

int memcmp(const void* left, const void* right, size_t count) {
  const auto* a = static_cast<const unsigned char*>(left);
  const auto* b = static_cast<const unsigned char*>(right);
  for (size_t i = 0; i < count; ++i) {
    if (a[i] != b[i]) return a[i] < b[i] ? -1 : 1;
  }
  return 0;  // A compare loop is not turned into a memcmp call by clang.
}

}  // extern "C"
