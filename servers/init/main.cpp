// init: the first ring-3 task. For now it says hello and reports what the
// kernel tells it; the manifest, the name service and starting the other
// servers come with the rest of the microkernel core.
#include "user/print.h"
#include "user/syscalls.h"

int main(uint64_t) {
  using bm::abi::SystemInfo;
  user::printf("init: running in ring 3 as task %lu, %lu tasks alive, %lu free frames\n",
               user::system_info(SystemInfo::kCurrentTask),
               user::system_info(SystemInfo::kTaskCount),
               user::system_info(SystemInfo::kFreeFrames));
  return 0;
}
