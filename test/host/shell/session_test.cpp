// Host tests for the shell Session: key events in, exactly what a user would see out — the
// prompt, echoed typing, command output on its own line, editing keys, history, Ctrl-C and
// Ctrl-L, and an unknown command that leaves the next one working.
#include "servers/shell/session.h"

#include <gtest/gtest.h>

#include <string>

namespace bm::shell {
namespace {

namespace keyboard = ipc::keyboard;
using keyboard::KeyCode;

struct Screen {
  static void sink(void* context, const char* text, size_t length) {
    static_cast<Screen*>(context)->text.append(text, length);
  }
  std::string take() {
    std::string all = text;
    text.clear();
    return all;
  }
  std::string text;
};

// A fake of the shell's jobs: `fg` starts a pretend foreground program.
struct FakeJobs final : JobControl {
  bool foreground_running() override { return running; }
  void interrupt_foreground() override { ++interrupts; }
  void report_ended() override {
    if (screen != nullptr && ended_in_background) {
      screen->text += "[7] sleep: done\n";
      ended_in_background = false;
    }
  }
  bool running = false;
  bool ended_in_background = false;
  int interrupts = 0;
  Screen* screen = nullptr;
};
FakeJobs* current_jobs = nullptr;
void command_fg(const Invocation&) { current_jobs->running = true; }

int cleared = 0;
void command_count(const Invocation& invocation) {
  ++cleared;
  invocation.out.write("counted\n");
}

constexpr Command kCommands[] = {
    kHelpCommand,
    kEchoCommand,
    {"count", 0, 0, &command_count, "", "count calls"},
    {"fg", 0, 0, &command_fg, "", "pretend to start a foreground program"},
};

struct Fixture : ::testing::Test {
  Fixture() : session(table, &Screen::sink, &screen, nullptr) { session.start(); }

  static keyboard::KeyEvent press(KeyCode key, uint32_t character = 0, uint8_t modifiers = 0) {
    keyboard::KeyEvent event;
    event.key = key;
    event.pressed = true;
    event.character = character;
    event.modifiers = modifiers;
    return event;
  }
  // Types printable ASCII as a US keyboard would deliver it (the key code does not matter to
  // the session, only the character).
  void type(const std::string& text) {
    for (char c : text) session.on_key(press(KeyCode::kA, static_cast<uint8_t>(c)));
  }
  void key(KeyCode code, uint32_t character = 0) { session.on_key(press(code, character)); }
  void enter() { key(KeyCode::kEnter, '\n'); }

  CommandTable table{kCommands};
  Screen screen;
  Session session;
};

TEST_F(Fixture, StartsWithThePrompt) { EXPECT_EQ(screen.take(), kPrompt); }

TEST_F(Fixture, EchoPrintsItsWordsOnTheirOwnLine) {
  screen.take();
  type("echo hello");
  enter();
  EXPECT_EQ(screen.take(), "echo hello\nhello\nbm> ");
  EXPECT_EQ(session.last_outcome(), Outcome::kRan);
  EXPECT_EQ(session.lines_run(), 1u);
}

TEST_F(Fixture, BackspaceEditsTheLine) {
  type("echo helo");
  key(KeyCode::kBackspace, '\b');
  type("lo");
  key(KeyCode::kBackspace, '\b');
  key(KeyCode::kBackspace, '\b');
  type("lo");
  EXPECT_STREQ(session.editor().text(), "echo hello");
  screen.take();
  enter();
  EXPECT_EQ(screen.take(), "\nhello\nbm> ");
}

TEST_F(Fixture, UpperCaseCharactersAreKeptAsTyped) {
  type("echo ABC");
  enter();
  EXPECT_NE(screen.take().find("\nABC\n"), std::string::npos);
}

TEST_F(Fixture, ReleasesAndNonPrintingCharactersAreIgnored) {
  keyboard::KeyEvent release = press(KeyCode::kA, 0);
  release.pressed = false;
  screen.take();
  session.on_key(release);
  key(KeyCode::kLeftShift);
  key(KeyCode::kF1);
  key(KeyCode::kTab, '\t');
  key(KeyCode::kA, 0xe4);  // a character outside ASCII
  EXPECT_EQ(screen.take(), "");
  EXPECT_EQ(session.editor().length(), 0u);
}

TEST_F(Fixture, CursorKeysAndDeleteEditInTheMiddle) {
  type("echo hxllo");
  key(KeyCode::kHome);
  for (int i = 0; i < 6; ++i) key(KeyCode::kRight);
  key(KeyCode::kDelete);
  type("e");
  key(KeyCode::kEnd);
  type("!");
  EXPECT_STREQ(session.editor().text(), "echo hello!");
  key(KeyCode::kLeft);
  EXPECT_EQ(session.editor().cursor(), 10u);
}

TEST_F(Fixture, KeypadEnterRunsTheLineToo) {
  type("count");
  key(KeyCode::kKeypadEnter, '\n');
  EXPECT_NE(screen.take().find("counted\n"), std::string::npos);
}

TEST_F(Fixture, UnknownCommandGivesOneLineAndTheNextCommandWorks) {
  screen.take();
  type("frobnicate");
  enter();
  EXPECT_EQ(screen.take(), "frobnicate\nunknown command: frobnicate (type help)\nbm> ");
  EXPECT_EQ(session.last_outcome(), Outcome::kUnknownCommand);
  type("echo still here");
  enter();
  EXPECT_NE(screen.take().find("\nstill here\nbm> "), std::string::npos);
  EXPECT_EQ(session.last_outcome(), Outcome::kRan);
}

TEST_F(Fixture, HistoryRecallsEarlierLines) {
  type("echo one");
  enter();
  type("echo two");
  enter();
  key(KeyCode::kUp);
  EXPECT_STREQ(session.editor().text(), "echo two");
  key(KeyCode::kUp);
  EXPECT_STREQ(session.editor().text(), "echo one");
  key(KeyCode::kDown);
  EXPECT_STREQ(session.editor().text(), "echo two");
  screen.take();
  enter();
  EXPECT_NE(screen.take().find("\ntwo\n"), std::string::npos);
}

TEST_F(Fixture, CtrlCDropsTheLine) {
  type("echo never");
  screen.take();
  key(KeyCode::kC, 0x03);
  EXPECT_EQ(screen.take(), "^C\nbm> ");
  EXPECT_EQ(session.editor().length(), 0u);
  EXPECT_EQ(session.lines_run(), 0u);
}

TEST_F(Fixture, CtrlLClearsTheScreenAndRedrawsTheLine) {
  type("echo hi");
  screen.take();
  key(KeyCode::kL, 0x0c);
  std::string out = screen.take();
  EXPECT_EQ(out.rfind(std::string(kClearScreen) + kPrompt + "echo hi", 0), 0u) << out;
  EXPECT_STREQ(session.editor().text(), "echo hi");
}

TEST_F(Fixture, CtrlAAndCtrlEMoveToTheEnds) {
  type("echo");
  key(KeyCode::kA, 0x01);
  EXPECT_EQ(session.editor().cursor(), 0u);
  key(KeyCode::kE, 0x05);
  EXPECT_EQ(session.editor().cursor(), 4u);
}

TEST_F(Fixture, EmptyLineJustPromptsAgain) {
  screen.take();
  enter();
  EXPECT_EQ(screen.take(), "\nbm> ");
  EXPECT_EQ(session.last_outcome(), Outcome::kEmpty);
}

struct JobsFixture : Fixture {
  JobsFixture() {
    jobs.screen = &screen;
    current_jobs = &jobs;
    session.set_jobs(&jobs);
    screen.take();
  }
  FakeJobs jobs;
};

TEST_F(JobsFixture, AForegroundProgramHoldsThePromptUntilItEnds) {
  type("fg");
  enter();
  EXPECT_EQ(screen.take(), "fg\n");
  type("echo typed meanwhile");  // a program has no keyboard: the keys go nowhere
  enter();
  EXPECT_EQ(screen.take(), "");
  EXPECT_EQ(session.lines_run(), 1u);
  jobs.running = false;
  session.foreground_ended();
  EXPECT_EQ(screen.take(), "bm> ");
  EXPECT_EQ(session.editor().length(), 0u);
}

TEST_F(JobsFixture, CtrlCInterruptsTheForegroundProgram) {
  type("fg");
  enter();
  screen.take();
  key(KeyCode::kC, 0x03);
  EXPECT_EQ(screen.take(), "^C\n");
  EXPECT_EQ(jobs.interrupts, 1);
  jobs.running = false;
  session.foreground_ended();
  EXPECT_EQ(screen.take(), "bm> ");
}

TEST_F(JobsFixture, EndedBackgroundProgramsReportBeforeThePrompt) {
  jobs.ended_in_background = true;
  enter();
  EXPECT_EQ(screen.take(), "\n[7] sleep: done\nbm> ");
  enter();
  EXPECT_EQ(screen.take(), "\nbm> ");
  EXPECT_EQ(jobs.interrupts, 0);
}

}  // namespace
}  // namespace bm::shell
