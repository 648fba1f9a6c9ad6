#pragma once
// Reading JSON files safely: size limits, BOM handling, and syntax errors that say where.
#include <simdjson.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace idm {

constexpr uint64_t kMaxSmallJsonBytes = 64ull << 20;    // clip logs, side files, answers
constexpr uint64_t kMaxResultsJsonBytes = 8ull << 30;   // whole-eval results files

// A whole file in memory, followed by simdjson's zeroed padding. Big files are mapped from
// the page cache (no copy, and no kernel zeroing of fresh pages, which costs ~1 s of CPU per
// 400 MB here) while a read lease is held: a writer that opens the file with O_TRUNC or
// truncates it then waits until we are done, so the mapping can never shrink under us
// (SIGBUS). Without a lease (file open for writing, not ours, network filesystem) they go
// into a huge-page-backed buffer filled with pread on two threads.
class JsonText {
 public:
  JsonText() = default;
  JsonText(const JsonText&) = delete;
  JsonText& operator=(const JsonText&) = delete;
  JsonText(JsonText&& other) noexcept { *this = std::move(other); }
  JsonText& operator=(JsonText&& other) noexcept;
  ~JsonText();

  // Allocates size bytes + padding (zeroed); fills nothing.
  bool allocate(size_t size);
  // Maps the open file fd (size bytes) with padding behind it, under a read lease; false if
  // no lease can be had. On success the JsonText owns fd.
  bool map_with_lease(int fd, size_t size);
  char* data() { return data_; }
  size_t size() const { return size_; }         // the whole file, BOM included
  std::string_view view() const { return std::string_view(data_ + bom_bytes, size_ - bom_bytes); }

  size_t bom_bytes = 0;  // a UTF-8 BOM is skipped (and reported as a note)

 private:
  char* data_ = nullptr;
  size_t size_ = 0;
  size_t mapped_bytes_ = 0;  // non-zero when data_ came from mmap
  int leased_fd_ = -1;       // the file whose read lease keeps the mapping valid
};

// Reads a whole file. On failure returns false and sets error to a sentence naming the
// problem (missing, unreadable, empty, too large).
bool read_json_text(const std::filesystem::path& path, uint64_t max_bytes, JsonText& out, std::string& error);

// "line L, column C: what is wrong" for text that failed to parse.
std::string describe_json_syntax_error(std::string_view text);

// The same for `piece`, a part of `whole` (a clip inside a results file): the line and column
// are counted in `whole`.
std::string describe_json_syntax_error_in(std::string_view whole, std::string_view piece);

// Parses with a reusable DOM parser; on failure error names the line and column.
bool parse_json_dom(simdjson::dom::parser& parser, std::string_view padded_text, simdjson::dom::element& out,
                    std::string& error);

std::string human_bytes(uint64_t bytes);

}  // namespace idm
