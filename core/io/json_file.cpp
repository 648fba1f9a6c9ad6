#include "io/json_file.hpp"
#include "io/frame_io_guard.hpp"

#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstdio>
#include <cstring>
#include <new>
#include <system_error>
#include <thread>
#include <utility>

namespace idm {

std::string human_bytes(uint64_t bytes) {
  char text[32];
  if (bytes >= (1ull << 20)) std::snprintf(text, sizeof text, "%.1f MB", static_cast<double>(bytes) / (1 << 20));
  else if (bytes >= 1024) std::snprintf(text, sizeof text, "%.1f KB", static_cast<double>(bytes) / 1024);
  else std::snprintf(text, sizeof text, "%llu bytes", static_cast<unsigned long long>(bytes));
  return text;
}

JsonText& JsonText::operator=(JsonText&& other) noexcept {
  if (this != &other) {
    this->~JsonText();
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
    mapped_bytes_ = std::exchange(other.mapped_bytes_, 0);
    leased_fd_ = std::exchange(other.leased_fd_, -1);
    bom_bytes = std::exchange(other.bom_bytes, 0);
  }
  return *this;
}

JsonText::~JsonText() {
  if (mapped_bytes_) ::munmap(data_, mapped_bytes_);
  else delete[] data_;
  data_ = nullptr;
  if (leased_fd_ >= 0) {
    ::fcntl(leased_fd_, F_SETLEASE, F_UNLCK);
    ::close(leased_fd_);
    leased_fd_ = -1;
  }
}

bool JsonText::map_with_lease(int fd, size_t size) {
  // A lease break is signalled with SIGIO, whose default action ends the process. idmscope
  // does not use SIGIO; ignore it unless someone installed a handler.
  struct sigaction current {};
  if (::sigaction(SIGIO, nullptr, &current) != 0 || current.sa_handler != SIG_DFL) {
    if (current.sa_handler != SIG_IGN) return false;
  } else {
    ::signal(SIGIO, SIG_IGN);
  }
  if (::fcntl(fd, F_SETLEASE, F_RDLCK) != 0) return false;
  this->~JsonText();
  size_t page = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
  size_t total = (size + simdjson::SIMDJSON_PADDING + page - 1) / page * page;
  // Reserve room for the padding first (anonymous zero pages), then put the file over it.
  void* base = ::mmap(nullptr, total, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (base == MAP_FAILED) {
    ::fcntl(fd, F_SETLEASE, F_UNLCK);
    return false;
  }
  void* file = ::mmap(base, size, PROT_READ, MAP_PRIVATE | MAP_FIXED | MAP_POPULATE, fd, 0);
  if (file == MAP_FAILED) {
    ::munmap(base, total);
    ::fcntl(fd, F_SETLEASE, F_UNLCK);
    return false;
  }
  data_ = static_cast<char*>(base);
  size_ = size;
  mapped_bytes_ = total;
  leased_fd_ = fd;
  bom_bytes = 0;
  return true;
}

bool JsonText::allocate(size_t size) {
  this->~JsonText();
  size_ = size;
  bom_bytes = 0;
  constexpr size_t kHugePage = 2u << 20;
  size_t wanted = size + simdjson::SIMDJSON_PADDING;
  if (size >= (16u << 20)) {
    mapped_bytes_ = (wanted + kHugePage - 1) / kHugePage * kHugePage;
    void* memory = ::mmap(nullptr, mapped_bytes_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (memory == MAP_FAILED) {
      mapped_bytes_ = 0;
      return false;
    }
    ::madvise(memory, mapped_bytes_, MADV_HUGEPAGE);  // a hint: fine if unsupported
    data_ = static_cast<char*>(memory);                // anonymous pages are zero: padding included
    return true;
  }
  data_ = new (std::nothrow) char[wanted];
  if (!data_) return false;
  std::memset(data_ + size, 0, simdjson::SIMDJSON_PADDING);
  return true;
}

namespace {

// Reads [offset, offset + length) of fd into buffer; false on a read error or a short file.
bool pread_all(int fd, char* buffer, size_t offset, size_t length) {
  while (length > 0) {
    ssize_t got = ::pread(fd, buffer, length, static_cast<off_t>(offset));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return false;
    buffer += got;
    offset += static_cast<size_t>(got);
    length -= static_cast<size_t>(got);
  }
  return true;
}

}  // namespace

bool read_json_text(const std::filesystem::path& path, uint64_t max_bytes, JsonText& out, std::string& error) {
  std::error_code code;
  auto status = std::filesystem::status(path, code);
  if (code || !std::filesystem::exists(status)) {
    error = "file not found";
    return false;
  }
  if (std::filesystem::is_directory(status)) {
    error = "is a directory, expected a JSON file";
    return false;
  }
  if (!std::filesystem::is_regular_file(status)) {  // a FIFO or device: opening it could block or never end
    error = "not a regular file (a FIFO, device or socket), not read";
    return false;
  }
  note_file_access("read", path);
  // O_NONBLOCK: should the file be swapped for a FIFO after the check, open does not wait for a writer.
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    error = std::string("cannot open: ") + std::strerror(errno);
    return false;
  }
  struct stat info {};
  ::fstat(fd, &info);
  auto size = static_cast<uint64_t>(info.st_size);
  auto close_and_fail = [&](std::string why) {
    ::close(fd);
    error = std::move(why);
    return false;
  };
  if (!S_ISREG(info.st_mode)) return close_and_fail("not a regular file");
  if (size == 0) return close_and_fail("file is empty, expected JSON");
  if (size > max_bytes) {
    return close_and_fail("file is " + human_bytes(size) + ", over the " + human_bytes(max_bytes) + " limit for this kind of file");
  }
  if (size >= (16u << 20) && out.map_with_lease(fd, size)) {
    out.bom_bytes = size >= 3 && std::string_view(out.data(), 3) == "\xEF\xBB\xBF" ? 3 : 0;
    return true;  // out now owns fd
  }
  if (!out.allocate(size)) return close_and_fail("cannot allocate " + human_bytes(size) + " to read it");
  bool ok = true;
  if (size >= (64u << 20)) {
    // Two readers: page faults and copies proceed on both cores.
    size_t half = size / 2;
    bool second_ok = true;
    std::thread second([&] { second_ok = pread_all(fd, out.data() + half, half, size - half); });
    ok = pread_all(fd, out.data(), 0, half);
    second.join();
    ok = ok && second_ok;
  } else {
    ok = pread_all(fd, out.data(), 0, size);
  }
  if (!ok) return close_and_fail("cannot read the whole file (it changed size while being read?)");
  ::close(fd);
  out.bom_bytes = size >= 3 && std::string_view(out.data(), 3) == "\xEF\xBB\xBF" ? 3 : 0;
  return true;
}

namespace {

// Records only the first syntax error nlohmann's SAX parser reports.
struct ErrorLocator : nlohmann::json_sax<nlohmann::json> {
  size_t position = 0;
  std::string message;
  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return true; }
  bool key(string_t&) override { return true; }
  bool end_object() override { return true; }
  bool start_array(std::size_t) override { return true; }
  bool end_array() override { return true; }
  bool parse_error(std::size_t byte, const std::string&, const nlohmann::detail::exception& ex) override {
    position = byte;
    message = ex.what();
    return false;
  }
};

}  // namespace

namespace {

// Finds the first syntax error in text: its byte offset and nlohmann's reason, trimmed.
bool locate_syntax_error(std::string_view text, size_t& position, std::string& why) {
  ErrorLocator locator;
  nlohmann::json::sax_parse(text.begin(), text.end(), &locator, nlohmann::json::input_format_t::json, true);
  if (locator.message.empty()) return false;
  position = locator.position > 0 ? std::min(locator.position - 1, text.size()) : 0;
  // nlohmann's message is "[json.exception.parse_error.101] parse error at line ..: <why>".
  why = locator.message;
  if (why.starts_with("[json.exception.")) {
    if (auto bracket = why.find("] "); bracket != std::string::npos) why = why.substr(bracket + 2);
  }
  if (why.starts_with("parse error")) {
    if (auto colon = why.find(": "); colon != std::string::npos) why = why.substr(colon + 2);
  }
  return true;
}

std::string line_and_column(std::string_view text, size_t position) {
  size_t line = 1, line_start = 0;
  for (const char* p = text.data(); (p = static_cast<const char*>(std::memchr(p, '\n', text.data() + position - p)));) {
    ++line;
    line_start = static_cast<size_t>(++p - text.data());
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(position - line_start + 1);
}

}  // namespace

std::string describe_json_syntax_error(std::string_view text) {
  size_t position = 0;
  std::string why;
  if (!locate_syntax_error(text, position, why)) return "not valid JSON (invalid UTF-8 or unsupported number)";
  return line_and_column(text, position) + ": " + why;
}

std::string describe_json_syntax_error_in(std::string_view whole, std::string_view piece) {
  size_t position = 0;
  std::string why;
  if (!locate_syntax_error(piece, position, why)) return "not valid JSON (invalid UTF-8 or unsupported number)";
  bool inside = piece.data() >= whole.data() && piece.data() + piece.size() <= whole.data() + whole.size();
  if (!inside) return line_and_column(piece, position) + ": " + why;
  return line_and_column(whole, static_cast<size_t>(piece.data() - whole.data()) + position) + ": " + why;
}

namespace {

// simdjson rejects integers beyond 64 bits and numbers like 1e400; nlohmann reads them, so
// find the first such number by hand to say where it is.
std::string describe_number_error(std::string_view text) {
  bool in_string = false;
  size_t line = 1, column = 1;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') ++i, ++column;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      size_t end = i;
      while (end < text.size() && std::strchr("+-0123456789.eE", text[end]) && text[end] != '\0') ++end;
      std::string number(text.substr(i, end - i));
      double value = std::strtod(number.c_str(), nullptr);
      bool integral = number.find_first_of(".eE") == std::string::npos;
      bool too_long = integral && number.size() > (number[0] == '-' ? 20u : 19u);
      if (!std::isfinite(value) || too_long) {
        return "line " + std::to_string(line) + ", column " + std::to_string(column) + ": " + number.substr(0, 40);
      }
      column += end - i;
      i = end - 1;
      continue;
    }
    if (c == '\n') line += 1, column = 1;
    else ++column;
  }
  return "";  // not an overflow (NaN, a malformed number): a plain syntax error
}

}  // namespace

bool parse_json_dom(simdjson::dom::parser& parser, std::string_view padded_text, simdjson::dom::element& out,
                    std::string& error) {
  auto result = parser.parse(padded_text.data(), padded_text.size(), false);
  if (result.error()) {
    std::string out_of_range = result.error() == simdjson::NUMBER_ERROR ? describe_number_error(padded_text) : "";
    if (result.error() == simdjson::UTF8_ERROR) error = "not valid UTF-8 text";
    else if (result.error() == simdjson::DEPTH_ERROR) error = "JSON nested too deeply";
    else if (!out_of_range.empty()) error = "a number is out of range (" + out_of_range + ")";
    else error = "not valid JSON: " + describe_json_syntax_error(padded_text);
    return false;
  }
  out = result.value_unsafe();
  return true;
}

}  // namespace idm
