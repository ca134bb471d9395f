// The one message init sends memd (label 0x4f1): "this server is your client". It travels on
// memd's own registered endpoint, which only init holds (clients get badged handles from this
// very message), so memd answers it only when the badge is 0.
//
//   add_client   w0 = client id (init's badge for the server); the client's task handle
//                (read + manage) attached: memd maps the client's heap with it and watches it,
//                so it can reclaim the heap however the client ends
//     reply: w0 = ProtocolStatus: kOk with memd's endpoint attached, badged with the client
//            id (write + grant, so init can pass copies to the client in its lookup replies;
//            whoever holds one acts as that client); kBusy if the id is already a client; kNoSlots
//            if memd's client table is full; kBadValue (no task handle, a wrong word count, id 0)
//
// init calls it the first time a server looks up "memd" (docs/protocols.md, memd), so only
// servers that allocate become clients. Like the bootstrap protocol, w0 of the reply is a
// ProtocolStatus and messages carry handles; init and memd both use the codecs below.
#pragma once

#include <stdint.h>

#include "ipc/bootstrap.h"
#include "ipc/protocol.h"

namespace bm::ipc::memd_admin {

constexpr uint32_t kAddClient = kMemdLabelBase + 0xf1;
constexpr uint32_t kAddClientWords = 1;
constexpr MessageSpec kAddClientSpec{kAddClient, "add_client", 1, 1, 1, 1};

// The service name memd registers, and the one clients look up.
constexpr const char* kServiceName = "memd";

struct AddClientRequest {
  uint64_t client_id = 0;  // never 0
  abi::Handle task = 0;    // the client's task (read + manage), moved to memd
};
struct AddClientReply {
  ProtocolStatus status = ProtocolStatus::kOk;
  abi::Handle endpoint = 0;  // kOk: memd's endpoint badged with the client id
};

constexpr bool encode(const AddClientRequest& request, WireMessage* out) {
  if (request.client_id == 0 || request.task == 0) return false;
  begin_message(kAddClient, kAddClientWords, out);
  out->word[0] = request.client_id;
  out->has_handle = true;
  out->handle = request.task;
  return true;
}

// kBadValue for id 0 or a missing task handle.
constexpr ProtocolStatus decode(const WireMessage& message, AddClientRequest* out) {
  ProtocolStatus shape = check_request(message, kAddClientSpec);
  if (shape != ProtocolStatus::kOk) return shape;
  if (message.word[0] == 0 || !message.has_handle) return ProtocolStatus::kBadValue;
  out->client_id = message.word[0];
  out->task = message.handle;
  return ProtocolStatus::kOk;
}

constexpr bool encode(const AddClientReply& reply, WireMessage* out) {
  if (!is_protocol_status(static_cast<uint64_t>(reply.status))) return false;
  if (reply.status != ProtocolStatus::kOk) {
    encode_handle_status(kAddClient, reply.status, out);
    return true;
  }
  if (reply.endpoint == 0) return false;
  begin_message(kAddClient, 1, out);
  out->word[0] = static_cast<uint64_t>(ProtocolStatus::kOk);
  out->has_handle = true;
  out->handle = reply.endpoint;
  return true;
}

constexpr ProtocolStatus decode(const WireMessage& message, AddClientReply* out) {
  ProtocolStatus status = ProtocolStatus::kOk;
  ProtocolStatus shape = check_handle_reply(message, kAddClientSpec, true, &status);
  if (shape != ProtocolStatus::kOk) return shape;
  out->status = status;
  out->endpoint = status == ProtocolStatus::kOk ? message.handle : 0;
  return ProtocolStatus::kOk;
}

}  // namespace bm::ipc::memd_admin
