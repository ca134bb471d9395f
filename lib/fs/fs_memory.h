// Where tmpfs gets its memory: the file server passes its heap (malloc via memd), host tests
// malloc with checks. Every block is given back with the size it was asked for.
#pragma once

#include <stddef.h>

namespace bm::fs {

class FsMemory {
 public:
  // `bytes` (never 0) aligned to 16, or null when there is none left.
  virtual void* allocate(size_t bytes) = 0;
  // Gives back a block allocate() returned, with the size it was asked for.
  virtual void release(void* block, size_t bytes) = 0;

 protected:
  ~FsMemory() = default;  // never deleted through this interface
};

}  // namespace bm::fs
