// Placement new for code that builds both freestanding (no <new>) and hosted.
#pragma once

#include <stddef.h>

#if __has_include(<new>)
#include <new>
#else
inline void* operator new(size_t, void* where) noexcept { return where; }
inline void* operator new[](size_t, void* where) noexcept { return where; }
// The compiler passes this type to aligned operator new/delete.
namespace std {
enum class align_val_t : size_t {};
}
#endif
