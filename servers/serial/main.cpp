// serial: the COM1 server. It owns ports 0x3F8-0x3FF and IRQ 4 (its manifest grants) and
// receives by interrupt on one thread. Two service threads answer requests: names in its
// manifest args= that begin with "console" get an endpoint whose thread answers only the
// console protocol, so output never waits behind a client's blocking read; every other name
// gets the endpoint that answers console, keyboard and serial requests.
#include "ipc/bootstrap.h"
#include "ipc/names.h"
#include "ipc/protocol.h"
#include "lib/core/pc_layout.h"
#include "servers/serial/port_io_uart.h"
#include "servers/serial/serial_service.h"
#include "servers/serial/uart_driver.h"
#include "servers/serial/uart_io.h"
#include "user/ipc.h"
#include "user/print.h"
#include "user/protocol_server.h"
#include "user/services.h"
#include "user/thread.h"

namespace {

using bm::ipc::ProtocolStatus;
using bm::ipc::WireMessage;
using bm::serial::UartIo;

constexpr uint64_t kCom1Irq = bm::pc::kCom1Irq;
constexpr const char* kDefaultNames = "serial";

bm::serial::SerialService* full_service = nullptr;     // console, keyboard and serial
bm::serial::SerialService* console_service = nullptr;  // console only

void serve_full(const WireMessage& request, uint64_t, WireMessage* reply) {
  full_service->serve(request, reply);  // a blocking read waits in here, owing this reply
}
void serve_console(const WireMessage& request, uint64_t, WireMessage* reply) {
  console_service->serve(request, reply);
}
void console_thread(uint64_t endpoint) {
  user::serve_protocol(static_cast<user::Handle>(endpoint), serve_console);
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

// Registers each comma-separated name of `names`: console names under `console_endpoint`,
// the others under `full_endpoint`. Returns how many took.
int register_names(user::Handle bootstrap, const char* names, user::Handle full_endpoint,
                   user::Handle console_endpoint) {
  int registered = 0;
  user::for_each_argument(names, [&](const char* word, size_t length) {
    size_t rest = 0;
    bool console_name = user::argument_value(word, length, "console", &rest) != nullptr;
    user::ProtocolStatus status = user::register_service(
        bootstrap, word, length, console_name ? console_endpoint : full_endpoint);
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
  user::Handle data_arrived = new_notification();
  user::Handle transmit_ready = new_notification();
  if (irq_notification == 0 || data_arrived == 0 || transmit_ready == 0) {
    user::printf("serial: cannot create notifications\n");
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
  static UartIo io(&driver, grants.irq, irq_notification, data_arrived, transmit_ready);
  static bm::serial::SerialService service(&io);
  // Same priority as the service thread: see the lock in uart_io.h.
  user::Status started = user::start_thread(&interrupt_thread, reinterpret_cast<uint64_t>(&io),
                                            user::current_priority());
  if (started != user::Status::kOk) {
    user::printf("serial: cannot start the interrupt thread: %s\n", bm::abi::status_text(started));
    return 1;
  }

  static bm::serial::SerialService console_only(&io, bm::serial::SerialService::Role::kConsoleOnly);
  full_service = &service;
  console_service = &console_only;
  auto full = user::endpoint_create();
  auto console = user::endpoint_create();
  if (!full.ok() || !console.ok()) return 1;
  user::Handle full_endpoint = full->get();
  user::Handle console_endpoint = console->get();
  if (user::start_thread(&console_thread, console_endpoint, user::current_priority()) !=
      user::Status::kOk) {
    user::printf("serial: cannot start the console thread\n");
    return 1;
  }
  if (register_names(bootstrap, to_register, full_endpoint, console_endpoint) == 0) {
    user::printf("serial: no name registered (args=%s)\n", to_register);
    return 1;
  }
  user::printf("serial: COM1 at 115200 8N1, %s, serving %s\n",
               driver.fifo_enabled() ? "FIFO" : "no FIFO", to_register);
  user::serve_protocol(full_endpoint, serve_full);
}
