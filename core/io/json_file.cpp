#include "io/json_file.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <system_error>

namespace idm {

std::string human_bytes(uint64_t bytes) {
  char text[32];
  if (bytes >= (1ull << 20)) std::snprintf(text, sizeof text, "%.1f MB", static_cast<double>(bytes) / (1 << 20));
  else if (bytes >= 1024) std::snprintf(text, sizeof text, "%.1f KB", static_cast<double>(bytes) / 1024);
  else std::snprintf(text, sizeof text, "%llu bytes", static_cast<unsigned long long>(bytes));
  return text;
}

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
  uint64_t size = std::filesystem::file_size(path, code);
  if (code) {
    error = "cannot read file size: " + code.message();
    return false;
  }
  if (size == 0) {
    error = "file is empty, expected JSON";
    return false;
  }
  if (size > max_bytes) {
    error = "file is " + human_bytes(size) + ", over the " + human_bytes(max_bytes) + " limit for this kind of file";
    return false;
  }
  if (auto code = simdjson::padded_string::load(path.string()).get(out.bytes)) {
    error = std::string("cannot read file: ") + simdjson::error_message(code);
    return false;
  }
  out.bom_bytes = out.bytes.size() >= 3 && std::string_view(out.bytes.data(), 3) == "\xEF\xBB\xBF" ? 3 : 0;
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

std::string describe_json_syntax_error(std::string_view text) {
  ErrorLocator locator;
  nlohmann::json::sax_parse(text.begin(), text.end(), &locator, nlohmann::json::input_format_t::json, false);
  if (locator.message.empty()) return "not valid JSON (invalid UTF-8 or unsupported number)";
  size_t line = 1, column = 1;
  size_t limit = locator.position > 0 ? std::min(locator.position - 1, text.size()) : 0;
  for (size_t i = 0; i < limit; ++i) {
    if (text[i] == '\n') ++line, column = 1;
    else ++column;
  }
  // nlohmann's message is "[json.exception.parse_error.101] parse error at line ..: <why>".
  std::string why = locator.message;
  if (auto colon = why.rfind(": "); colon != std::string::npos) why = why.substr(colon + 2);
  return "line " + std::to_string(line) + ", column " + std::to_string(column) + ": " + why;
}

bool parse_json_dom(simdjson::dom::parser& parser, std::string_view padded_text, simdjson::dom::element& out,
                    std::string& error) {
  auto result = parser.parse(padded_text.data(), padded_text.size(), false);
  if (result.error()) {
    if (result.error() == simdjson::UTF8_ERROR) error = "not valid UTF-8 text";
    else if (result.error() == simdjson::DEPTH_ERROR) error = "JSON nested too deeply";
    else error = "not valid JSON: " + describe_json_syntax_error(padded_text);
    return false;
  }
  out = result.value_unsafe();
  return true;
}

}  // namespace idm
