// Key events to editor operations and command runs (see session.h).
#include "servers/shell/session.h"

namespace bm::shell {
namespace {

namespace keyboard = ipc::keyboard;

constexpr uint32_t kCtrlA = 0x01;
constexpr uint32_t kCtrlC = 0x03;
constexpr uint32_t kCtrlE = 0x05;
constexpr uint32_t kCtrlL = 0x0c;

}  // namespace

void Session::start() { prompt(); }

void Session::prompt() {
  if (jobs_ != nullptr) jobs_->report_ended();
  out_.write(kPrompt);
}

void Session::foreground_ended() { prompt(); }

void Session::run_line() {
  LineEditor::Line line = editor_.enter();
  last_outcome_ = run_command_line(*table_, line.text, line.length, out_, user_);
  ++lines_run_;
  if (!foreground_running()) prompt();
}

void Session::on_key(const keyboard::KeyEvent& event) {
  if (!event.pressed) return;
  if (foreground_running()) {
    if (event.character == kCtrlC) {
      out_.write("^C\n");
      jobs_->interrupt_foreground();
    }
    return;
  }
  switch (event.key) {
    case keyboard::KeyCode::kEnter:
    case keyboard::KeyCode::kKeypadEnter:
      run_line();
      return;
    case keyboard::KeyCode::kBackspace:
      (void)editor_.backspace();
      return;
    case keyboard::KeyCode::kDelete:
      (void)editor_.delete_forward();
      return;
    case keyboard::KeyCode::kLeft:
      (void)editor_.move_left();
      return;
    case keyboard::KeyCode::kRight:
      (void)editor_.move_right();
      return;
    case keyboard::KeyCode::kHome:
      (void)editor_.home();
      return;
    case keyboard::KeyCode::kEnd:
      (void)editor_.end();
      return;
    case keyboard::KeyCode::kUp:
      (void)editor_.history_previous();
      return;
    case keyboard::KeyCode::kDown:
      (void)editor_.history_next();
      return;
    default:
      break;
  }
  uint32_t c = event.character;
  switch (c) {
    case kCtrlC:
      out_.write("^C\n");
      editor_.discard();
      prompt();
      return;
    case kCtrlL:
      out_.write(kClearScreen);
      prompt();
      editor_.redraw();
      return;
    case kCtrlA:
      (void)editor_.home();
      return;
    case kCtrlE:
      (void)editor_.end();
      return;
    default:
      break;
  }
  if (c >= 0x20 && c < 0x7f) (void)editor_.insert(static_cast<char>(c));
}

}  // namespace bm::shell
