// OwnedHandle's close, out of line so user/handle.h need not include the
// system-call stubs (which return OwnedHandles).
#include "user/handle.h"

#include "user/syscalls.h"

namespace user {

void OwnedHandle::reset(Handle replacement) {
  // A handle the kernel already dropped (its task died, say) fails to close;
  // there is nothing left to release then.
  if (handle_ != 0) (void)handle_close(handle_);
  handle_ = replacement;
}

}  // namespace user
