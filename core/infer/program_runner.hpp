#pragma once
// Runs a user's program once, the way every program-backed model runs (the IDM command backend,
// the RSV rollout request): posix_spawn with an argument vector (no shell), in its own process
// group, the request on its stdin, its stdout kept (at most 16 MiB), its stderr logged line by
// line with a prefix. We wait for its exit (not for EOF on its pipes: a process it left behind
// may hold them for ever), read what it left in the pipes for at most 0.5 s, then kill the whole
// group. A timeout or a cancel kills the group too. We keep the read end of its stdin open, so a
// program that exits without reading never makes our write fail (no SIGPIPE), and we can tell
// that it did not read: that is an error.
#include <atomic>
#include <string>
#include <vector>

namespace idm::infer {

struct ProgramOutcome {
  bool ok = false;          // exited 0 after reading its whole request
  std::string stdout_text;  // when ok
  std::string error;        // when !ok: one line ("PROGRAM: exit code 3", "... timed out after 5 s (--timeout)")
};

// *cancel turning true kills the program within ~20 ms.
ProgramOutcome run_program(const std::vector<std::string>& command, const std::string& stdin_text, double timeout_s,
                           const std::atomic<bool>& cancel, const std::string& log_prefix);

}  // namespace idm::infer
