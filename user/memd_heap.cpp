// memd protocol client: encode, call_protocol, decode.
#include "user/memd_heap.h"

#include "ipc/memd_admin.h"
#include "user/protocol_client.h"
#include "user/services.h"

namespace user::memd_heap {
namespace {

namespace memd = bm::ipc::memd;
using bm::ipc::ProtocolStatus;

// How long to wait for memd to come up (it starts first, so this is only a bound).
constexpr uint64_t kConnectTicks = 5000;
constexpr uint64_t kRetryTicks = 2;

Handle memd_handle = 0;

// One request/reply with memd: the reply's status, the IPC failure, or kBadValue for a reply
// that does not decode (a working memd never sends one).
template <typename Request, typename Reply>
ProtocolStatus exchange(const Request& request, Reply* reply) {
  return call_protocol(memd_handle, request, reply);
}

void* address_or_null(ProtocolStatus result, uint64_t address, ProtocolStatus* status) {
  if (status != nullptr) *status = result;
  return result == ProtocolStatus::kOk ? reinterpret_cast<void*>(address) : nullptr;
}

}  // namespace

bool connect(Handle bootstrap) {
  if (memd_handle != 0) return true;
  for (uint64_t waited = 0; waited < kConnectTicks; waited += kRetryTicks) {
    Handle found = 0;
    ProtocolStatus status = lookup_service(bootstrap, bm::ipc::memd_admin::kServiceName, 0, &found);
    if (status == ProtocolStatus::kOk) {
      memd_handle = found;
      return true;
    }
    if (status != ProtocolStatus::kWouldBlock) return false;  // no memd in this system
    (void)sleep(kRetryTicks);
  }
  return false;
}

Handle handle() { return memd_handle; }

void* allocate(size_t size, size_t alignment, ProtocolStatus* status) {
  memd::AllocReply reply;
  ProtocolStatus result = exchange(memd::AllocRequest{size, alignment}, &reply);
  return address_or_null(result, reply.address, status);
}

ProtocolStatus free(void* pointer) {
  memd::FreeReply reply;
  return exchange(memd::FreeRequest{reinterpret_cast<uint64_t>(pointer)}, &reply);
}

void* reallocate(void* pointer, size_t size, ProtocolStatus* status) {
  memd::ReallocReply reply;
  ProtocolStatus result =
      exchange(memd::ReallocRequest{reinterpret_cast<uint64_t>(pointer), size}, &reply);
  return address_or_null(result, reply.address, status);
}

ProtocolStatus refill(uint64_t size, uint32_t count, uint64_t* blocks, uint32_t* placed) {
  memd::RefillReply reply;
  ProtocolStatus result = exchange(memd::RefillRequest{size, count}, &reply);
  *placed = 0;
  if (result != ProtocolStatus::kOk) return result;
  // memd answers at most `count`; a reply with more is not memd's.
  if (reply.blocks.count > count) return ProtocolStatus::kBadValue;
  for (uint32_t i = 0; i < reply.blocks.count; ++i) blocks[i] = reply.blocks.word[i];
  *placed = reply.blocks.count;
  return ProtocolStatus::kOk;
}

ProtocolStatus drain(const uint64_t* blocks, uint32_t count) {
  memd::DrainRequest request;
  if (count > memd::kMaxBatch) return ProtocolStatus::kBadValue;
  for (uint32_t i = 0; i < count; ++i) request.blocks.word[i] = blocks[i];
  request.blocks.count = count;
  memd::DrainReply reply;
  return exchange(request, &reply);
}

ProtocolStatus stats(uint64_t index, memd::ClientStats* out) {
  memd::StatsReply reply;
  ProtocolStatus result = exchange(memd::StatsRequest{index}, &reply);
  if (result == ProtocolStatus::kOk) *out = reply.stats;
  return result;
}

}  // namespace user::memd_heap
