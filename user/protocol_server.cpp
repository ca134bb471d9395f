// serve_protocol: receive, decode into a WireMessage, handle, answer and receive again.
#include "user/protocol_server.h"

#include "ipc/heartbeat.h"

namespace user {
namespace {

// The loop of both serve_protocol forms; `handle` returns what the handler did.
template <typename Handle_request>
[[noreturn]] void serve_loop(Handle endpoint, Handle_request handle) {
  // On this thread's stack (8 KiB of the 64 KiB every thread gets), so several service
  // threads of one server can each run this loop.
  bm::ipc::WireMessage request;
  bm::ipc::WireMessage reply;
  Message message;
  Status status = receive(endpoint, &message);
  for (;;) {
    if (status != Status::kOk) {
      status = receive(endpoint, &message);
      continue;
    }
    if (message.has_handle) (void)handle_close(message.handle);
    message.has_handle = false;
    Handled handled = Handled::kAnswered;
    if (!load_message(message, &request)) {
      bm::ipc::encode_status_reply(message.label, bm::ipc::ProtocolStatus::kTooLong, &reply);
    } else if (request.label == bm::ipc::heartbeat::kHeartbeat) {
      // init asks whether this loop still turns: it does, since it got here.
      bm::ipc::heartbeat::HeartbeatRequest heartbeat;
      bm::ipc::encode_status_reply(request.label, bm::ipc::heartbeat::decode(request, &heartbeat),
                                   &reply);
    } else {
      handled = handle(request, message.badge, &reply);
    }
    if (handled == Handled::kDeferred) {
      status = receive(endpoint, &message);  // the call is kept: nothing to answer now
      continue;
    }
    reply.has_handle = false;  // these protocols carry none
    Message answer;
    store_message(reply, &answer);
    status = answer_and_receive(endpoint, answer, &message);
  }
}

}  // namespace

void serve_protocol(Handle endpoint, RequestHandler handler) {
  serve_loop(endpoint, [handler](const bm::ipc::WireMessage& request, uint64_t badge,
                                 bm::ipc::WireMessage* reply) {
    handler(request, badge, reply);
    return Handled::kAnswered;
  });
}

void serve_protocol(Handle endpoint, DeferringHandler handler) { serve_loop(endpoint, handler); }

Status answer_later(Handle reply_handle, const bm::ipc::WireMessage& reply) {
  Message answer;
  store_message(reply, &answer);
  answer.has_handle = false;  // these protocols carry none
  return answer_deferred(reply_handle, answer);
}

}  // namespace user
