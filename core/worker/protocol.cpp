#include "worker/protocol.hpp"

namespace idm::worker {

std::string encode_line(const nlohmann::json& message) {
  // Invalid UTF-8 in raw model answers must not throw: replace it.
  std::string line = message.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  line.push_back('\n');
  return line;
}

bool decode_line(std::string_view line, nlohmann::json& out, std::string& error) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  out = nlohmann::json::parse(line.begin(), line.end(), nullptr, false);
  if (out.is_discarded()) {
    error = "not JSON: '" + excerpt(line) + "'";
    return false;
  }
  if (!out.is_object()) {
    error = "not a JSON object: '" + excerpt(line) + "'";
    return false;
  }
  auto type = out.find("type");
  if (type == out.end() || !type->is_string()) {
    error = "object without a string \"type\": '" + excerpt(line) + "'";
    return false;
  }
  return true;
}

std::string excerpt(std::string_view text, size_t max_chars) {
  std::string out;
  for (char c : text.substr(0, max_chars)) out.push_back(static_cast<unsigned char>(c) < 0x20 || c == 0x7f ? '?' : c);
  if (text.size() > max_chars) out += "...";
  return out;
}

}  // namespace idm::worker
