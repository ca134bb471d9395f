// memcpy/memset/memmove/memcmp for freestanding targets. The compiler emits
// calls to these for struct copies and zeroing loops even without a libc.
#include <stddef.h>
#include <stdint.h>

extern "C" {

// Eight bytes at a time, then the tail: fast on every x86_64, and a string
// instruction's iterations are what QEMU's -icount counts, so byte-wise
// copies would inflate every figure eightfold.
void* memcpy(void* destination, const void* source, size_t count) {
  auto* d = static_cast<unsigned char*>(destination);
  const auto* s = static_cast<const unsigned char*>(source);
  size_t quadwords = count / 8;
  size_t tail = count % 8;
  asm volatile("rep movsq" : "+D"(d), "+S"(s), "+c"(quadwords) : : "memory");
  asm volatile("rep movsb" : "+D"(d), "+S"(s), "+c"(tail) : : "memory");
  return destination;
}

void* memset(void* destination, int value, size_t count) {
  auto* d = static_cast<unsigned char*>(destination);
  uint64_t pattern = 0x0101010101010101ull * static_cast<uint8_t>(value);
  size_t quadwords = count / 8;
  size_t tail = count % 8;
  asm volatile("rep stosq" : "+D"(d), "+c"(quadwords) : "a"(pattern) : "memory");
  asm volatile("rep stosb" : "+D"(d), "+c"(tail) : "a"(pattern) : "memory");
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
