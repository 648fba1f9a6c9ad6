#pragma once
// Helpers for the bad-input tests: a private temporary directory, and running a piece of
// code in a child process so a crash, a hang or a runaway allocation becomes a test result
// instead of taking the whole test run down.
#include <sys/resource.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>

namespace idm::test {

#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kAddressSanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool kAddressSanitizer = true;
#else
inline constexpr bool kAddressSanitizer = false;
#endif
#else
inline constexpr bool kAddressSanitizer = false;
#endif

inline bool contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

// A fresh directory under the system temp dir, removed (with its contents) on destruction.
class TempDir {
 public:
  TempDir() {
    static std::atomic<unsigned> counter{0};
    std::random_device random;
    std::string name = "idmscope-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + "-" +
                       std::to_string(random());
    path_ = std::filesystem::temp_directory_path() / name;
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }

  // Writes `bytes` exactly (binary) to name inside the directory and returns its path.
  std::filesystem::path write(const std::string& name, std::string_view bytes) const {
    std::filesystem::path file = path_ / name;
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) throw std::runtime_error("cannot write " + file.string());
    return file;
  }

  // A file of `size` bytes that takes no disk space (all zero bytes when read).
  std::filesystem::path sparse(const std::string& name, uintmax_t size) const {
    std::filesystem::path file = write(name, "");
    std::filesystem::resize_file(file, size);
    return file;
  }

 private:
  std::filesystem::path path_;
};

// How a child process ended: "exit N", "signal N" or "timeout".
struct ChildOutcome {
  bool exited = false;
  int exit_code = -1;
  int signal = 0;
  bool timed_out = false;
  double seconds = 0.0;
  std::string describe() const {
    if (timed_out) return "timeout (killed)";
    if (exited && exit_code == 98) return "exit 98 (an exception escaped)";
    if (exited) return "exit " + std::to_string(exit_code);
    return "signal " + std::to_string(signal);
  }
  bool clean() const { return exited && exit_code == 0; }
};

// Runs fn() in a forked child with an address-space cap (skipped under ASan, which reserves
// huge shadow mappings) and a wall-clock limit. The child's exit code is fn()'s return value.
// The child's stdout/stderr go to /dev/null so an expected crash does not clutter the log.
inline ChildOutcome run_isolated(const std::function<int()>& fn, uint64_t memory_limit_bytes, unsigned seconds) {
  auto start = std::chrono::steady_clock::now();
  pid_t child = ::fork();
  if (child < 0) throw std::runtime_error("fork failed");
  if (child == 0) {
    int null_fd = ::open("/dev/null", O_WRONLY);
    if (null_fd >= 0) {
      ::dup2(null_fd, 1);
      ::dup2(null_fd, 2);
    }
    if (!kAddressSanitizer && memory_limit_bytes > 0) {
      rlimit limit{memory_limit_bytes, memory_limit_bytes};
      ::setrlimit(RLIMIT_AS, &limit);
    }
    ::alarm(seconds);  // SIGALRM ends a hang
    int code = 99;
    try {
      code = fn();
    } catch (...) {
      code = 98;  // an exception escaped fn (in real use: std::terminate)
    }
    ::_exit(code);
  }
  ChildOutcome outcome;
  int status = 0;
  ::waitpid(child, &status, 0);
  outcome.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (WIFEXITED(status)) {
    outcome.exited = true;
    outcome.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    outcome.signal = WTERMSIG(status);
    outcome.timed_out = outcome.signal == SIGALRM;
  }
  return outcome;
}

}  // namespace idm::test
