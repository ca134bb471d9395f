// shell: the interactive shell. It writes to the consoles and reads from the keyboards its
// manifest args name (`out:NAME`, `in:NAME`; default out:console, in:keyboard) without knowing
// which servers answer, edits lines and runs the built-in commands.
#include "ipc/bootstrap.h"
#include "servers/shell/builtins.h"
#include "servers/shell/jobs.h"
#include "servers/shell/session.h"
#include "servers/shell/terminal_io.h"
#include "user/print.h"
#include "user/services.h"
#include "user/syscalls.h"
#include "user/tsc.h"

int main(uint64_t bootstrap_argument) {
  auto bootstrap = static_cast<user::Handle>(bootstrap_argument);
  char arguments[bm::ipc::kMaxArgumentsLength + 1] = {};
  (void)user::get_arguments(bootstrap, arguments, sizeof(arguments));
  static shell::TerminalIo io;
  if (!io.configure(arguments)) {
    user::printf("shell: bad args \"%s\" (want out:NAME and in:NAME words)\n", arguments);
    return 1;
  }
  if (!io.connect(bootstrap)) return 1;
  static shell::ShellState state{bootstrap};
  if (!shell::builtins().valid()) {
    user::printf("shell: the command table is inconsistent\n");
    return 1;
  }
  static bm::shell::Session session(shell::builtins(), shell::TerminalIo::sink, &io, &state);
  // Programs (run): a helper thread waits for the one in the foreground.
  if (shell::jobs().start(bootstrap, &session, &shell::TerminalIo::session_lock(),
                          {shell::TerminalIo::sink, &io})) {
    session.set_jobs(&shell::jobs());
  } else {
    user::printf("shell: no helper thread for programs: run cannot wait for them\n");
  }
  // The servers started with the shell log their start-up on COM1; the prompt comes after
  // those lines, not among them. A server that never registers costs at most this wait.
  constexpr uint64_t kStartupWaitMs = 2000;
  (void)user::wait_for_startup(bootstrap, kStartupWaitMs * user::timer_hz() / 1000);
  // Logged just before the prompt (so it does not land after the prompt on COM1);
  // tools/bench times boot-to-prompt by this line, and counts it under -icount by the TSC.
  user::printf("shell: ready on %zu console(s), %zu keyboard(s) at TSC %lu\n",
               io.console_count(), io.keyboard_count(), user::read_tsc());
  static constexpr char kGreeting[] = "\nBareMetal-OS shell. Type help for the commands.\n";
  io.write(kGreeting, sizeof(kGreeting) - 1);
  session.start();
  io.read_keys([](const bm::ipc::keyboard::KeyEvent& event) { session.on_key(event); });
}
