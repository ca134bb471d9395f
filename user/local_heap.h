// A task's own heap: lib/alloc's linked-list strategy over memory objects the task creates
// and maps itself, grown on demand. init and memd use it, and every program when the system
// has no memd. Not thread-safe, like the rest of the local heap's users.
#pragma once

#include <stddef.h>

namespace user::local_heap {

void* allocate(size_t size, size_t alignment);
// False for a pointer this heap did not hand out, or one already freed.
bool free(void* pointer);
// Bytes usable at `pointer` (at least what was asked for); 0 if not a live block.
size_t usable_size(const void* pointer);

}  // namespace user::local_heap
