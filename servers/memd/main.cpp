// memd: the heap-policy server. It owns the pool init grants it (pool= in its manifest line),
// places every client's blocks with the policy its args name (policy=bump|linked_list|
// fixed_block; the heap_policy build option writes it), maps the pages into the client on
// demand and keeps every allocator's metadata in its own memory (servers/memd/heap_manager.h).
//
// Its clients are introduced by init (ipc/memd_admin.h) and watched by user::ClientWatch
// (user/client_watch.h): memd maps a client's heap with the task handle that came with its
// introduction, and unmaps it all when the watch reports the client ended. Every other caller
// speaks the memd protocol; its badge is init's id for it.
#include "ipc/bootstrap.h"
#include "ipc/memd.h"
#include "ipc/memd_admin.h"
#include "lib/abi/heap_strategy.h"
#include "lib/fmt/string.h"
#include "servers/memd/heap_manager.h"
#include "servers/memd/kernel_pool_memory.h"
#include "servers/memd/memd_service.h"
#include "user/client_watch.h"
#include "user/heap.h"
#include "user/ipc.h"
#include "user/print.h"
#include "user/services.h"

namespace {

using bm::ipc::ProtocolStatus;
using user::Handle;

// One client may hold at most this fraction of the pool (1/4): a hog leaves the rest three
// quarters, and it takes four clients at their cap to use the pool up.
constexpr size_t kClientShareDivisor = 4;

bm::memd::HeapManager* heap = nullptr;
bm::memd::KernelPoolMemory* memory = nullptr;

// memd's side of its clients: HeapManager keeps their heaps.
class HeapClients final : public user::ClientKeeper {
 public:
  // An empty heap (kNoSlots when memd's table is full), mapped into `task` as it grows.
  ProtocolStatus admit(uint64_t id, Handle task) override {
    auto slot = heap->add_client(id);
    if (!slot) return ProtocolStatus::kNoSlots;
    memory->set_client_task(*slot, task);
    return ProtocolStatus::kOk;
  }

  void dismiss(uint64_t id) override {
    auto slot = heap->slot_of(id);
    if (!slot) return;
    auto held = heap->stats_of(id);
    heap->remove_client(id);  // unmaps every page, cached blocks' too
    memory->set_client_task(*slot, 0);
    user::printf("memd: client %lu ended: pool %zu of %zu pages used; it held %lu blocks, "
                 "%lu of them cached\n",
                 id, heap->pool_used_pages(), heap->pool_total_pages(),
                 held.ok() ? held->blocks_in_use : 0, held.ok() ? held->cached_blocks : 0);
  }

};

HeapClients heap_clients;
user::ClientWatch clients(heap_clients);

// A client's request: only introduced clients may allocate; stats are for anyone.
void client_request(const user::Message& message, user::Message* reply) {
  static bm::ipc::WireMessage request;
  static bm::ipc::WireMessage answer;
  if (message.has_handle) (void)user::handle_close(message.handle);
  if (!user::load_message(message, &request)) {
    bm::ipc::encode_status_reply(message.label, ProtocolStatus::kTooLong, &answer);
  } else if (request.label != bm::ipc::memd::kStats && !heap->has_client(message.badge)) {
    bm::ipc::encode_status_reply(request.label, ProtocolStatus::kUnsupported, &answer);
  } else {
    bm::memd::serve_request(*heap, message.badge, request, &answer);
  }
  user::store_message(answer, reply);
}

// args: policy=NAME, NAME one of lib/abi/heap_strategy.h's names.
bool parse_policy(const char* arguments, bm::memd::Policy* out) {
  bool ok = true;
  user::for_each_argument(arguments, [&](const char* word, size_t length) {
    size_t value_length = 0;
    const char* value = user::argument_value(word, length, "policy=", &value_length);
    ok &= value != nullptr && bm::abi::heap_strategy_from_name(value, value_length, out);
  });
  return ok;
}

}  // namespace

int main(uint64_t bootstrap_argument) {
  user::heap_use_local();  // memd cannot be its own client
  auto bootstrap = static_cast<Handle>(bootstrap_argument);
  char arguments[bm::ipc::kMaxArgumentsLength + 1] = {};
  (void)user::get_arguments(bootstrap, arguments, sizeof(arguments));
  bm::memd::Policy policy = bm::memd::Policy::kFixedBlock;
  if (!parse_policy(arguments, &policy)) {
    user::printf("memd: bad args \"%s\" (want policy=bump|linked_list|fixed_block)\n", arguments);
    return 1;
  }
  Handle pool = 0;
  uint64_t pool_pages = 0;
  for (uint64_t index = 0;; ++index) {
    user::Grant grant;
    if (user::get_grant(bootstrap, index, &grant) != ProtocolStatus::kOk) break;
    if (grant.kind == bm::ipc::GrantKind::kMemoryPool && pool == 0) {
      pool = grant.handle;
      pool_pages = grant.detail;
    } else {
      (void)user::handle_close(grant.handle);
    }
  }
  if (pool == 0 || pool_pages > bm::memd::kMaxPoolPages) {
    user::printf("memd: no usable pool grant (pool= in the manifest, at most %zu pages)\n",
                 bm::memd::kMaxPoolPages);
    return 1;
  }
  static bm::memd::KernelPoolMemory pool_memory(pool, pool_pages);
  if (!pool_memory.map_view()) {
    user::printf("memd: cannot map the pool\n");
    return 1;
  }
  static bm::memd::HeapManager manager(policy, &pool_memory, bm::memd::kMaxHeapLimit);
  // A client that asks for everything gets a quarter of the pool; the other three
  // quarters stay for everyone else (docs/reliability.md).
  manager.limit_client_pages(pool_pages / kClientShareDivisor);
  heap = &manager;
  memory = &pool_memory;

  if (!clients.start()) {
    user::printf("memd: cannot make its endpoint and watcher thread\n");
    return 1;
  }
  if (user::register_service(bootstrap, bm::ipc::memd_admin::kServiceName, clients.endpoint()) !=
      ProtocolStatus::kOk) {
    user::printf("memd: cannot register \"memd\"\n");
    return 1;
  }
  user::printf("memd: %s policy, pool of %lu pages, heaps up to %zu KiB per client, "
               "%zu pages of the pool each\n",
               bm::abi::heap_strategy_name(policy), pool_pages,
               bm::memd::kMaxHeapLimit / 1024, manager.client_page_limit());
  clients.serve(client_request);
}
