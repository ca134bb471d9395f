// hog: a test server that takes all the memory it can get (test/e2e/supervise_tests.py).
// It creates memory objects until the kernel refuses (its frame quota, the manifest's
// frames=), then mallocs until memd refuses (memd's share per client), says how far it got,
// and keeps serving its loop, holding everything: the rest of the system must carry on.
#include "ipc/protocol.h"
#include "lib/abi/system_info.h"
#include "user/heap.h"
#include "user/ipc.h"
#include "user/print.h"
#include "user/protocol_server.h"
#include "user/services.h"
#include "user/syscalls.h"

namespace {

constexpr uint64_t kObjectPages = 16;
constexpr size_t kBlockBytes = 16 * 1024;

void serve_one(const bm::ipc::WireMessage& request, uint64_t, bm::ipc::WireMessage* reply) {
  bm::ipc::encode_status_reply(request.label, bm::ipc::ProtocolStatus::kUnknownLabel, reply);
}

// Frames from the kernel, 16 pages at a time and then one, until it says no.
void take_frames() {
  uint64_t objects = 0;
  user::Status status = user::Status::kOk;
  const uint64_t sizes[] = {kObjectPages, 1};
  for (uint64_t pages : sizes) {
    for (;;) {
      auto created = user::memory_create(pages);
      status = created.error();
      if (!created.ok()) break;
      created->release();  // the handle stays open: the frames stay charged
      ++objects;
    }
  }
  user::printf("hog: kernel refused after %lu objects, %lu of %lu frames charged: %s\n", objects,
               user::system_value(bm::abi::SystemInfo::kFramesCharged),
               user::system_value(bm::abi::SystemInfo::kFrameLimit), bm::abi::status_text(status));
}

// Heap blocks from memd until it says no.
void take_heap() {
  size_t blocks = 0;
  while (user::malloc(kBlockBytes) != nullptr) ++blocks;
  user::printf("hog: memd refused after %zu KiB\n", blocks * kBlockBytes / 1024);
}

}  // namespace

int main(uint64_t bootstrap_argument) {
  auto bootstrap = static_cast<user::Handle>(bootstrap_argument);
  take_frames();
  take_heap();
  auto endpoint = user::endpoint_create();
  if (!endpoint.ok()) {
    user::printf("hog: no endpoint: %s\n", bm::abi::status_text(endpoint.error()));
    return 1;
  }
  user::Handle service = endpoint->get();
  if (user::register_service(bootstrap, "hog", service) != user::ProtocolStatus::kOk) return 1;
  user::printf("hog: holding it all, still answering\n");
  user::serve_protocol(service, serve_one);
}
