// Registering a console server (vga, fb) under the names its manifest args give: every word
// is a name, "console" when there is none, except the words the server takes as options
// (vga's probe=LINE). One place, so both screens answer to the same names.
#pragma once

#include <stddef.h>

#include "ipc/bootstrap.h"
#include "user/print.h"
#include "user/services.h"

namespace bm::terminal {

// What a server's option parser says of one word of its args.
enum class ArgumentKind { kName, kOption, kBadOption };

// `server` names it in the log line of a refused name. False when a name is refused or
// parse_option says kBadOption.
template <typename ParseOption>
bool register_console_names(user::Handle bootstrap, user::Handle service, const char* server,
                            ParseOption&& parse_option) {
  char arguments[ipc::kMaxArgumentsLength + 1] = {};
  (void)user::get_arguments(bootstrap, arguments, sizeof(arguments));
  bool ok = true;
  int registered = 0;
  user::for_each_argument(arguments, [&](const char* word, size_t length) {
    if (!ok) return;
    switch (parse_option(word, length)) {
      case ArgumentKind::kOption:
        return;
      case ArgumentKind::kBadOption:
        ok = false;
        return;
      case ArgumentKind::kName:
        break;
    }
    if (user::register_service(bootstrap, word, length, service) != user::ProtocolStatus::kOk) {
      user::printf("%s: cannot register \"%.*s\"\n", server, static_cast<int>(length), word);
      ok = false;
    }
    ++registered;
  });
  if (ok && registered == 0) {
    ok = user::register_service(bootstrap, "console", service) == user::ProtocolStatus::kOk;
  }
  return ok;
}

// For a server without options: every word is a name.
inline bool register_console_names(user::Handle bootstrap, user::Handle service,
                                   const char* server) {
  return register_console_names(bootstrap, service, server,
                                [](const char*, size_t) { return ArgumentKind::kName; });
}

}  // namespace bm::terminal
