// A simple heap for ring-3 programs until the memd server exists: the
// linked-list strategy of lib/alloc over memory this task creates and maps
// itself (memory_create + memory_map), grown on demand.
#pragma once

#include <stddef.h>

namespace user {

void* malloc(size_t size);
void* aligned_alloc(size_t alignment, size_t size);
void* calloc(size_t count, size_t size);
void free(void* pointer);

}  // namespace user
