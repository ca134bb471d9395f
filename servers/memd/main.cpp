// memd: the heap-policy server. It owns the pool init grants it (pool= in its manifest line),
// places every client's blocks with the policy its args name (policy=bump|linked_list|
// fixed_block; the heap_policy build option writes it), maps the pages into the client on
// demand and keeps every allocator's metadata in its own memory (servers/memd/heap_manager.h).
//
// Three kinds of caller reach its endpoint, told apart by badge:
//   0                  init, introducing a client (ipc/memd_admin.h);
//   kClientsGoneBadge  memd's own watcher thread: clients whose task ended;
//   anything else      a client (its badge is init's id for it): the memd protocol.
#include "ipc/bootstrap.h"
#include "ipc/kernel_status.h"
#include "ipc/memd.h"
#include "ipc/memd_admin.h"
#include "lib/abi/heap_strategy.h"
#include "lib/fmt/string.h"
#include "servers/memd/heap_manager.h"
#include "servers/memd/kernel_pool_memory.h"
#include "servers/memd/memd_service.h"
#include "user/heap.h"
#include "user/ipc.h"
#include "user/print.h"
#include "user/services.h"
#include "user/thread.h"

namespace {

using bm::abi::Status;
using bm::ipc::ProtocolStatus;
using bm::memd::ClientSlot;
using bm::memd::kMaxClients;
using user::Handle;

constexpr uint64_t kClientsGoneBadge = ~0ull;
constexpr uint32_t kClientsGoneLabel = 0x4f2;  // w0 = bits: slot i's task ended
// One client may hold at most this fraction of the pool (1/4): a hog leaves the rest three
// quarters, and it takes four clients at their cap to use the pool up.
constexpr size_t kClientShareDivisor = 4;

bm::memd::HeapManager* heap = nullptr;
bm::memd::KernelPoolMemory* memory = nullptr;
Handle endpoint = 0;
Handle clients_gone = 0;  // notification: bit i when the client in slot i ends
uint64_t slot_ids[kMaxClients] = {};

// Waits for client tasks to end and tells the service thread, in order with its requests
// (HeapManager is single-threaded).
void watcher_thread(uint64_t gone_endpoint) {
  for (;;) {
    auto ended = user::notification_wait(clients_gone, bm::abi::kWaitForever);
    if (!ended.ok()) return;
    user::Message message;
    message.label = kClientsGoneLabel;
    message.words = 1;
    message.word[0] = *ended;
    (void)user::send(static_cast<Handle>(gone_endpoint), message);
  }
}

// init's add_client (ipc/memd_admin.h): the task handle attached is the client's.
bm::ipc::memd_admin::AddClientReply add_client(const bm::ipc::memd_admin::AddClientRequest& add) {
  uint64_t id = add.client_id;
  ProtocolStatus status = ProtocolStatus::kOk;
  if (id == kClientsGoneBadge) status = ProtocolStatus::kBadValue;
  if (status == ProtocolStatus::kOk && heap->has_client(id)) status = ProtocolStatus::kBusy;
  auto slot = status == ProtocolStatus::kOk ? heap->add_client(id)
                                            : bm::Result<ClientSlot>(bm::Error::kNoSlots);
  if (status == ProtocolStatus::kOk && !slot) status = ProtocolStatus::kNoSlots;
  if (status == ProtocolStatus::kOk) {
    status = bm::ipc::from_kernel(user::task_watch(add.task, clients_gone, *slot).error());
  }
  user::OwnedHandle badged;
  if (status == ProtocolStatus::kOk) {
    auto copy = user::handle_duplicate(endpoint, bm::abi::kRightWrite | bm::abi::kRightGrant, id);
    status = bm::ipc::from_kernel(copy.error());
    if (copy.ok()) badged = bm::move(*copy);
  }
  if (status != ProtocolStatus::kOk) {
    if (slot && status != ProtocolStatus::kBusy) heap->remove_client(id);
    (void)user::handle_close(add.task);
    return {status, 0};
  }
  memory->set_client_task(*slot, add.task);
  slot_ids[*slot] = id;
  return {ProtocolStatus::kOk, badged.release()};
}

// Decodes and answers add_client; a malformed one gets kBadValue (its handle closed).
void on_add_client(const user::Message& message, user::Message* reply) {
  static bm::ipc::WireMessage wire;
  bm::ipc::memd_admin::AddClientRequest add;
  bm::ipc::memd_admin::AddClientReply answer{ProtocolStatus::kBadValue, 0};
  if (user::load_message(message, &wire) &&
      bm::ipc::memd_admin::decode(wire, &add) == bm::ipc::ProtocolStatus::kOk) {
    answer = add_client(add);
  } else if (message.has_handle) {
    (void)user::handle_close(message.handle);
  }
  if (!bm::ipc::memd_admin::encode(answer, &wire)) {
    bm::ipc::encode_status_reply(message.label, ProtocolStatus::kBadValue, &wire);
  }
  user::store_message(wire, reply);
}

void clients_ended(uint64_t bits) {
  for (ClientSlot slot = 0; slot < kMaxClients; ++slot) {
    if ((bits & (1ull << slot)) == 0 || slot_ids[slot] == 0) continue;
    auto held = heap->stats_of(slot_ids[slot]);
    heap->remove_client(slot_ids[slot]);  // unmaps every page, cached blocks' too
    memory->set_client_task(slot, 0);
    user::printf("memd: client %lu ended: pool %zu of %zu pages used; it held %lu blocks, "
                 "%lu of them cached\n",
                 slot_ids[slot], heap->pool_used_pages(), heap->pool_total_pages(),
                 held.ok() ? held->blocks_in_use : 0, held.ok() ? held->cached_blocks : 0);
    slot_ids[slot] = 0;
  }
}

// A client's request: only introduced clients may allocate; stats are for anyone.
void client_request(const user::Message& message, user::Message* reply) {
  static bm::ipc::WireMessage request;
  static bm::ipc::WireMessage answer;
  if (!user::load_message(message, &request)) {
    bm::ipc::encode_status_reply(message.label, bm::ipc::ProtocolStatus::kTooLong, &answer);
  } else if (request.label != bm::ipc::memd::kStats && !heap->has_client(message.badge)) {
    bm::ipc::encode_status_reply(request.label, bm::ipc::ProtocolStatus::kUnsupported, &answer);
  } else {
    bm::memd::serve_request(*heap, message.badge, request, &answer);
  }
  user::store_message(answer, reply);
}

[[noreturn]] void serve() {
  user::Message message;
  Status status = user::receive(endpoint, &message);
  for (;;) {
    if (status != Status::kOk) {
      status = user::receive(endpoint, &message);
      continue;
    }
    if (message.badge == kClientsGoneBadge) {
      if (message.label == kClientsGoneLabel) clients_ended(message.word[0]);
      status = user::receive(endpoint, &message);  // a send: nobody waits for a reply
      continue;
    }
    user::Message reply;
    if (message.badge == 0 && message.label == bm::ipc::memd_admin::kAddClient) {
      on_add_client(message, &reply);
    } else {
      if (message.has_handle) (void)user::handle_close(message.handle);
      client_request(message, &reply);
    }
    status = user::answer_and_receive(endpoint, reply, &message);
  }
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

  // memd's endpoint and notification last as long as memd.
  auto created = user::endpoint_create();
  auto gone = user::notification_create();
  if (!created.ok() || !gone.ok()) return 1;
  endpoint = created->release();
  clients_gone = gone->release();
  auto watcher_endpoint = user::handle_duplicate(endpoint, bm::abi::kRightWrite, kClientsGoneBadge);
  if (!watcher_endpoint.ok() || user::start_thread(watcher_thread, watcher_endpoint->release(),
                                                   user::current_priority()) != Status::kOk) {
    user::printf("memd: cannot start the watcher thread\n");
    return 1;
  }
  if (user::register_service(bootstrap, bm::ipc::memd_admin::kServiceName, endpoint) !=
      ProtocolStatus::kOk) {
    user::printf("memd: cannot register \"memd\"\n");
    return 1;
  }
  user::printf("memd: %s policy, pool of %lu pages, heaps up to %zu KiB per client, "
               "%zu pages of the pool each\n",
               bm::abi::heap_strategy_name(policy), pool_pages,
               bm::memd::kMaxHeapLimit / 1024, manager.client_page_limit());
  serve();
}
