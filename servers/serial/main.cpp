// serial: the COM1 server. It owns ports 0x3F8-0x3FF and IRQ 4 (its manifest grants) and
// receives by interrupt on one thread. One service thread answers console, keyboard and serial
// requests on one endpoint, under every name in its manifest args=. A blocking read with
// nothing received is kept in a reply object, and the interrupt thread answers it when bytes
// arrive, so a waiting reader holds no thread and output never waits behind it.
#include "ipc/bootstrap.h"
#include "ipc/names.h"
#include "ipc/protocol.h"
#include "lib/containers/ring_buffer.h"
#include "lib/core/pc_layout.h"
#include "servers/serial/port_io_uart.h"
#include "servers/serial/serial_service.h"
#include "servers/serial/uart_driver.h"
#include "servers/serial/uart_io.h"
#include "user/ipc.h"
#include "user/print.h"
#include "user/protocol_server.h"
#include "user/reply_pool.h"
#include "user/services.h"
#include "user/thread.h"
#include "user/yield_lock.h"

namespace {

using bm::ipc::ProtocolStatus;
using bm::ipc::WireMessage;
using bm::serial::UartIo;

constexpr uint64_t kCom1Irq = bm::pc::kCom1Irq;
constexpr const char* kDefaultNames = "serial";

// Reads waiting for input at once; one more gets kBusy and asks again a little later.
constexpr size_t kMaxWaitingReads = 8;

// A blocking read kept for the bytes to come: its reply object and what it reads.
struct KeptRead {
  user::Handle reply = 0;
  bm::serial::WaitingRead read;
};

// The service (its line discipline, its read buffer) and the kept reads are shared by the
// service thread and the interrupt thread, under `service_lock`.
bm::serial::SerialService* service = nullptr;
user::YieldLock service_lock;
bm::RingBuffer<KeptRead, kMaxWaitingReads> waiting_reads;
user::ReplyPool<kMaxWaitingReads> replies;
// Set when bytes arrived that the kept reads have not been offered yet.
bool input_pending = false;

// Answers kept reads, oldest first, while the bytes received are enough for them (under
// service_lock). Bytes taken for a reader that died meanwhile are gone with it, as they would
// be had it died just after its answer.
void answer_waiting_reads() {
  WireMessage reply;
  KeptRead kept;
  while (waiting_reads.peek(&kept) && service->answer_waiting(kept.read, &reply)) {
    (void)waiting_reads.pop(&kept);
    replies.give_back(kept.reply, user::answer_later(kept.reply, reply));
  }
}

// Offers new input to the kept reads unless the other thread holds the service: the holder
// looks at input_pending after it lets go, so the input is never left unoffered.
void offer_pending_input() {
  while (__atomic_load_n(&input_pending, __ATOMIC_SEQ_CST)) {
    if (!service_lock.try_lock()) return;
    __atomic_store_n(&input_pending, false, __ATOMIC_SEQ_CST);
    answer_waiting_reads();
    service_lock.unlock();
  }
}

// The interrupt thread's callback: bytes are in the receive buffer.
void on_received() {
  __atomic_store_n(&input_pending, true, __ATOMIC_SEQ_CST);
  offer_pending_input();
}

// Answers a request, or keeps a blocking read that found nothing for the interrupt thread.
user::Handled serve_one(const WireMessage& request, uint64_t, WireMessage* reply) {
  user::Handled handled = user::Handled::kAnswered;
  {
    user::LockGuard guard(service_lock);
    bm::serial::WaitingRead wait;
    if (service->serve(request, reply, &wait) == bm::serial::Outcome::kWait) {
      user::Handle kept = replies.keep_call();
      if (kept == 0) {  // every reply object holds a read already
        bm::ipc::encode_status_reply(request.label, ProtocolStatus::kBusy, reply);
      } else {
        (void)waiting_reads.push({kept, wait});
        handled = user::Handled::kDeferred;
      }
    }
  }
  offer_pending_input();  // input that came while this thread held the service
  return handled;
}

struct Grants {
  user::Handle ports = 0;
  user::Handle irq = 0;
};

// Fetches every grant; keeps COM1's port range and IRQ 4, closes anything else.
bool take_grants(user::Handle bootstrap, Grants* out) {
  for (uint64_t index = 0;; ++index) {
    user::Grant grant;
    if (user::get_grant(bootstrap, index, &grant) != user::ProtocolStatus::kOk) break;
    if (grant.kind == bm::ipc::GrantKind::kIoPorts && grant.detail == bm::serial::kCom1Base &&
        grant.count >= bm::serial::kRegisterCount && out->ports == 0) {
      out->ports = grant.handle;  // kept: holding it is what lets in/out reach the ports
    } else if (grant.kind == bm::ipc::GrantKind::kIrq && grant.detail == kCom1Irq &&
               out->irq == 0) {
      out->irq = grant.handle;
    } else {
      (void)user::handle_close(grant.handle);
    }
  }
  return out->ports != 0 && out->irq != 0;
}

// Registers each comma-separated name of `names` under `endpoint`. Returns how many took.
int register_names(user::Handle bootstrap, const char* names, user::Handle endpoint) {
  int registered = 0;
  user::for_each_argument(names, [&](const char* word, size_t length) {
    user::ProtocolStatus status = user::register_service(bootstrap, word, length, endpoint);
    if (status == user::ProtocolStatus::kOk) {
      ++registered;
    } else {
      user::printf("serial: cannot register \"%.*s\": %s\n", static_cast<int>(length), word,
                   bm::ipc::protocol_status_text(status));
    }
  });
  return registered;
}

user::Handle new_notification() {
  // Kept for the life of the server.
  auto created = user::notification_create();
  return created.ok() ? created->release() : 0;
}

void interrupt_thread(uint64_t io) { reinterpret_cast<UartIo*>(io)->serve_interrupts(); }

}  // namespace

int main(uint64_t bootstrap_argument) {
  auto bootstrap = static_cast<user::Handle>(bootstrap_argument);
  Grants grants;
  if (!take_grants(bootstrap, &grants)) {
    user::printf("serial: missing grants (ports 0x3f8:8 and irq 4)\n");
    return 1;
  }
  char names[bm::ipc::kMaxArgumentsLength + 1];
  user::ProtocolStatus got = user::get_arguments(bootstrap, names, sizeof(names));
  if (got != user::ProtocolStatus::kOk) {
    user::printf("serial: cannot read arguments: %s\n", bm::ipc::protocol_status_text(got));
    names[0] = '\0';
  }
  const char* to_register = names[0] != '\0' ? names : kDefaultNames;

  user::Handle irq_notification = new_notification();
  user::Handle transmit_ready = new_notification();
  if (irq_notification == 0 || transmit_ready == 0 || !replies.create()) {
    user::printf("serial: cannot create notifications and reply objects\n");
    return 1;
  }
  // Bound before the UART's interrupt is enabled (init() does that last), so none is lost.
  user::Status bound = user::irq_bind(grants.irq, irq_notification, UartIo::kIrqBit).error();
  if (bound != user::Status::kOk) {
    user::printf("serial: cannot bind irq 4: %s\n", bm::abi::status_text(bound));
    return 1;
  }

  static bm::serial::PortIoUart port(bm::serial::kCom1Base);
  static bm::serial::UartDriver driver(&port);
  bm::Result<void> ready = driver.init();
  if (!ready.ok()) {
    user::printf("serial: no 16550 at 0x3f8: %s\n", bm::error_name(ready.error()));
    return 1;
  }
  static UartIo io(&driver, grants.irq, irq_notification, transmit_ready, on_received);
  static bm::serial::SerialService the_service(&io);
  service = &the_service;
  // Same priority as the service thread: see the lock in uart_io.h.
  user::Status started = user::start_thread(&interrupt_thread, reinterpret_cast<uint64_t>(&io),
                                            user::current_priority());
  if (started != user::Status::kOk) {
    user::printf("serial: cannot start the interrupt thread: %s\n", bm::abi::status_text(started));
    return 1;
  }

  auto endpoint = user::endpoint_create();
  if (!endpoint.ok()) return 1;
  if (register_names(bootstrap, to_register, endpoint->get()) == 0) {
    user::printf("serial: no name registered (args=%s)\n", to_register);
    return 1;
  }
  user::printf("serial: COM1 at 115200 8N1, %s, serving %s\n",
               driver.fifo_enabled() ? "FIFO" : "no FIFO", to_register);
  user::serve_protocol(endpoint->get(), serve_one);
}
