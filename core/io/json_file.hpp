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

struct JsonText {
  simdjson::padded_string bytes;
  size_t bom_bytes = 0;  // a UTF-8 BOM is skipped (and reported as a note)
  std::string_view view() const { return std::string_view(bytes.data() + bom_bytes, bytes.size() - bom_bytes); }
};

// Reads a whole file. On failure returns false and sets error to a sentence naming the
// problem (missing, unreadable, empty, too large).
bool read_json_text(const std::filesystem::path& path, uint64_t max_bytes, JsonText& out, std::string& error);

// "line L, column C: what is wrong" for text that failed to parse.
std::string describe_json_syntax_error(std::string_view text);

// Parses with a reusable DOM parser; on failure error names the line and column.
bool parse_json_dom(simdjson::dom::parser& parser, std::string_view padded_text, simdjson::dom::element& out,
                    std::string& error);

std::string human_bytes(uint64_t bytes);

}  // namespace idm
