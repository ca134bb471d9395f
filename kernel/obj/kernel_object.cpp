// Kernel objects live on the kernel heap.
#include "kernel/obj/kernel_object.h"

#include "kernel/mm/kernel_heap.h"

namespace kernel {

void* KernelObject::operator new(size_t size) noexcept {
  auto memory = kernel_allocate(size, alignof(max_align_t));
  return memory ? *memory : nullptr;
}

void KernelObject::operator delete(void* object) noexcept { (void)kernel_free(object); }

}  // namespace kernel
