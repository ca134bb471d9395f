// hello: prints "hello" and its argument words, separated by single spaces, on one line
// (`run hello world` prints "hello world"), and exits 0; 2 if its arguments do not split
// (an unterminated quote).
#include "user/program_arguments.h"
#include "user/program_output.h"

int main(uint64_t bootstrap) {
  user::ProgramOutput out(static_cast<user::Handle>(bootstrap));
  user::ProgramArguments arguments;
  if (user::read_program_arguments(bootstrap, &arguments) != user::ProtocolStatus::kOk) {
    out.printf("hello: cannot read my arguments\n");
    return 2;
  }
  char line[bm::ipc::kMaxProgramArgumentsLength + 8] = "hello";
  size_t used = 5;
  for (size_t i = 0; i < arguments.count; ++i) {
    line[used++] = ' ';  // room: the words and their blanks are never longer than the text
    for (const char* c = arguments.word[i]; *c != '\0'; ++c) line[used++] = *c;
  }
  line[used++] = '\n';
  out.write(line, used);
  return 0;
}
